// Colour preservation: luminance-only transfer keeps the content's chroma;
// histogram matching gives the style the content's colours first.
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>

namespace nst {
namespace {

// I and Q of YIQ for each pixel.
std::vector<float> chroma(const Image &image) {
  std::vector<float> iq;
  for (std::size_t i = 0; i < image.pixels.size(); i += image.channels) {
    const float r = image.pixels[i], g = image.pixels[i + 1], b = image.pixels[i + 2];
    iq.push_back(0.595716f * r - 0.274453f * g - 0.321263f * b);
    iq.push_back(0.211456f * r - 0.522591f * g + 0.311135f * b);
  }
  return iq;
}

std::array<double, 3> mean_colour(const Image &image) {
  std::array<double, 3> mean{};
  for (std::size_t i = 0; i < image.pixels.size(); i += image.channels)
    for (int c = 0; c < 3; ++c)
      mean[c] += image.pixels[i + c];
  for (auto &m : mean)
    m /= image.width * image.height;
  return mean;
}

double distance(const std::array<double, 3> &a, const std::array<double, 3> &b) {
  return std::sqrt(std::pow(a[0] - b[0], 2) + std::pow(a[1] - b[1], 2) + std::pow(a[2] - b[2], 2));
}

// A content of middling colours (so no channel clips) and a red style.
Image muted_content() {
  Image image = test::synthetic_image(48, 40, 3, 1);
  for (auto &v : image.pixels)
    v = 0.3f + 0.4f * v;
  return image;
}

Image red_style() {
  Image image = test::synthetic_image(40, 40, 3, 6);
  for (std::size_t i = 0; i < image.pixels.size(); i += 3) {
    image.pixels[i] = 0.6f + 0.4f * image.pixels[i];
    image.pixels[i + 1] *= 0.3f;
    image.pixels[i + 2] *= 0.3f;
  }
  return image;
}

TEST(ColourPreservation, LuminanceKeepsTheContentsChroma) {
  auto model = test::narrow_model();
  const Image content = muted_content(), style = red_style();
  Options options = test::quick_options(30);
  options.style_weight = 1e7;
  options.preserve_colors = ColorPreservation::luminance;
  Image result;
  ASSERT_TRUE(stylise(*model, content.view(), {{style.view(), 1.0f}}, options, result).ok());
  EXPECT_LT(test::max_abs_difference(chroma(result), chroma(content)), 2e-3f);
  EXPECT_GT(test::max_abs_difference(result.pixels, content.pixels), 0.02f); // luminance moved

  options.preserve_colors = ColorPreservation::none;
  Image free;
  ASSERT_TRUE(stylise(*model, content.view(), {{style.view(), 1.0f}}, options, free).ok());
  EXPECT_GT(test::max_abs_difference(chroma(free), chroma(content)), 0.02f);
}

TEST(ColourPreservation, HistogramMatchingKeepsTheContentsPalette) {
  auto model = test::narrow_model();
  const Image content = muted_content(), style = red_style();
  Options options = test::quick_options(30);
  options.style_weight = 1e7;
  Image matched, free;
  options.preserve_colors = ColorPreservation::histogram;
  ASSERT_TRUE(stylise(*model, content.view(), {{style.view(), 1.0f}}, options, matched).ok());
  options.preserve_colors = ColorPreservation::none;
  ASSERT_TRUE(stylise(*model, content.view(), {{style.view(), 1.0f}}, options, free).ok());
  const auto c = mean_colour(content);
  // Unmatched, the red style pulls the colours towards red; matched, it does not.
  EXPECT_LT(distance(mean_colour(matched), c), 0.5 * distance(mean_colour(free), c));
  EXPECT_GT(mean_colour(free)[0] - c[0], mean_colour(matched)[0] - c[0]);
}

} // namespace
} // namespace nst
