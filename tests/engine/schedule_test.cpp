// The coarse-to-fine schedule: automatic scales and their steps.
#include "core/schedule.h"

#include <gtest/gtest.h>

namespace nst {
namespace {

TEST(Schedule, HalvesDownToAbout256WithMoreStepsWhereTheyAreCheap) {
  Options options; // size 512, iterations 25
  options.size = 1024;
  const auto plans = plan_scales(2048, 1536, options);
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_EQ(plans[0].width, 256);
  EXPECT_EQ(plans[0].height, 192);
  EXPECT_EQ(plans[1].width, 512);
  EXPECT_EQ(plans[2].width, 1024);
  EXPECT_EQ(plans[2].height, 768);
  EXPECT_EQ(plans[0].steps, 225);
  EXPECT_EQ(plans[1].steps, 75);
  EXPECT_EQ(plans[2].steps, 25);
}

TEST(Schedule, SmallImagesRunAtOneScale) {
  Options options;
  options.size = 0;
  const auto plans = plan_scales(300, 200, options);
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].width, 300);
  EXPECT_EQ(plans[0].height, 200);
  EXPECT_EQ(plans[0].steps, options.iterations);
}

TEST(Schedule, GivenScalesAndStepsAreKept) {
  Options options;
  options.scales = {100, 400};
  options.iterations_per_scale = {7, 3};
  const auto plans = plan_scales(800, 200, options);
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].width, 100);
  EXPECT_EQ(plans[0].height, 25);
  EXPECT_EQ(plans[1].width, 400);
  EXPECT_EQ(plans[0].steps, 7);
  EXPECT_EQ(plans[1].steps, 3);
  EXPECT_EQ(finest_longer_side(800, 200, options), 400);
}

TEST(Schedule, NoSideBelowSixteen) {
  Options options;
  options.size = 64;
  const auto plans = plan_scales(1000, 20, options); // 64 x 1.28
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].width, 64);
  EXPECT_EQ(plans[0].height, kMinimumSide);
}

} // namespace
} // namespace nst
