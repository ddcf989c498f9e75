#include "weights/weights_error.h"

namespace nst::weights {

std::string quoted(const std::string &text) {
  constexpr std::size_t kMaxShown = 120;
  static const char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (text.size() > kMaxShown)
    out += "...";
  out += "'";
  return out;
}

std::string describe_file(const std::string &path) {
  return "weights file " + quoted(path);
}

} // namespace nst::weights
