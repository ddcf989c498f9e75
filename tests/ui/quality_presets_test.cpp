#include "quality_presets.h"

#include "nst/engine.h"

#include <gtest/gtest.h>

namespace {

using nst_ui::Quality;

TEST(QualityPresets, EachPresetIsRecognisedFromItsArguments) {
  for (Quality quality : {Quality::draft, Quality::balanced, Quality::fine}) {
    const nst_ui::QualitySettings settings = nst_ui::quality_settings(quality);
    EXPECT_EQ(nst_ui::quality_of(settings.size, settings.iterations, settings.scales), quality)
        << nst_ui::quality_id(quality);
  }
}

// Draft is a small preview; Balanced and Fine paint every pixel of the
// layer (size 0), Fine with more steps.
TEST(QualityPresets, BalancedAndFinePaintEveryPixel) {
  const auto draft = nst_ui::quality_settings(Quality::draft);
  const auto balanced = nst_ui::quality_settings(Quality::balanced);
  const auto fine = nst_ui::quality_settings(Quality::fine);
  EXPECT_GT(draft.size, 0);
  EXPECT_LE(draft.size, 512);
  EXPECT_EQ(balanced.size, 0);
  EXPECT_EQ(fine.size, 0);
  EXPECT_LE(draft.iterations, balanced.iterations);
  EXPECT_LT(balanced.iterations, fine.iterations);
}

// Draft must finish a 1024 px layer in about a minute on 2 CPU cores: the
// engine paints at `size` and scales up, so its steps cost what the
// engine's fp32 step times say (engine.h: 0.33 s at 256 px, 1.3 s at
// 512 px; a quarter of the pixels costs about a quarter), with 3x the
// finest scale's steps at the coarser one (384 px halves once, to 192).
TEST(QualityPresets, DraftFitsAMinuteOnTwoCores) {
  const auto draft = nst_ui::quality_settings(Quality::draft);
  ASSERT_LE(draft.size, 512);
  ASSERT_TRUE(draft.scales.empty());
  const double at_512 = 1.3, ratio = static_cast<double>(draft.size) / 512.0;
  const double finest = at_512 * ratio * ratio, coarser = finest / 4.0;
  const double seconds = 3 * draft.iterations * coarser + draft.iterations * finest;
  EXPECT_LT(seconds, 40.0) << "leaves 20 s for loading the network and previews";
}

TEST(QualityPresets, BalancedIsTheEngineDefault) {
  const nst::Options defaults;
  const auto balanced = nst_ui::quality_settings(Quality::balanced);
  EXPECT_EQ(balanced.size, defaults.size);
  EXPECT_EQ(balanced.iterations, defaults.iterations);
  EXPECT_EQ(nst_ui::quality_of(defaults.size, defaults.iterations, ""), Quality::balanced);
}

TEST(QualityPresets, OtherArgumentsAreCustom) {
  const auto draft = nst_ui::quality_settings(Quality::draft);
  EXPECT_EQ(nst_ui::quality_of(draft.size, draft.iterations + 1, draft.scales), Quality::custom);
  EXPECT_EQ(nst_ui::quality_of(draft.size, draft.iterations, "256,512"), Quality::custom);
  EXPECT_EQ(nst_ui::quality_of(777, draft.iterations, ""), Quality::custom);
}

TEST(QualityPresets, IdsRoundTripAndUnknownIdsAreRejected) {
  for (Quality quality : {Quality::draft, Quality::balanced, Quality::fine, Quality::custom}) {
    Quality back = Quality::draft;
    ASSERT_TRUE(nst_ui::quality_from_id(nst_ui::quality_id(quality), back));
    EXPECT_EQ(back, quality);
  }
  Quality unchanged = Quality::fine;
  EXPECT_FALSE(nst_ui::quality_from_id("best", unchanged));
  EXPECT_FALSE(nst_ui::quality_from_id("", unchanged));
  EXPECT_EQ(unchanged, Quality::fine);
}

} // namespace
