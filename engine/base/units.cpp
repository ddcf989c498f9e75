#include "nst/units.h"

#include <cmath>
#include <cstdio>

namespace nst {

std::string duration_text(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds))
    return "?";
  const long total = std::lround(seconds);
  const long hours = total / 3600, minutes = total / 60 % 60, rest = total % 60;
  char text[32];
  if (hours > 0)
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", hours, minutes, rest);
  else
    std::snprintf(text, sizeof text, "%ld:%02ld", minutes, rest);
  return text;
}

long long megabytes(std::uint64_t bytes) {
  return static_cast<long long>((bytes + 500000) / 1000000);
}

} // namespace nst
