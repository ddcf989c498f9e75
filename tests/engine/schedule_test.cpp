// The coarse-to-fine schedule: automatic scales and their steps.
#include "base/schedule.h"

#include <gtest/gtest.h>

#include <vector>

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

// Steps of sqrt(2): every other scale a halving, the ones between 1.41x
// those; the steps follow the halving rule by pixels (3x per quarter).
TEST(Schedule, SquareRootOfTwoStepsHalveEveryOtherScale) {
  Options options;
  options.size = 1024;
  options.scale_ratio = ScaleRatio::sqrt2;
  const auto plans = plan_scales(1024, 1024, options);
  std::vector<int> sides, steps;
  for (const ScalePlan &plan : plans) {
    sides.push_back(plan.width);
    steps.push_back(plan.steps);
  }
  EXPECT_EQ(sides, (std::vector<int>{256, 362, 512, 724, 1024}));
  EXPECT_EQ(steps, (std::vector<int>{225, 130, 75, 43, 25}));
  // Above 1024 px, fewer steps in proportion to the pixels, as with halves.
  options.size = 0;
  std::vector<int> large;
  for (const ScalePlan &plan : plan_scales(4000, 3000, options))
    large.push_back(plan.steps);
  // 250, 354, 500, 707, 1000 (the reference), 1414 (1414 x 1061), 2000, 2828, 4000 px.
  EXPECT_EQ(large, (std::vector<int>{225, 129, 75, 43, 25, 12, 6, 4, 4}));
}

struct Layer {
  int width, height;
  std::vector<int> sides, steps;
};

// Layers of 1, 12 and 48 megapixels painted at their own size (the GIMP
// default): many steps small, few steps large.
TEST(Schedule, LargeLayersGetFewerStepsAtTheirFinerScales) {
  Options options;
  options.size = 0;
  const Layer layers[] = {
      {1152, 864, {288, 576, 1152}, {75, 25, 6}}, // 1 MP: the finest is past 1024 px
      {4000, 3000, {250, 500, 1000, 2000, 4000}, {225, 75, 25, 6, 4}},
      {8000, 6000, {250, 500, 1000, 2000, 4000, 8000}, {225, 75, 25, 6, 4, 4}},
  };
  for (const Layer &layer : layers) {
    const auto plans = plan_scales(layer.width, layer.height, options);
    ASSERT_EQ(plans.size(), layer.sides.size()) << layer.width;
    for (std::size_t i = 0; i < plans.size(); ++i) {
      EXPECT_EQ(std::max(plans[i].width, plans[i].height), layer.sides[i]) << layer.width;
      EXPECT_EQ(plans[i].steps, layer.steps[i]) << layer.width << " scale " << i;
    }
  }
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
