// Suite slow: a 4000 x 3000 image completes at full size under the default
// memory limit, its steps in blocks and its style statistics too; a large
// content painted small, and a style four times the scale, stay within a
// tight limit.
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace nst {
namespace {

TEST(LargeImage, FourThousandByThreeThousandCompletesUnderTheLimit) {
  auto model = test::narrow_model();
  const Image content = test::synthetic_image(4000, 3000, 4, 0);
  const Image style = test::synthetic_image(3000, 3000, 3, 3);
  Options options = test::quick_options(1);
  options.scales = {1000, 4000};
  options.iterations_per_scale = {3, 1};
  options.preview_every = 0;
  int steps = 0, blocks = 0;
  Image result;
  RunReport report;
  const Status status = stylise(
      *model, content.view(), {{style.view(), 1.0f}}, options, result,
      [&](const Progress &p) {
        if (p.scale_index == 1) {
          steps = p.steps_in_scale;
          blocks = p.plan.back().tiles;
        }
      },
      nullptr, &report);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(steps, 1);
  EXPECT_GT(blocks, 1);
  ASSERT_EQ(result.width, 4000);
  ASSERT_EQ(result.height, 3000);
  ASSERT_EQ(result.channels, 4);
  for (std::size_t i = 3; i < result.pixels.size(); i += 4 * 997)
    ASSERT_EQ(result.pixels[i], content.pixels[i]);
  // The process peak also holds this test's own 4000 x 3000 images and
  // LibTorch; the limit bounds the run's share above them.
  EXPECT_GT(report.run_peak_memory_bytes, std::size_t{0});
  EXPECT_LE(report.run_peak_memory_bytes, options.memory_limit_bytes);
  std::printf("4000x3000: %.1f s, peak %.0f MB, %d blocks at the last scale\n", report.seconds,
              report.peak_memory_bytes / 1048576.0, blocks);
}

// The run's own peak (above what the process held when it began, this
// test's images included) against the limit it was given.
void expect_within_limit(const Status &status, const RunReport &report, const Options &options,
                         const char *what) {
  ASSERT_TRUE(status.ok()) << what << ": " << status.message;
  EXPECT_GT(report.run_peak_memory_bytes, std::size_t{0}) << what;
  EXPECT_LE(report.run_peak_memory_bytes, options.memory_limit_bytes) << what;
  std::printf("%s: %.1f s, the run's own peak %.0f MB of %.0f MB\n", what, report.seconds,
              report.run_peak_memory_bytes / 1048576.0, options.memory_limit_bytes / 1048576.0);
}

TEST(LargeImage, ALargeContentPaintedSmallStaysWithinTheLimit) {
  // 12 MP painted at 400 px: the full-size content, its resizing and the
  // result's copies are what take memory, and the plan counts them.
  auto model = test::narrow_model();
  const Image content = test::synthetic_image(4000, 3000, 4, 0);
  const Image style = test::synthetic_image(600, 600, 3, 3);
  Options options = test::quick_options(2);
  options.size = 400;
  // Writing a 12 MP result takes about 1 GB (the plan counts it); the
  // default limit is 4 GiB.
  options.memory_limit_bytes = std::size_t{1280} << 20;
  Image result;
  RunReport report;
  const Status status = stylise(*model, content.view(), {{style.view(), 1.0f}}, options, result, {},
                                nullptr, &report);
  expect_within_limit(status, report, options, "4000x3000 at 400 px");
  EXPECT_EQ(result.width, 4000);
  EXPECT_EQ(result.height, 3000);
}

TEST(LargeImage, AStyleFourTimesTheScaleStaysWithinTheLimit) {
  // style-scale 4 at a 1000 px scale reads the style at 4000 px: its
  // statistics are gathered in blocks within the limit.
  auto model = test::narrow_model();
  const Image content = test::synthetic_image(1000, 750, 3, 0);
  const Image style = test::synthetic_image(3000, 3000, 3, 3);
  Options options = test::quick_options(2);
  options.style_scale = 4.0f;
  options.memory_limit_bytes = std::size_t{768} << 20;
  Image result;
  RunReport report;
  const Status status = stylise(*model, content.view(), {{style.view(), 1.0f}}, options, result, {},
                                nullptr, &report);
  expect_within_limit(status, report, options, "style-scale 4, style at 4000 px");
}

} // namespace
} // namespace nst
