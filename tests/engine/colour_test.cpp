// The image operations: where a finer scale starts; colour control:
// luminance-only transfer keeps the content's chroma; the style's colours
// matched to the content's first, by mean and covariance or by histogram.
#include "core/torch_api.h"

#include "core/image_ops.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace nst {
namespace {

TEST(FinerScaleStart, IsTheContentWhereTheCoarserResultIsTheContentThroughItsSize) {
  torch::manual_seed(5);
  const torch::Tensor content = torch::rand({1, 3, 37, 50});
  const torch::Tensor coarser = resize_image(content, 19, 25);
  const torch::Tensor start = finer_scale_start(coarser, content);
  EXPECT_LT((start - content).abs().max().item<double>(), 1e-6);
  // Resizing alone loses the detail.
  EXPECT_GT((resize_image(coarser, 37, 50) - content).abs().max().item<double>(), 0.1);
}

TEST(FinerScaleStart, AddsTheContentsDetailToTheResizedResult) {
  torch::manual_seed(6);
  const torch::Tensor content = torch::rand({1, 3, 37, 50});
  const torch::Tensor coarser = torch::rand({1, 3, 19, 25});
  const torch::Tensor detail = content - resize_image(resize_image(content, 19, 25), 37, 50);
  const torch::Tensor start = finer_scale_start(coarser, content);
  ASSERT_EQ(start.sizes(), content.sizes());
  EXPECT_LT((start - resize_image(coarser, 37, 50) - detail).abs().max().item<double>(), 1e-6);
  // A scale of the same size has no detail to add, and its start is a copy.
  const torch::Tensor same = finer_scale_start(content, content);
  EXPECT_TRUE(same.equal(content));
  EXPECT_NE(same.data_ptr(), content.data_ptr());
}

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

TEST(ColourPreservation, MatchedStyleColoursKeepTheContentsPalette) {
  auto model = test::narrow_model();
  const Image content = muted_content(), style = red_style();
  Options options = test::quick_options(30);
  options.style_weight = 1e7;
  Image free;
  ASSERT_TRUE(stylise(*model, content.view(), {{style.view(), 1.0f}}, options, free).ok());
  const auto c = mean_colour(content);
  for (StyleColors mode : {StyleColors::mean_covariance, StyleColors::histogram}) {
    options.match_style_colors = mode;
    Image matched;
    ASSERT_TRUE(stylise(*model, content.view(), {{style.view(), 1.0f}}, options, matched).ok());
    // Unmatched, the red style pulls the colours towards red; matched, it does not.
    EXPECT_LT(distance(mean_colour(matched), c), 0.5 * distance(mean_colour(free), c)) << int(mode);
    EXPECT_GT(mean_colour(free)[0] - c[0], mean_colour(matched)[0] - c[0]) << int(mode);
  }
}

// 1 x 3 x 1 x N images from per-pixel colours.
torch::Tensor colours(const std::vector<std::array<float, 3>> &pixels) {
  torch::Tensor out = torch::empty({1, 3, 1, int64_t(pixels.size())});
  for (std::size_t i = 0; i < pixels.size(); ++i)
    for (int c = 0; c < 3; ++c)
      out[0][c][0][int64_t(i)] = pixels[i][c];
  return out;
}

torch::Tensor sorted_channel(const torch::Tensor &image, int channel) {
  return std::get<0>(image[0][channel].reshape(-1).sort());
}

TEST(HistogramMatching, AGreyReferenceGivesItsExactHistogramToEveryChannel) {
  // The reference is grey with values t^2 (a known, skewed histogram); the
  // image is colourful noise with as many pixels. Matched, the image is grey
  // and each channel's sorted values are exactly the reference's.
  constexpr int kPixels = 997;
  std::vector<std::array<float, 3>> grey, noise;
  torch::manual_seed(3);
  const torch::Tensor random = torch::rand({kPixels, 3});
  for (int i = 0; i < kPixels; ++i) {
    const float t = float(i) / (kPixels - 1);
    grey.push_back({t * t, t * t, t * t});
    noise.push_back(
        {random[i][0].item<float>(), random[i][1].item<float>(), random[i][2].item<float>()});
  }
  const torch::Tensor reference = colours(grey), image = colours(noise);
  const torch::Tensor matched = match_histograms(image, reference);
  ASSERT_EQ(matched.sizes(), image.sizes());
  for (int c = 0; c < 3; ++c)
    EXPECT_LT((sorted_channel(matched, c) - sorted_channel(reference, c)).abs().max().item<float>(),
              1e-5f)
        << "channel " << c;
}

TEST(HistogramMatching, EachDecorrelatedChannelTakesTheReferencesQuantiles) {
  // A reference with correlated, non-Gaussian colours; the image has twice
  // its pixels. In the reference's colour axes, the image's i-th smallest
  // value becomes the reference's quantile at the same rank, and the order
  // of the image's values is kept (a monotone map per axis).
  torch::manual_seed(5);
  const torch::Tensor u = torch::rand({1, 1, 40, 50});
  const torch::Tensor reference =
      torch::cat({0.2 + 0.6 * u.pow(3), 0.1 + 0.5 * u + 0.2 * torch::rand({1, 1, 40, 50}),
                  0.9 - 0.7 * u.sqrt()},
                 1);
  const torch::Tensor image = torch::rand({1, 3, 40, 100}) * 0.5 + 0.25;
  const torch::Tensor matched = match_histograms(image, reference);
  EXPECT_GE(matched.min().item<float>(), 0.0f);
  EXPECT_LE(matched.max().item<float>(), 1.0f);

  // The reference's axes, computed here the textbook way.
  const torch::Tensor ref = reference.reshape({3, -1}).to(torch::kFloat64);
  const torch::Tensor mean = ref.mean(1, true);
  const torch::Tensor axes =
      std::get<1>(torch::linalg_eigh((ref - mean).mm((ref - mean).t()) / ref.size(1)));
  const torch::Tensor ref_axes = axes.t().mm(ref - mean);
  const torch::Tensor image_axes = axes.t().mm(image.reshape({3, -1}).to(torch::kFloat64) - mean);
  const torch::Tensor matched_axes =
      axes.t().mm(matched.reshape({3, -1}).to(torch::kFloat64) - mean);
  for (int c = 0; c < 3; ++c) {
    // Every reference value twice, in order (the image has 2x the pixels).
    const torch::Tensor expected = std::get<0>(ref_axes[c].sort()).repeat_interleave(2);
    const torch::Tensor got = std::get<0>(matched_axes[c].sort());
    EXPECT_LT((got - expected).abs().max().item<double>(), 1e-5) << "axis " << c;
    const torch::Tensor image_order = image_axes[c].argsort();
    EXPECT_TRUE(
        bool((matched_axes[c].index_select(0, image_order).diff() >= -1e-6).all().item<bool>()))
        << "axis " << c << ": the order of the image's values was not kept";
  }
}

TEST(HistogramMatching, MeanAndCovarianceMatchingGivesTheReferencesMoments) {
  torch::manual_seed(7);
  const torch::Tensor reference = torch::rand({1, 3, 30, 30}) * 0.3 + 0.4;
  const torch::Tensor image = torch::rand({1, 3, 20, 25}).pow(2) * 0.6 + 0.2;
  const torch::Tensor matched = match_colours(image, reference).reshape({3, -1});
  const torch::Tensor ref = reference.reshape({3, -1});
  EXPECT_LT((matched.mean(1) - ref.mean(1)).abs().max().item<float>(), 1e-4f);
  EXPECT_LT((torch::cov(matched) * (matched.size(1) - 1) / matched.size(1) -
             torch::cov(ref) * (ref.size(1) - 1) / ref.size(1))
                .abs()
                .max()
                .item<float>(),
            1e-4f);
}

} // namespace
} // namespace nst
