#include "live_preview.h"

#include <algorithm>
#include <cmath>

namespace nst_ui {

LivePreview make_live_preview(const nst::Image &image, int max_side) {
  LivePreview preview;
  const int longer = std::max(image.width, image.height);
  const std::size_t needed = static_cast<std::size_t>(image.width) * image.height * image.channels;
  if (longer <= 0 || max_side <= 0 || image.channels < 3 || image.pixels.size() < needed)
    return preview;

  const int factor = (longer + max_side - 1) / max_side; // box size
  preview.width = std::max(1, image.width / factor);
  preview.height = std::max(1, image.height / factor);
  preview.rgb.resize(static_cast<std::size_t>(preview.width) * preview.height * 3);

  for (int y = 0; y < preview.height; ++y) {
    for (int x = 0; x < preview.width; ++x) {
      float sum[3] = {0, 0, 0};
      int count = 0;
      for (int dy = 0; dy < factor && y * factor + dy < image.height; ++dy) {
        for (int dx = 0; dx < factor && x * factor + dx < image.width; ++dx) {
          const std::size_t at = (static_cast<std::size_t>(y * factor + dy) * image.width +
                                  static_cast<std::size_t>(x * factor + dx)) *
                                 image.channels;
          for (int c = 0; c < 3; ++c)
            sum[c] += image.pixels[at + c];
          ++count;
        }
      }
      std::uint8_t *out = &preview.rgb[(static_cast<std::size_t>(y) * preview.width + x) * 3];
      for (int c = 0; c < 3; ++c) {
        const float value = std::clamp(sum[c] / count, 0.0f, 1.0f); // NaN: see below
        out[c] = static_cast<std::uint8_t>(std::lround((value == value ? value : 0.0f) * 255.0f));
      }
    }
  }
  return preview;
}

} // namespace nst_ui
