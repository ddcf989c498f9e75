// Suite slow: a 4000 x 3000 image completes at full size under the default
// memory limit, its steps in blocks and its style statistics too.
#include "test_support.h"

#include <gtest/gtest.h>

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

} // namespace
} // namespace nst
