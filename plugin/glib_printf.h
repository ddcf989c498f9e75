// printf-style formatting into a std::string through GLib, for translated
// messages whose word order a translation may change (positional %1$s works).
// The plug-in and its dialog share it.
#pragma once

#include "gobject_ptr.h"

#include <cstdarg>
#include <string>

namespace nst_plugin {

inline std::string printf_string(const char *format, ...) G_GNUC_PRINTF(1, 2);
inline std::string printf_string(const char *format, ...) {
  va_list args;
  va_start(args, format);
  GCharPtr text(g_strdup_vprintf(format, args));
  va_end(args);
  return text ? text.get() : "";
}

} // namespace nst_plugin
