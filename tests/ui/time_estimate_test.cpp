#include "time_estimate.h"

#include <gtest/gtest.h>

namespace {

nst::Progress at(int scale, int scales, int step, int steps_in_scale, int total_step,
                 int total_steps, double elapsed) {
  nst::Progress p;
  p.scale_index = scale;
  p.scale_count = scales;
  p.step = step;
  p.steps_in_scale = steps_in_scale;
  p.total_step = total_step;
  p.total_steps = total_steps;
  p.elapsed_seconds = elapsed;
  return p;
}

TEST(TimeEstimate, UnknownBeforeTwoStepsOfAScale) {
  nst_ui::TimeEstimate estimate;
  EXPECT_LT(estimate.remaining_seconds(), 0.0);
  estimate.observe(0, 1, at(0, 1, 1, 10, 1, 10, 2.0));
  EXPECT_LT(estimate.remaining_seconds(), 0.0);
}

TEST(TimeEstimate, OneScaleIsStepsLeftTimesStepTime) {
  nst_ui::TimeEstimate estimate;
  estimate.observe(0, 1, at(0, 1, 2, 10, 2, 10, 3.0));
  estimate.observe(0, 1, at(0, 1, 6, 10, 6, 10, 7.0)); // 1 s per step
  EXPECT_NEAR(estimate.remaining_seconds(), 4.0, 1e-9);
}

TEST(TimeEstimate, FinerScalesCostFourTimesPerDoubling) {
  // Automatic scales: 9, 3 and 1 parts of the finest scale's 10 steps.
  nst_ui::TimeEstimate estimate;
  estimate.observe(0, 1, at(0, 3, 10, 90, 10, 130, 10.0));
  estimate.observe(0, 1, at(0, 3, 20, 90, 20, 130, 20.0)); // 1 s per coarse step
  // 70 coarse steps, 30 steps at 4 s, 10 steps at 16 s.
  EXPECT_NEAR(estimate.remaining_seconds(), 70.0 + 120.0 + 160.0, 1e-9);
}

TEST(TimeEstimate, LaterLayersTakeAsLongAsThisOne) {
  nst_ui::TimeEstimate estimate;
  estimate.observe(0, 3, at(0, 1, 1, 10, 1, 10, 1.0));
  estimate.observe(0, 3, at(0, 1, 5, 10, 5, 10, 5.0));
  // 5 s left here, then two layers of 10 s.
  EXPECT_NEAR(estimate.remaining_seconds(), 5.0 + 2 * 10.0, 1e-9);
}

TEST(TimeEstimate, ANewScaleStartsANewMeasurement) {
  nst_ui::TimeEstimate estimate;
  estimate.observe(0, 2, at(0, 2, 1, 3, 1, 4, 1.0));
  estimate.observe(0, 2, at(0, 2, 3, 3, 3, 4, 3.0));
  estimate.observe(0, 2, at(1, 2, 1, 1, 4, 4, 10.0));
  EXPECT_LT(estimate.remaining_seconds(), 0.0) << "one report of the new scale measures nothing";
}

TEST(TimeEstimate, PreparationReportsAreIgnored) {
  nst_ui::TimeEstimate estimate;
  estimate.observe(0, 1, at(0, 1, 0, 0, 0, 0, 0.5));
  EXPECT_LT(estimate.remaining_seconds(), 0.0);
}

} // namespace
