#include "read_limits.h"

#include "nst-i18n.h"
#include "nst/parameters.h"
#include "nst/text_format.h"
#include "nst/units.h"

#include <cstdint>

namespace nst_plugin {

std::string read_refusal(const std::string &what, int width, int height,
                         std::size_t memory_limit_bytes) {
  if (width > nst::kMaximumSide || height > nst::kMaximumSide)
    return nst::format(_("%s is %ux%u pixels; at most %d pixels each way are supported"),
                       what.c_str(), static_cast<unsigned>(width), static_cast<unsigned>(height),
                       nst::kMaximumSide);
  // Four floats a pixel: the copy the engine works from.
  const std::uint64_t bytes = std::uint64_t(width) * std::uint64_t(height) * 4 * sizeof(float);
  if (bytes > memory_limit_bytes)
    return nst::format(_("%s needs %lld MB to be read as floating-point pixels, more than the "
                         "memory limit of %lld MiB: select a smaller area, or raise the memory "
                         "limit."),
                       what.c_str(), nst::megabytes(bytes),
                       static_cast<long long>(memory_limit_bytes >> 20));
  return {};
}

} // namespace nst_plugin
