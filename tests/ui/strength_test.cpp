#include "strength.h"

#include "nst/engine.h"

#include <gtest/gtest.h>

namespace {

TEST(Strength, MiddleIsTheEngineDefault) {
  const double default_weight = nst::Options{}.style_weight;
  EXPECT_DOUBLE_EQ(nst_ui::style_weight_for_strength(50.0), default_weight);
  EXPECT_NEAR(nst_ui::strength_for_style_weight(default_weight), 50.0, 1e-9);
}

TEST(Strength, TwentyFivePointsAreAFactorOfTen) {
  const double at_50 = nst_ui::style_weight_for_strength(50.0);
  EXPECT_NEAR(nst_ui::style_weight_for_strength(75.0) / at_50, 10.0, 1e-9);
  EXPECT_NEAR(nst_ui::style_weight_for_strength(100.0) / at_50, 100.0, 1e-9);
  EXPECT_NEAR(at_50 / nst_ui::style_weight_for_strength(0.0), 100.0, 1e-9);
}

TEST(Strength, InverseRoundTripsOverTheSlider) {
  for (double strength = 0.0; strength <= 100.0; strength += 12.5)
    EXPECT_NEAR(nst_ui::strength_for_style_weight(nst_ui::style_weight_for_strength(strength)),
                strength, 1e-9);
}

TEST(Strength, WeightsOutsideTheSliderShowAtItsEnds) {
  EXPECT_EQ(nst_ui::strength_for_style_weight(1e12), nst_ui::kStrengthMaximum);
  EXPECT_EQ(nst_ui::strength_for_style_weight(1.0), nst_ui::kStrengthMinimum);
  EXPECT_EQ(nst_ui::strength_for_style_weight(0.0), nst_ui::kStrengthMinimum);
  EXPECT_EQ(nst_ui::strength_for_style_weight(-5.0), nst_ui::kStrengthMinimum);
  EXPECT_EQ(nst_ui::style_weight_for_strength(150.0), nst_ui::style_weight_for_strength(100.0));
}

} // namespace
