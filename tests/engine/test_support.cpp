#include "test_support.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace nst::test {

std::shared_ptr<Model> narrow_model(std::uint64_t seed, Pooling pooling,
                                    Preprocessing preprocessing) {
  ModelOptions options;
  options.device = DeviceKind::cpu;
  options.pooling = pooling;
  options.preprocessing = preprocessing;
  auto convs = probe::random_vgg19({8, 16, 32, 64, 64}, seed);
  if (preprocessing == Preprocessing::caffe) {
    // Caffe's input is 0..255 where torchvision's is about -2..2: a first
    // layer that expects it keeps the features at the same scale.
    for (float &w : convs[0].weight)
      w /= 255.0f * 0.226f;
  }
  std::shared_ptr<Model> model;
  const Status status = probe::make_model(convs, options, model);
  if (!status.ok())
    throw std::runtime_error("narrow_model: " + status.message);
  return model;
}

std::shared_ptr<Model> model_of_widths(const std::array<int, 5> &widths, std::uint64_t seed) {
  ModelOptions options;
  options.device = DeviceKind::cpu;
  std::shared_ptr<Model> model;
  const Status status = probe::make_model(probe::random_vgg19(widths, seed), options, model);
  if (!status.ok())
    throw std::runtime_error("model_of_widths: " + status.message);
  return model;
}

Image synthetic_image(int width, int height, int channels, int variant) {
  Image image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  image.pixels.resize(std::size_t(width) * height * channels);
  const double f = 1.0 + variant;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      float *p = &image.pixels[(std::size_t(y) * width + x) * channels];
      const double u = double(x) / width, v = double(y) / height;
      p[0] = float(0.5 + 0.4 * std::sin(6.0 * f * u + 2.0 * v));
      p[1] = float(0.5 + 0.4 * std::cos(5.0 * f * v - 3.0 * u * u));
      p[2] = float(0.5 + 0.4 * std::sin(9.0 * (u + v) * f + variant));
      if (channels == 4)
        p[3] = float((x + 2 * y) % 7) / 6.0f;
    }
  }
  return image;
}

Image ramp_mask(int width, int height, double start, double end, bool left) {
  Image mask;
  mask.width = width;
  mask.height = height;
  mask.channels = 1;
  mask.pixels.resize(std::size_t(width) * height);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double at = (x + 0.5) / width;
      const double value = std::clamp((end - at) / std::max(end - start, 1e-9), 0.0, 1.0);
      mask.pixels[std::size_t(y) * width + x] = float(left ? value : 1.0 - value);
    }
  return mask;
}

MaskView mask_view(const Image &mask) {
  return {mask.pixels.data(), mask.width, mask.height, 0};
}

Options quick_options(int steps) {
  Options options;
  options.size = 0;
  options.scales.clear();
  options.iterations = steps;
  options.preview_every = 0;
  return options;
}

std::string env_or_empty(const char *name) {
  const char *value = std::getenv(name);
  return value ? value : "";
}

float max_abs_difference(const std::vector<float> &a, const std::vector<float> &b) {
  if (a.size() != b.size())
    return INFINITY;
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst;
}

} // namespace nst::test
