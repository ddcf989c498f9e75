// printf-style formatting into a std::string, for translated messages whose
// word order a translation may change (positional %1$s works too).
#pragma once

#include <string>

namespace nst_cli {

std::string format(const char *format_string, ...) __attribute__((format(printf, 1, 2)));

} // namespace nst_cli
