#include "pixel_bridge.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>

namespace nst_plugin {
namespace {

float clamp_unit(float v) {
  if (std::isnan(v))
    return 0.0f;
  return std::min(1.0f, std::max(0.0f, v));
}

std::size_t pixel_count(const GeglRectangle &area) {
  return static_cast<std::size_t>(std::max(area.width, 0)) *
         static_cast<std::size_t>(std::max(area.height, 0));
}

} // namespace

const Babl *engine_format(const Babl *space_of, bool with_alpha) {
  return babl_format_with_space(with_alpha ? "R'G'B'A float" : "R'G'B' float", space_of);
}

nst::Image read_pixels(GeglBuffer *buffer, const GeglRectangle &area, const Babl *space_of,
                       bool with_alpha) {
  nst::Image image;
  image.width = area.width;
  image.height = area.height;
  image.channels = with_alpha ? 4 : 3;
  image.pixels.resize(pixel_count(area) * static_cast<std::size_t>(image.channels));
  if (image.pixels.empty())
    return image;

  gegl_buffer_get(buffer, &area, 1.0, engine_format(space_of, with_alpha), image.pixels.data(),
                  GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  // Float images may hold values outside 0..1; the engine expects 0..1.
  for (float &v : image.pixels)
    v = clamp_unit(v);
  return image;
}

nst::Image read_pixels_over_white(GeglBuffer *buffer, const GeglRectangle &area,
                                  const Babl *space_of) {
  const nst::Image rgba = read_pixels(buffer, area, space_of, true);
  nst::Image rgb;
  rgb.width = rgba.width;
  rgb.height = rgba.height;
  rgb.channels = 3;
  rgb.pixels.resize(pixel_count(area) * 3);
  for (std::size_t i = 0; i < pixel_count(area); ++i) {
    const float alpha = rgba.pixels[i * 4 + 3];
    for (std::size_t c = 0; c < 3; ++c)
      rgb.pixels[i * 3 + c] = rgba.pixels[i * 4 + c] * alpha + (1.0f - alpha);
  }
  return rgb;
}

std::vector<float> read_coverage(GeglBuffer *mask, const GeglRectangle &area) {
  std::vector<float> coverage(pixel_count(area));
  if (coverage.empty())
    return coverage;
  gegl_buffer_get(mask, &area, 1.0, babl_format("Y float"), coverage.data(), GEGL_AUTO_ROWSTRIDE,
                  GEGL_ABYSS_NONE);
  for (float &v : coverage)
    v = clamp_unit(v);
  return coverage;
}

void write_pixels(GeglBuffer *buffer, const GeglRectangle &area, const Babl *space_of,
                  const nst::Image &image, const std::vector<float> &coverage) {
  const std::size_t count = pixel_count(area);
  if (image.width != area.width || image.height != area.height ||
      (image.channels != 3 && image.channels != 4) ||
      image.pixels.size() != count * static_cast<std::size_t>(image.channels) ||
      (!coverage.empty() && coverage.size() != count))
    throw std::invalid_argument("write_pixels: the image or coverage does not match the area");
  if (count == 0)
    return;

  if (coverage.empty()) {
    gegl_buffer_set(buffer, &area, 0, engine_format(space_of, image.channels == 4),
                    image.pixels.data(), GEGL_AUTO_ROWSTRIDE);
    return;
  }

  std::vector<float> rgba(count * 4);
  const std::size_t channels = static_cast<std::size_t>(image.channels);
  for (std::size_t i = 0; i < count; ++i) {
    const float *in = &image.pixels[i * channels];
    float *out = &rgba[i * 4];
    out[0] = in[0];
    out[1] = in[1];
    out[2] = in[2];
    out[3] = (channels == 4 ? in[3] : 1.0f) * coverage[i];
  }
  gegl_buffer_set(buffer, &area, 0, engine_format(space_of, true), rgba.data(),
                  GEGL_AUTO_ROWSTRIDE);
}

} // namespace nst_plugin
