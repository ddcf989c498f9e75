#include "option_text.h"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>

namespace nst_plugin {

bool parse_scales(const std::string &text, std::vector<int> &scales, std::string &error) {
  scales.clear();
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = text.find_first_not_of(", \t", pos);
    if (start == std::string::npos)
      break;
    const std::size_t end = text.find_first_of(", \t", start);
    const std::string item = text.substr(start, end == std::string::npos ? end : end - start);
    pos = end == std::string::npos ? text.size() : end;

    errno = 0;
    char *rest = nullptr;
    const long value = std::strtol(item.c_str(), &rest, 10);
    if (*rest != '\0' || errno != 0 || value <= 0 || value > INT_MAX ||
        !std::isdigit(static_cast<unsigned char>(item[0]))) {
      error = "scales: '" + item +
              "' is not a positive whole number of pixels (expected e.g. \"256,512\")";
      scales.clear();
      return false;
    }
    scales.push_back(static_cast<int>(value));
  }
  return true;
}

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

} // namespace nst_plugin
