// The engine's one estimate of the time a run still needs. A step costs
// about as much as the pixels it works on, so the seconds per pixel-step
// measured at the current scale (or, at a scale's first step, the scale
// before it) price every step still planned. No LibTorch here.
#pragma once

#include "nst/engine.h"

#include <vector>

namespace nst {

// Pixels one step of `scale` works on (more than its own when in blocks).
double pixels_per_step(const PlannedScale &scale);

// Pixel-steps of the whole plan, each scale's setup included.
double planned_work(const std::vector<PlannedScale> &plan);

class TimeLeft {
public:
  // Called after each step with the run's position and elapsed time;
  // returns the seconds still needed, or a negative value while no step
  // has been timed.
  double after_step(const std::vector<PlannedScale> &plan, int scale_index, int step,
                    double elapsed_seconds);

private:
  int scale_ = -1;
  double scale_first_step_seconds_ = 0; // elapsed at the current scale's first step
  double seconds_per_pixel_step_ = -1;  // the last measured rate
};

} // namespace nst
