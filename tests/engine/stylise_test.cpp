// End-to-end runs of stylise() on tiny images with a narrow VGG19.
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace nst {
namespace {

struct RunResult {
  Status status;
  Image image;
  RunReport report;
  std::vector<Progress> progress;            // previews not kept
  std::vector<std::pair<int, int>> previews; // their sizes
};

RunResult run(Model &model, const Image &content, const std::vector<StyleImage> &styles,
              const Options &options, const CancelToken *cancel = nullptr,
              std::function<void(const Progress &)> extra = {}) {
  RunResult result;
  auto callback = [&](const Progress &p) {
    result.progress.push_back(p);
    if (p.preview)
      result.previews.emplace_back(p.preview->width, p.preview->height);
    if (extra)
      extra(p);
  };
  result.status = stylise(model, content.view(), styles, options, result.image, callback, cancel,
                          &result.report);
  return result;
}

class StyliseTest : public ::testing::Test {
protected:
  std::shared_ptr<Model> model = test::narrow_model();
  Image content = test::synthetic_image(48, 32, 3, 0);
  Image style = test::synthetic_image(40, 40, 3, 3);
};

TEST_F(StyliseTest, ANonFiniteLossStopsTheRunNamingTheTerm) {
  // A network with a NaN (made in memory, past the loader's check): every
  // loss is NaN, and the run says so instead of returning a NaN picture.
  auto convs = probe::random_vgg19({8, 16, 32, 64, 64}, 1);
  convs[4].weight[0] = std::nanf("");
  ModelOptions model_options;
  model_options.device = DeviceKind::cpu;
  std::shared_ptr<Model> broken;
  ASSERT_TRUE(probe::make_model(convs, model_options, broken).ok());
  const RunResult r = run(*broken, content, {{style.view(), 1.0f}}, test::quick_options(3));
  EXPECT_EQ(r.status.code, ErrorCode::invalid_argument);
  EXPECT_NE(r.status.message.find("loss became nan"), std::string::npos) << r.status.message;
  EXPECT_TRUE(r.image.pixels.empty());
}

TEST_F(StyliseTest, LossFallsOverSteps) {
  const RunResult r = run(*model, content, {{style.view(), 1.0f}}, test::quick_options(12));
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  ASSERT_EQ(r.report.steps.size(), 12u);
  EXPECT_LT(r.report.steps.back().total_loss, 0.5 * r.report.steps.front().total_loss);
  EXPECT_EQ(r.image.width, 48);
  EXPECT_EQ(r.image.height, 32);
  EXPECT_EQ(r.image.channels, 3);
  EXPECT_EQ(r.report.device, "cpu");
  EXPECT_FALSE(r.report.stopped_early);
  EXPECT_GT(r.report.peak_memory_bytes, 0u);
  for (float v : r.image.pixels)
    ASSERT_TRUE(v >= 0.0f && v <= 1.0f);
}

TEST_F(StyliseTest, AdamLowersTheLoss) {
  Options options = test::quick_options(15);
  options.optimizer = Optimizer::adam;
  options.learning_rate = 5; // pixel units
  const RunResult r = run(*model, content, {{style.view(), 1.0f}}, options);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_LT(r.report.steps.back().total_loss, 0.8 * r.report.steps.front().total_loss);
}

TEST_F(StyliseTest, ProgressReportsEveryStepWithPreviews) {
  Options options = test::quick_options(4);
  options.scales = {32, 48};
  options.iterations_per_scale = {6, 4};
  options.preview_every = 3;
  const RunResult r = run(*model, content, {{style.view(), 1.0f}}, options);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  ASSERT_EQ(r.progress.size(), 10u);
  for (std::size_t i = 0; i < r.progress.size(); ++i) {
    const Progress &p = r.progress[i];
    EXPECT_EQ(p.total_step, int(i) + 1);
    EXPECT_EQ(p.total_steps, 10);
    EXPECT_EQ(p.scale_count, 2);
    EXPECT_EQ(p.scale_index, i < 6 ? 0 : 1);
    EXPECT_EQ(p.step, i < 6 ? int(i) + 1 : int(i) - 5);
    EXPECT_EQ(p.steps_in_scale, i < 6 ? 6 : 4);
    EXPECT_NEAR(p.total_loss, p.content_loss + 1e5 * p.style_loss + 1e-3 * p.tv_loss,
                1e-4 * p.total_loss);
    if (i > 0) {
      EXPECT_GE(p.elapsed_seconds, r.progress[i - 1].elapsed_seconds);
    }
  }
  // Steps 3 and 6 of the first scale (32 x 21), 3 and the last of the second.
  const std::vector<std::pair<int, int>> expected = {{32, 21}, {32, 21}, {48, 32}, {48, 32}};
  EXPECT_EQ(r.previews, expected);
  EXPECT_EQ(r.report.steps.size(), 10u);
}

// Previews shrink to preview_side, their aspect kept; a scale already
// within it is shown at its size. In luminance mode the content's colours
// are shrunk with them.
TEST_F(StyliseTest, PreviewsShrinkToPreviewSide) {
  for (const ColorPreservation colours : {ColorPreservation::none, ColorPreservation::luminance}) {
    Options options = test::quick_options(2);
    options.scales = {32, 48};
    options.iterations_per_scale = {2, 2};
    options.preview_every = 2;
    options.preview_side = 40;
    options.preserve_colors = colours;
    const RunResult r = run(*model, content, {{style.view(), 1.0f}}, options);
    ASSERT_TRUE(r.status.ok()) << r.status.message;
    const std::vector<std::pair<int, int>> expected = {{32, 21}, {40, 27}};
    EXPECT_EQ(r.previews, expected);
    EXPECT_EQ(r.image.width, 48);
  }
}

// Iterate averaging changes only what each scale outputs: the same steps,
// and the result is the bias-corrected moving average of their images
// (here the images of a run without it, taken from its previews).
TEST_F(StyliseTest, IterateAveragingOutputsTheStepsMovingAverage) {
  Options options = test::quick_options(6);
  options.optimizer = Optimizer::adam;
  options.learning_rate = 5;
  options.preview_every = 1;
  options.measure_result = true;
  std::vector<std::vector<float>> images;
  const RunResult plain = run(*model, content, {{style.view(), 1.0f}}, options, nullptr,
                              [&](const Progress &p) { images.push_back(p.preview->pixels); });
  ASSERT_TRUE(plain.status.ok()) << plain.status.message;
  ASSERT_EQ(images.size(), 6u);
  options.iterate_averaging = 0.6;
  const RunResult averaged = run(*model, content, {{style.view(), 1.0f}}, options);
  ASSERT_TRUE(averaged.status.ok()) << averaged.status.message;
  ASSERT_EQ(averaged.report.steps.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) // the same optimisation
    EXPECT_NEAR(averaged.report.steps[i].total_loss, plain.report.steps[i].total_loss,
                1e-6 * plain.report.steps[i].total_loss);
  // Previews are clamped to 0..1 where the steps' images need not be: the
  // values compared are those no step took out of that range.
  const double decay = options.iterate_averaging;
  double worst = 0, moved = 0;
  std::size_t compared = 0;
  for (std::size_t p = 0; p < images.back().size(); ++p) {
    double average = 0, weight = 0;
    bool clamped = false;
    for (const std::vector<float> &image : images) {
      average = average * decay + (1 - decay) * image[p];
      weight = weight * decay + (1 - decay);
      clamped = clamped || image[p] <= 0.0f || image[p] >= 1.0f;
    }
    moved = std::max(moved, double(std::fabs(averaged.image.pixels[p] - plain.image.pixels[p])));
    if (clamped)
      continue;
    worst = std::max(worst, std::fabs(averaged.image.pixels[p] - average / weight));
    ++compared;
  }
  EXPECT_GT(compared, images.back().size() / 2);
  EXPECT_LT(worst, 1e-5);
  EXPECT_GT(moved, 1e-3); // not simply the last step's image
  // Each run measured its result's loss once more.
  EXPECT_GT(plain.report.result_loss, 0);
  EXPECT_GT(averaged.report.result_loss, 0);
  EXPECT_NE(plain.report.result_loss, averaged.report.result_loss);
  EXPECT_LT(plain.report.result_loss, plain.report.steps.front().total_loss);
}

TEST_F(StyliseTest, SameSeedGivesTheSameImage) {
  Options options = test::quick_options(5);
  options.init = Init::noise;
  options.seed = 42;
  const RunResult a = run(*model, content, {{style.view(), 1.0f}}, options);
  const RunResult b = run(*model, content, {{style.view(), 1.0f}}, options);
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  EXPECT_EQ(a.image.pixels, b.image.pixels);
  options.seed = 43;
  const RunResult c = run(*model, content, {{style.view(), 1.0f}}, options);
  ASSERT_TRUE(c.status.ok());
  EXPECT_GT(test::max_abs_difference(a.image.pixels, c.image.pixels), 0.05f);
}

TEST_F(StyliseTest, CancelStopsWithinOneStep) {
  CancelToken cancel;
  int calls = 0;
  Options options = test::quick_options(20);
  const RunResult r =
      run(*model, content, {{style.view(), 1.0f}}, options, &cancel, [&](const Progress &) {
        if (++calls == 3)
          cancel.request_cancel();
      });
  EXPECT_EQ(r.status.code, ErrorCode::cancelled) << r.status.message;
  EXPECT_EQ(calls, 3); // no step starts after the request
  EXPECT_TRUE(r.image.pixels.empty());
  EXPECT_EQ(r.image.width, 0);
}

TEST_F(StyliseTest, StopKeepsAFullSizeResult) {
  CancelToken cancel;
  Options options = test::quick_options(20);
  options.scales = {24, 48};
  options.iterations_per_scale = {10, 10};
  Image rgba = test::synthetic_image(48, 32, 4, 0);
  const RunResult r =
      run(*model, rgba, {{style.view(), 1.0f}}, options, &cancel, [&](const Progress &p) {
        if (p.total_step == 4)
          cancel.request_stop();
      });
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_TRUE(r.report.stopped_early);
  EXPECT_EQ(r.report.steps.size(), 4u);
  ASSERT_EQ(r.image.width, 48);
  ASSERT_EQ(r.image.height, 32);
  ASSERT_EQ(r.image.channels, 4);
  for (std::size_t i = 3; i < r.image.pixels.size(); i += 4)
    ASSERT_EQ(r.image.pixels[i], rgba.pixels[i]);
}

TEST_F(StyliseTest, AlphaAndRowStrideAreHonoured) {
  // The same RGBA picture packed, and inside rows padded with NaN.
  const Image packed = test::synthetic_image(40, 24, 4, 2);
  const int stride = 40 * 4 + 13;
  std::vector<float> padded(std::size_t(stride) * 24, NAN);
  for (int y = 0; y < 24; ++y)
    std::copy_n(&packed.pixels[std::size_t(y) * 40 * 4], 40 * 4, &padded[std::size_t(y) * stride]);
  ImageView strided{padded.data(), 40, 24, 4, stride};

  Options options = test::quick_options(3);
  Image a, b;
  ASSERT_TRUE(stylise(*model, packed.view(), {{style.view(), 1.0f}}, options, a).ok());
  const Status status = stylise(*model, strided, {{style.view(), 1.0f}}, options, b);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(a.pixels, b.pixels);
  ASSERT_EQ(a.channels, 4);
  for (std::size_t i = 3; i < a.pixels.size(); i += 4)
    ASSERT_EQ(a.pixels[i], packed.pixels[i]) << "alpha at " << i / 4;
  EXPECT_GT(test::max_abs_difference(a.pixels, packed.pixels), 0.01f); // the colours changed
}

TEST_F(StyliseTest, StylesBlendByWeight) {
  const Image other = test::synthetic_image(32, 48, 3, 7);
  const Options options = test::quick_options(4);
  const RunResult first = run(*model, content, {{style.view(), 1.0f}}, options);
  const RunResult weighted_out =
      run(*model, content, {{style.view(), 2.0f}, {other.view(), 0.0f}}, options);
  const RunResult blended =
      run(*model, content, {{style.view(), 1.0f}, {other.view(), 1.0f}}, options);
  const RunResult second = run(*model, content, {{other.view(), 1.0f}}, options);
  ASSERT_TRUE(first.status.ok() && weighted_out.status.ok() && blended.status.ok() &&
              second.status.ok());
  // A style of weight 0 changes nothing; an even blend differs from either.
  EXPECT_EQ(first.image.pixels, weighted_out.image.pixels);
  EXPECT_GT(test::max_abs_difference(blended.image.pixels, first.image.pixels), 1e-3f);
  EXPECT_GT(test::max_abs_difference(blended.image.pixels, second.image.pixels), 1e-3f);
  // The blend's style loss at the first step lies between the two styles'.
  const double s_first = first.report.steps[0].style_loss;
  const double s_second = second.report.steps[0].style_loss;
  const double s_blend = blended.report.steps[0].style_loss;
  EXPECT_LT(s_blend, std::max(s_first, s_second));
}

// A style's stroke size scales it as style-scale does: one style of stroke
// size 2 paints exactly as style-scale 2, and in a blend only that style's
// size changes.
TEST_F(StyliseTest, AStylesStrokeSizeMultipliesStyleScale) {
  const Image other = test::synthetic_image(32, 48, 3, 7);
  Options options = test::quick_options(3);
  StyleImage large{style.view(), 1.0f, 2.0f};
  const RunResult by_stroke = run(*model, content, {large}, options);
  options.style_scale = 2.0f;
  const RunResult by_option = run(*model, content, {{style.view(), 1.0f}}, options);
  options.style_scale = 0.5f;
  const RunResult both = run(*model, content, {{style.view(), 1.0f, 4.0f}}, options);
  ASSERT_TRUE(by_stroke.status.ok() && by_option.status.ok() && both.status.ok())
      << by_stroke.status.message;
  EXPECT_EQ(by_stroke.image.pixels, by_option.image.pixels);
  EXPECT_EQ(both.image.pixels, by_option.image.pixels);

  options.style_scale = 1.0f;
  const RunResult plain =
      run(*model, content, {{style.view(), 1.0f}, {other.view(), 1.0f}}, options);
  const RunResult second_large =
      run(*model, content, {{style.view(), 1.0f}, {other.view(), 1.0f, 2.0f}}, options);
  ASSERT_TRUE(plain.status.ok() && second_large.status.ok());
  EXPECT_GT(test::max_abs_difference(plain.image.pixels, second_large.image.pixels), 1e-3f);
}

TEST_F(StyliseTest, StyleInitStartsAtTheStyle) {
  // A style of the content's size with style_scale 1 is seen exactly as
  // given, so starting from it its style loss is zero and its content loss not.
  const Image same_size_style = test::synthetic_image(48, 32, 3, 5);
  Options options = test::quick_options(2);
  options.init = Init::style;
  const RunResult r = run(*model, content, {{same_size_style.view(), 1.0f}}, options);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_LT(r.report.steps[0].style_loss, 1e-9);
  EXPECT_GT(r.report.steps[0].content_loss, 1e-4);
  options.init = Init::content;
  const RunResult c = run(*model, content, {{same_size_style.view(), 1.0f}}, options);
  EXPECT_LT(c.report.steps[0].content_loss, 1e-9);
  EXPECT_GT(c.report.steps[0].style_loss, 1e-6);
}

TEST_F(StyliseTest, AFinerScaleBegunFromTheLayerGetsTheLayersDetail) {
  // With only a content loss the coarser scale starts at its optimum and
  // stays there: the finer one then starts at the layer itself.
  Options options = test::quick_options(2);
  options.style_weight = 0;
  options.tv_weight = 0;
  options.scales = {24, 48};
  options.iterations_per_scale = {2, 2};
  const RunResult r = run(*model, content, {{style.view(), 1.0f}}, options);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  ASSERT_EQ(r.report.steps.size(), 4u);
  EXPECT_EQ(r.report.steps[2].scale_index, 1);
  EXPECT_LT(r.report.steps[2].content_loss, 1e-9);
  // Begun from a style that is the layer, the coarser scale is the same,
  // but the finer one starts from it resized: without the layer's detail.
  options.init = Init::style;
  const RunResult from_style = run(*model, content, {{content.view(), 1.0f}}, options);
  ASSERT_TRUE(from_style.status.ok()) << from_style.status.message;
  EXPECT_LT(from_style.report.steps[0].content_loss, 1e-9);
  EXPECT_GT(from_style.report.steps[2].content_loss, 1e-6);
}

TEST_F(StyliseTest, SizeSetsTheOptimisedScaleNotTheResult) {
  Options options = test::quick_options(2);
  options.size = 24;
  options.preview_every = 1;
  const RunResult r = run(*model, content, {{style.view(), 1.0f}}, options);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  ASSERT_FALSE(r.previews.empty());
  EXPECT_EQ(r.previews.front(), std::make_pair(24, 16));
  EXPECT_EQ(r.image.width, 48);
  EXPECT_EQ(r.image.height, 32);
}

TEST_F(StyliseTest, AveragePoolingAndCaffePreprocessingRun) {
  auto caffe = test::narrow_model(3, Pooling::average, Preprocessing::caffe);
  const RunResult r = run(*caffe, content, {{style.view(), 1.0f}}, test::quick_options(12));
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  // Without a line search L-BFGS may overshoot on a step and recover.
  EXPECT_LT(r.report.steps.back().total_loss, 0.5 * r.report.steps.front().total_loss);
}

TEST_F(StyliseTest, Bfloat16StaysCloseToFloat32) {
  Options options = test::quick_options(3);
  const RunResult fp32 = run(*model, content, {{style.view(), 1.0f}}, options);
  options.precision = Precision::bf16;
  const RunResult bf16 = run(*model, content, {{style.view(), 1.0f}}, options);
  ASSERT_TRUE(fp32.status.ok() && bf16.status.ok()) << bf16.status.message;
  EXPECT_NEAR(bf16.report.steps[0].total_loss, fp32.report.steps[0].total_loss,
              0.05 * fp32.report.steps[0].total_loss);
}

} // namespace
} // namespace nst

namespace nst {
namespace {

// The rate the next estimate uses comes from scales large enough that a
// step's cost is its pixels, not its fixed overhead.
TEST(StepRate, OnlyScalesOfAtLeast512By512PixelsCount) {
  auto model = test::narrow_model();
  const Image style = test::synthetic_image(64, 64, 3, 3);
  Options options = test::quick_options(3);
  RunReport report;
  Image result;
  const Image small = test::synthetic_image(200, 150, 3, 0);
  ASSERT_TRUE(
      stylise(*model, small.view(), {{style.view(), 1.0f}}, options, result, {}, nullptr, &report)
          .ok());
  EXPECT_EQ(report.seconds_per_pixel_step, 0.0);
  const Image large = test::synthetic_image(640, 480, 3, 0);
  options.scales = {640};
  ASSERT_TRUE(
      stylise(*model, large.view(), {{style.view(), 1.0f}}, options, result, {}, nullptr, &report)
          .ok());
  double seconds = 0;
  for (const StepRecord &step : report.steps)
    seconds += step.step > 1 ? step.seconds : 0;
  EXPECT_NEAR(report.seconds_per_pixel_step, seconds / (2 * 640.0 * 480.0), 1e-9 + 1e-6 * seconds);
}

} // namespace
} // namespace nst
