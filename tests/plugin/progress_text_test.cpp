#include "progress_text.h"

#include <gtest/gtest.h>

namespace {

// Four scales of a 2000 x 1500 layer, at the third.
nst::JobProgress at_third_scale() {
  nst::JobProgress update;
  update.stage = nst::JobProgress::Stage::stylise;
  update.step.scale_index = 2;
  update.step.scale_count = 4;
  update.step.step = 3;
  update.step.steps_in_scale = 25;
  for (int side : {250, 500, 1000, 2000})
    update.step.plan.push_back({side, side * 3 / 4, 10, 1, 0.0});
  update.remaining_seconds = 200;
  return update;
}

TEST(ProgressText, NamesTheScalesSizeTheStepAndTheTimeLeft) {
  nst::JobProgress update = at_third_scale();
  EXPECT_EQ(nst_plugin::progress_text(update, true),
            "Scale 3 of 4 at 1000 x 750 px, step 3 of 25, about 3:20 left");
  EXPECT_EQ(nst_plugin::progress_text(update, false),
            "Scale 3 of 4 at 1000 x 750 px, step 3 of 25");
  update.remaining_seconds = -1; // not known yet
  EXPECT_EQ(nst_plugin::progress_text(update, true), "Scale 3 of 4 at 1000 x 750 px, step 3 of 25");
}

TEST(ProgressText, OneScaleAndSeveralLayersSayTheirSizeToo) {
  nst::JobProgress update = at_third_scale();
  update.step.scale_count = 1;
  update.step.scale_index = 0;
  update.step.plan.resize(1);
  update.step.plan[0].width = 384;
  update.step.plan[0].height = 288;
  EXPECT_EQ(nst_plugin::progress_text(update, false), "Step 3 of 25 at 384 x 288 px");
  update.layer = 1;
  update.layer_count = 2;
  EXPECT_EQ(nst_plugin::progress_text(update, false), "Layer 2 of 2 at 384 x 288 px, step 3 of 25");
  update = at_third_scale();
  update.layer_count = 3;
  EXPECT_EQ(nst_plugin::progress_text(update, false),
            "Layer 1 of 3, scale 3 of 4 at 1000 x 750 px, step 3 of 25");
}

TEST(ProgressText, PreparingTheStyleHasNoStepYet) {
  nst::JobProgress update = at_third_scale();
  update.step.steps_in_scale = 0;
  EXPECT_EQ(nst_plugin::progress_text(update, true), "Preparing the style, about 3:20 left");
}

} // namespace
