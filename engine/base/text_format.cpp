#include "nst/text_format.h"

#include <cstdarg>
#include <cstdio>

namespace nst {

std::string format(const char *format_string, ...) {
  va_list arguments;
  va_start(arguments, format_string);
  va_list copy;
  va_copy(copy, arguments);
  const int length = std::vsnprintf(nullptr, 0, format_string, copy);
  va_end(copy);
  std::string text;
  if (length > 0) {
    text.resize(static_cast<std::size_t>(length) + 1);
    std::vsnprintf(&text[0], text.size(), format_string, arguments);
    text.resize(static_cast<std::size_t>(length));
  }
  va_end(arguments);
  return text;
}

} // namespace nst
