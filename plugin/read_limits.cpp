#include "read_limits.h"

#include "nst-i18n.h"
#include "nst/parameters.h"
#include "nst/text_format.h"
#include "nst/units.h"

#include <algorithm>
#include <cstdint>

namespace nst_plugin {

std::uint64_t read_bytes(int width, int height, int channels) {
  // A float per channel: the copy the engine works from.
  return std::uint64_t(std::max(width, 0)) * std::uint64_t(std::max(height, 0)) *
         std::uint64_t(channels) * sizeof(float);
}

std::string read_refusal(const std::string &what, int width, int height,
                         std::size_t memory_limit_bytes, std::uint64_t already_read_bytes,
                         int channels) {
  if (width > nst::kMaximumSide || height > nst::kMaximumSide)
    return nst::format(_("%s is %ux%u pixels; at most %d pixels each way are supported"),
                       what.c_str(), static_cast<unsigned>(width), static_cast<unsigned>(height),
                       nst::kMaximumSide);
  const std::uint64_t bytes = read_bytes(width, height, channels);
  if (already_read_bytes > 0 && bytes + already_read_bytes > memory_limit_bytes)
    return nst::format(_("%s needs %lld MB to be read as floating-point pixels; with the %lld MB "
                         "of the layers and styles read before it, that is more than the memory "
                         "limit of %lld MiB: use fewer or smaller layers and styles, or raise the "
                         "memory limit."),
                       what.c_str(), nst::megabytes(bytes), nst::megabytes(already_read_bytes),
                       static_cast<long long>(memory_limit_bytes >> 20));
  if (bytes > memory_limit_bytes)
    return nst::format(_("%s needs %lld MB to be read as floating-point pixels, more than the "
                         "memory limit of %lld MiB: select a smaller area, or raise the memory "
                         "limit."),
                       what.c_str(), nst::megabytes(bytes),
                       static_cast<long long>(memory_limit_bytes >> 20));
  return {};
}

} // namespace nst_plugin
