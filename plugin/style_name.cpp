#include "style_name.h"

#include <algorithm>
#include <cctype>

namespace nst_plugin {

std::string style_name_from_path(const std::string &path) {
  std::string name = path.substr(path.find_last_of("/\\") + 1);
  const std::size_t dot = name.find_last_of('.');
  if (dot != std::string::npos && dot > 0)
    name.erase(dot);

  bool word_start = true;
  for (char &c : name) {
    if (c == '_' || c == '-')
      c = ' ';
    if (c == ' ') {
      word_start = true;
    } else {
      if (word_start)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      word_start = false;
    }
  }
  return name;
}

std::string blended_style_name(const std::vector<std::string> &names) {
  std::vector<std::string> distinct;
  for (const std::string &name : names)
    if (std::find(distinct.begin(), distinct.end(), name) == distinct.end())
      distinct.push_back(name);
  std::string out;
  for (const std::string &name : distinct)
    out += (out.empty() ? "" : " + ") + name;
  return out;
}

} // namespace nst_plugin
