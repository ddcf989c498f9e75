// Styles by region (Gatys et al. 2017, guided Gram matrices): the guidance
// carried to the layers, erosion included; guided terms evaluated in blocks
// against the whole image; a mask of ones against no mask; two regions that
// each take their own style's colours; masks that cannot be used refused.
// The losses and gradient against PyTorch are in reference_test.cpp.
#include "core/torch_api.h"

#include "core/blocks.h"
#include "core/guidance.h"
#include "core/image_ops.h"
#include "core/memory_plan.h"
#include "core/objective.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace nst {
namespace {

using ::testing::HasSubstr;

// The first column at which `g` (1 x 1 x H x W) is 0 in every row.
long first_empty_column(const torch::Tensor &g) {
  const torch::Tensor columns = g[0][0].amax(0);
  for (long x = 0; x < columns.size(0); ++x)
    if (columns[x].item<float>() == 0.0f)
      return x;
  return columns.size(0);
}

TEST(Guidance, InsideErodesByEachConvolutionsWindowButNotAtTheImagesEdge) {
  // Ones in columns 0 .. 15 of 32.
  torch::Tensor mask = torch::zeros({1, 1, 32, 32});
  mask.index_put_({0, 0, torch::indexing::Slice(), torch::indexing::Slice(0, 16)}, 1.0f);
  const std::vector<vgg::LayerRef> layers = {{0, true}, {1, true}, {2, true}};
  const auto inside = guidance_at_layers(mask, layers, MaskErosion::inside);
  ASSERT_EQ(inside.size(), 3u);
  EXPECT_EQ(inside[0].sizes(), (std::vector<long>{1, 1, 32, 32}));
  EXPECT_EQ(first_empty_column(inside[0]), 15); // conv1_1's window reaches column 16
  EXPECT_EQ(first_empty_column(inside[1]), 14);
  EXPECT_EQ(inside[2].sizes(), (std::vector<long>{1, 1, 16, 16}));
  EXPECT_EQ(first_empty_column(inside[2]), 6); // pooled pairs up to column 13, then eroded
  // The image's edge does not erode: the first rows and column stay 1.
  EXPECT_EQ(inside[2][0][0][0][0].item<float>(), 1.0f);

  const auto scaled = guidance_at_layers(mask, layers, MaskErosion::none);
  EXPECT_TRUE(scaled[1].equal(mask));
  EXPECT_EQ(first_empty_column(scaled[2]), 8);

  // A soft mask erodes to the smallest value in each window.
  const torch::Tensor ramp = torch::linspace(0, 1, 32).view({1, 1, 1, 32}).expand({1, 1, 8, 32});
  const auto soft = guidance_at_layers(ramp.contiguous(), {{0, true}}, MaskErosion::inside);
  EXPECT_FLOAT_EQ(soft[0][0][0][0][5].item<float>(), ramp[0][0][0][4].item<float>());
}

double relative(double a, double b) {
  return std::fabs(a - b) / std::max(std::fabs(b), 1e-30);
}

// Two regions (soft, overlapping) and a style everywhere, on an odd-sized
// image in 4 x 3 blocks: the same loss and gradient as the whole image,
// with Gram matrices (both erosions) and with means and covariances.
TEST(GuidedBlocks, EqualTheWholeImagesLossAndGradient) {
  const std::pair<MaskErosion, StyleLossKind> cases[] = {
      {MaskErosion::inside, StyleLossKind::gram},
      {MaskErosion::none, StyleLossKind::gram},
      {MaskErosion::inside, StyleLossKind::mean_covariance}};
  for (const auto &[erosion, loss] : cases) {
    SCOPED_TRACE(loss == StyleLossKind::gram ? "gram" : "mean-covariance");
    auto model = test::narrow_model(3);
    Options options = test::quick_options(1);
    options.mask_erosion = erosion;
    options.style_loss = loss;
    options.style_layers = {{"relu1_1", 1.0f},
                            {"relu2_1", 0.7f},
                            {"relu3_1", 1.0f},
                            {"relu4_1", 1.0f},
                            {"relu5_1", 1.3f}};
    Objective objective(*model, options, torch::kFloat32);
    const int width = 357, height = 301;
    const torch::Tensor content =
        rgb_tensor(test::synthetic_image(width, height, 3, 0).view(), torch::kCPU);
    const Image left = test::ramp_mask(width, height, 0.2, 0.7);
    const Image right = test::ramp_mask(width, height, 0.4, 0.8, false);
    std::vector<ScaledStyle> styles(3);
    for (int i = 0; i < 3; ++i)
      styles[std::size_t(i)].image =
          rgb_tensor(test::synthetic_image(70 + 10 * i, 60, 3, 4 + i).view(), torch::kCPU);
    styles[0].region = mask_tensor(test::mask_view(left), torch::kCPU);
    styles[0].region_key = &left;
    styles[1].region = mask_tensor(test::mask_view(right), torch::kCPU);
    styles[1].region_key = &right;
    styles[2].weight = 0.5;
    objective.set_style_terms(make_style_terms(objective, styles));
    torch::manual_seed(5);
    const torch::Tensor start = (content + 0.2 * torch::rand_like(content)).clamp(0, 1);

    objective.set_content(content);
    const torch::Tensor whole_image = start.clone().requires_grad_(true);
    const LossValues whole = objective.evaluate(whole_image, true);
    const auto blocks = plan_blocks(width, height, 64, objective.deepest_conv());
    ASSERT_EQ(blocks.size(), 12u);
    objective.set_content(content, blocks, true);
    torch::Tensor gradient;
    const LossValues in_blocks = objective.evaluate_in_blocks(start, blocks, gradient);
    EXPECT_GT(whole.style, 0);
    EXPECT_LT(relative(in_blocks.style, whole.style), 1e-5);
    EXPECT_LT(relative(in_blocks.total, whole.total), 1e-5);
    const double scale = whole_image.grad().abs().max().item<double>();
    EXPECT_LT((gradient - whole_image.grad()).abs().max().item<double>() / scale, 1e-5);
  }
}

// The plan counts the masks: at their own size, and each region with its
// guidance at the scale's size.
TEST(GuidedMemory, ThePlanCountsTheMasks) {
  auto model = test::narrow_model();
  const Options options = test::quick_options(10);
  ScaleSizes sizes;
  sizes.width = sizes.height = 256;
  sizes.steps = 10;
  sizes.content_pixels = 256.0 * 256;
  sizes.style_pixels = sizes.scaled_style_pixels = 128.0 * 128;
  const ScaleMemory plain =
      plan_scale_memory(network_shape(*model, torch::kFloat32), options, 12, sizes);
  sizes.mask_pixels = 2 * sizes.content_pixels;
  sizes.scale_masks = 2;
  const ScaleMemory masked =
      plan_scale_memory(network_shape(*model, torch::kFloat32), options, 12, sizes);
  EXPECT_GE(double(masked.estimate) - double(plain.estimate),
            2 * 4.0 * sizes.content_pixels + 2 * 4.0 * 256 * 256);
}

class RegionRun : public ::testing::Test {
protected:
  Status run(const std::vector<StyleImage> &styles, const Options &options, Image &result) {
    return stylise(*model, content.view(), styles, options, result);
  }
  std::shared_ptr<Model> model = test::narrow_model();
  Image content = test::synthetic_image(64, 48, 3, 0);
  Image style = test::synthetic_image(40, 40, 3, 3);
};

// A mask of ones is no mask: one style painted everywhere.
TEST_F(RegionRun, AMaskOfOnesPaintsAsNoMask) {
  const Options options = test::quick_options(4);
  const Image ones = test::ramp_mask(64, 48, 1.5, 2.0); // 1 everywhere
  StyleImage masked{style.view(), 1.0f};
  masked.region = test::mask_view(ones);
  Image plain, with_mask;
  ASSERT_TRUE(run({{style.view(), 1.0f}}, options, plain).ok());
  ASSERT_TRUE(run({masked}, options, with_mask).ok());
  EXPECT_LT(test::max_abs_difference(plain.pixels, with_mask.pixels), 1e-5f);
}

// Mean red minus blue of `image` (packed RGB) in columns [x0, x1).
double red_over_blue(const Image &image, int x0, int x1) {
  double sum = 0;
  for (int y = 0; y < image.height; ++y)
    for (int x = x0; x < x1; ++x) {
      const float *p = &image.pixels[(std::size_t(y) * image.width + x) * 3];
      sum += p[0] - p[2];
    }
  return sum / (double(image.height) * (x1 - x0));
}

// `image` with its channels scaled: a tinted copy.
Image tinted(const Image &image, float r, float g, float b) {
  Image out = image;
  for (std::size_t i = 0; i < out.pixels.size(); i += 3) {
    out.pixels[i] *= r;
    out.pixels[i + 1] *= g;
    out.pixels[i + 2] *= b;
  }
  return out;
}

// A red style on the left and a blue one on the right, then the other way
// round: each half takes its own style's colours, not the other's.
TEST_F(RegionRun, EachRegionTakesItsOwnStylesColours) {
  Options options = test::quick_options(30);
  options.content_weight = 1e-3;
  const Image red = tinted(style, 1.0f, 0.15f, 0.15f);
  const Image blue = tinted(test::synthetic_image(40, 40, 3, 4), 0.15f, 0.15f, 1.0f);
  const Image left = test::ramp_mask(64, 48, 0.45, 0.55);
  const Image right = test::ramp_mask(64, 48, 0.45, 0.55, false);
  const auto paint = [&](const Image &on_left, const Image &on_right) {
    std::vector<StyleImage> styles = {{on_left.view(), 1.0f}, {on_right.view(), 1.0f}};
    styles[0].region = test::mask_view(left);
    styles[1].region = test::mask_view(right);
    Image result;
    const Status status = run(styles, options, result);
    EXPECT_TRUE(status.ok()) << status.message;
    return std::make_pair(red_over_blue(result, 0, 24), red_over_blue(result, 40, 64));
  };
  const auto [red_left, blue_right] = paint(red, blue);
  const auto [blue_left, red_right] = paint(blue, red);
  EXPECT_GT(red_left, blue_left + 0.2);
  EXPECT_GT(red_right, blue_right + 0.2);
  // Each half moved from the content's colours toward its style's.
  EXPECT_GT(red_left, red_over_blue(content, 0, 24));
  EXPECT_LT(blue_left, red_over_blue(content, 0, 24));
  EXPECT_GT(red_right, red_over_blue(content, 40, 64));
  EXPECT_LT(blue_right, red_over_blue(content, 40, 64));
}

TEST_F(RegionRun, MasksThatCannotBeUsedAreRefused) {
  const Options options = test::quick_options(1);
  Image result;
  const Image small = test::ramp_mask(32, 48, 0.5, 0.6);
  const Image empty = test::ramp_mask(64, 48, -1.0, -0.5); // 0 everywhere
  Image beyond = test::ramp_mask(64, 48, 0.5, 0.6);
  beyond.pixels[5 * 64 + 3] = 2.0f;
  Image nan = beyond;
  nan.pixels[5 * 64 + 3] = std::nanf("");
  struct Bad {
    const Image *mask;
    bool style_side;
    const char *mentioned;
  };
  for (const Bad &bad :
       {Bad{&small, false, "32x48; expected 64x48"}, Bad{&empty, false, "selects no pixel"},
        Bad{&beyond, false, "at pixel 3, 5"}, Bad{&nan, false, "at pixel 3, 5"},
        Bad{&small, true, "style region of style image 2"}}) {
    std::vector<StyleImage> styles = {{style.view(), 1.0f}, {style.view(), 1.0f}};
    (bad.style_side ? styles[1].style_region : styles[1].region) = test::mask_view(*bad.mask);
    const Status status = run(styles, options, result);
    EXPECT_EQ(status.code, ErrorCode::invalid_argument) << bad.mentioned;
    EXPECT_THAT(status.message, HasSubstr(bad.mentioned));
    EXPECT_THAT(status.message, HasSubstr("style image 2"));
  }
}

} // namespace
} // namespace nst
