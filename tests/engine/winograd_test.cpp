// Winograd F(4x4, 3x3) against LibTorch's direct convolution in float64:
// image sizes that are and are not multiples of the tile, channel counts
// below, at and above one vector of lanes, a batch, and no bias; then in the
// network, losses and gradient against the direct convolutions.
#include "core/winograd.h"

#include "core/model.h"
#include "core/probe.h"
#include "test_support.h"

#include "core/torch_api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace nst {
namespace {

struct Shape {
  int batch, in, out, height, width;
};

// The largest difference from the float64 reference, relative to the
// reference's largest magnitude.
double relative_error(const Shape &s, bool with_bias) {
  torch::manual_seed(7);
  const torch::Tensor input = torch::randn({s.batch, s.in, s.height, s.width});
  const torch::Tensor weight = torch::randn({s.out, s.in, 3, 3}) / (3.0 * std::sqrt(s.in));
  const torch::Tensor bias = with_bias ? torch::randn({s.out}) : torch::Tensor();
  const torch::Tensor expected =
      torch::conv2d(input.to(torch::kFloat64), weight.to(torch::kFloat64),
                    with_bias ? bias.to(torch::kFloat64) : torch::Tensor(), 1, 1);
  const torch::Tensor got = winograd_conv3x3(input, winograd_kernel(weight), bias);
  EXPECT_EQ(got.sizes(), expected.sizes());
  EXPECT_TRUE(got.is_contiguous(torch::MemoryFormat::ChannelsLast));
  return ((got.to(torch::kFloat64) - expected).abs().max() / expected.abs().max()).item<double>();
}

class WinogradShapes : public ::testing::TestWithParam<Shape> {};

TEST_P(WinogradShapes, MatchesDirectConvolution) {
  // F(4x4, 3x3) in float32 loses a few bits to its transforms' scaling
  // (3.7e-6 measured at 64 channels; oneDNN's direct float32 about 5e-7).
  EXPECT_LT(relative_error(GetParam(), true), 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Sizes, WinogradShapes,
                         ::testing::Values(Shape{1, 16, 16, 8, 8},     // whole tiles
                                           Shape{1, 16, 32, 7, 9},     // cut tiles
                                           Shape{1, 3, 5, 1, 1},       // one pixel, few lanes
                                           Shape{1, 20, 24, 5, 6},     // lanes and a remainder
                                           Shape{2, 32, 16, 10, 13},   // a batch
                                           Shape{1, 64, 64, 33, 30})); // VGG-like width

// bfloat16 pixels in and out: no further from the float64 result than
// oneDNN's direct bfloat16 convolution is, give or take its rounding.
TEST(Winograd, TakesBfloat16Pixels) {
  torch::manual_seed(9);
  const torch::Tensor input = torch::randn({1, 32, 13, 11}).relu();
  const torch::Tensor weight = torch::randn({48, 32, 3, 3}) / 17.0;
  const torch::Tensor bias = torch::randn({48});
  const torch::Tensor expected = torch::conv2d(
      input.to(torch::kFloat64), weight.to(torch::kFloat64), bias.to(torch::kFloat64), 1, 1);
  const torch::Tensor got =
      winograd_conv3x3(input.to(torch::kBFloat16), winograd_kernel(weight), bias);
  ASSERT_EQ(got.scalar_type(), torch::kBFloat16);
  const torch::Tensor direct = torch::conv2d(
      input.to(torch::kBFloat16), weight.to(torch::kBFloat16), bias.to(torch::kBFloat16), 1, 1);
  const auto error = [&](const torch::Tensor &t) {
    return ((t.to(torch::kFloat64) - expected).abs().max() / expected.abs().max()).item<double>();
  };
  EXPECT_LT(error(got), 1.5 * error(direct) + 1e-3);
  EXPECT_LT(error(got), 1e-2);
}

TEST(Winograd, WithoutBias) {
  EXPECT_LT(relative_error(Shape{1, 16, 16, 9, 11}, false), 1e-5);
}

TEST(Winograd, TakesAnyMemoryFormat) {
  torch::manual_seed(3);
  const torch::Tensor input = torch::randn({1, 16, 12, 12});
  const torch::Tensor kernel = winograd_kernel(torch::randn({8, 16, 3, 3}));
  const torch::Tensor plain = winograd_conv3x3(input, kernel, {});
  const torch::Tensor last =
      winograd_conv3x3(input.contiguous(torch::MemoryFormat::ChannelsLast), kernel, {});
  EXPECT_TRUE(torch::equal(plain, last));
}

TEST(Winograd, RejectsOtherInputs) {
  const torch::Tensor kernel = winograd_kernel(torch::randn({8, 16, 3, 3}));
  EXPECT_ANY_THROW(winograd_conv3x3(torch::randn({1, 16, 4, 4}, torch::kFloat64), kernel, {}));
  EXPECT_ANY_THROW(winograd_conv3x3(torch::randn({1, 8, 4, 4}), kernel, {}));
}

// The objective of a float32 run with wide layers (which use Winograd)
// equals the direct convolutions' one: losses and d loss / d image.
TEST(WinogradInTheNetwork, GivesTheDirectLossesAndGradient) {
  const auto model = test::model_of_widths({16, 128, 128, 128, 128}, 5);
  ASSERT_TRUE(model->uses_winograd(3, torch::kFloat32)); // conv2_2, 128 -> 128
  ASSERT_FALSE(model->uses_winograd(3, torch::kBFloat16));
  ASSERT_FALSE(model->uses_winograd(2, torch::kFloat32)); // conv2_1, 16 -> 128

  const int w = 40, h = 28;
  const Image content = test::synthetic_image(w, h, 3, 1);
  const Image style = test::synthetic_image(36, 30, 3, 4);
  Options options = test::quick_options(1);
  options.content_layers = {{"relu4_2", 1.0f}, {"conv2_2", 0.5f}};
  options.style_layers = {{"relu1_1", 1.0f}, {"conv3_1", 0.7f}, {"relu5_1", 1.0f}};
  std::vector<double> image(std::size_t(3) * h * w);
  for (std::size_t i = 0; i < image.size(); ++i)
    image[i] = 0.5 + 0.3 * std::sin(0.37 * double(i));

  probe::Evaluation winograd, direct;
  ASSERT_TRUE(
      probe::evaluate(*model, content.view(), {{style.view(), 1.0f}}, options, image, winograd)
          .ok());
  model->set_winograd_enabled(false);
  ASSERT_TRUE(
      probe::evaluate(*model, content.view(), {{style.view(), 1.0f}}, options, image, direct).ok());
  EXPECT_NEAR(winograd.content, direct.content, 1e-4 * direct.content);
  EXPECT_NEAR(winograd.style, direct.style, 1e-4 * direct.style);
  ASSERT_EQ(winograd.gradient.size(), direct.gradient.size());
  double largest = 0, difference = 0;
  for (std::size_t i = 0; i < direct.gradient.size(); ++i) {
    largest = std::max(largest, double(std::fabs(direct.gradient[i])));
    difference = std::max(difference, double(std::fabs(winograd.gradient[i] - direct.gradient[i])));
  }
  ASSERT_GT(largest, 0);
  EXPECT_LT(difference / largest, 1e-4);
}

} // namespace
} // namespace nst
