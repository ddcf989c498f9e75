// The engine's estimate of the time left: measured seconds per pixel-step
// price every step still planned.
#include "base/time_left.h"

#include <gtest/gtest.h>

namespace nst {
namespace {

const std::vector<PlannedScale> kPlan = {{100, 100, 10, 1}, {200, 200, 5, 1}};

TEST(TimeLeft, UnknownUntilAStepIsTimed) {
  TimeLeft estimate;
  EXPECT_LT(estimate.after_step(kPlan, 0, 1, 1.0), 0.0); // the first step carries the setup
}

TEST(TimeLeft, PricesLaterScalesByTheirPixels) {
  TimeLeft estimate;
  estimate.after_step(kPlan, 0, 1, 1.0);
  // 0.5 s for a 10000-pixel step: 8 more of those and 5 of 40000 pixels.
  EXPECT_DOUBLE_EQ(estimate.after_step(kPlan, 0, 2, 1.5), 8 * 0.5 + 5 * 2.0);
  // A new scale's first step (with its setup) is priced at the last rate.
  EXPECT_DOUBLE_EQ(estimate.after_step(kPlan, 1, 1, 10.0), 4 * 2.0);
  // Then measured at this scale: 3 s a step now.
  EXPECT_DOUBLE_EQ(estimate.after_step(kPlan, 1, 2, 13.0), 3 * 3.0);
  EXPECT_DOUBLE_EQ(estimate.after_step(kPlan, 1, 5, 22.0), 0.0);
}

TEST(TimeLeft, BlocksPriceTheirReads) {
  // The second scale's steps read 60000 pixels in blocks (margins, the
  // first pass) for its 40000.
  const std::vector<PlannedScale> blocks = {{100, 100, 4, 1}, {200, 200, 8, 4, 60000.0}};
  EXPECT_DOUBLE_EQ(pixels_per_step(blocks[0]), 10000.0);
  EXPECT_DOUBLE_EQ(pixels_per_step(blocks[1]), 60000.0);
  EXPECT_DOUBLE_EQ(planned_work(blocks), 4 * 10000.0 + 8 * 60000.0);
  TimeLeft estimate;
  estimate.after_step(blocks, 0, 1, 0.0);
  EXPECT_DOUBLE_EQ(estimate.after_step(blocks, 0, 2, 1.0), 2 * 1.0 + 8 * 6.0);
}

TEST(TimeLeft, PricesTheSetupOfTheScalesToCome) {
  // The second scale's content and style features before its steps: a
  // forward pass each, half of 40000 pixels each.
  std::vector<PlannedScale> plan = {{100, 100, 4, 1}, {200, 200, 8, 1}};
  plan[1].setup_pixels = 40000.0;
  EXPECT_DOUBLE_EQ(planned_work(plan), 4 * 10000.0 + 40000.0 + 8 * 40000.0);
  TimeLeft estimate;
  estimate.after_step(plan, 0, 1, 0.0);
  EXPECT_DOUBLE_EQ(estimate.after_step(plan, 0, 2, 1.0), 2 * 1.0 + 4.0 + 8 * 4.0);
  // Once the second scale has begun its setup is behind.
  EXPECT_DOUBLE_EQ(estimate.after_step(plan, 1, 1, 10.0), 7 * 4.0);
}

TEST(TimeLeft, OutsideThePlanIsUnknown) {
  TimeLeft estimate;
  EXPECT_LT(estimate.after_step(kPlan, 2, 1, 1.0), 0.0);
  EXPECT_LT(estimate.after_step({}, 0, 1, 1.0), 0.0);
}

} // namespace
} // namespace nst
