// printf-style formatting into a std::string, for the front ends' translated
// messages whose word order a translation may change (positional %1$s works
// too). The command line, the plug-in and the dialog all use it.
#pragma once

#include <string>

namespace nst {

std::string format(const char *format_string, ...) __attribute__((format(printf, 1, 2)));

} // namespace nst
