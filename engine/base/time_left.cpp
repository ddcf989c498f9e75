#include "base/time_left.h"

namespace nst {

double pixels_per_step(const PlannedScale &scale) {
  return scale.pixels_per_step > 0 ? scale.pixels_per_step
                                   : static_cast<double>(scale.width) * scale.height;
}

double planned_work(const std::vector<PlannedScale> &plan) {
  double work = 0;
  for (const PlannedScale &scale : plan)
    work += scale.setup_pixels + scale.steps * pixels_per_step(scale);
  return work;
}

double TimeLeft::after_step(const std::vector<PlannedScale> &plan, int scale_index, int step,
                            double elapsed_seconds) {
  if (scale_index < 0 || scale_index >= static_cast<int>(plan.size()))
    return -1;
  if (scale_index != scale_) {
    // The first step of a scale carries its setup (resizing, style
    // features): the rate is measured from the end of that step on.
    scale_ = scale_index;
    scale_first_step_seconds_ = elapsed_seconds;
  } else if (step > 1) {
    seconds_per_pixel_step_ = (elapsed_seconds - scale_first_step_seconds_) / (step - 1) /
                              pixels_per_step(plan[scale_index]);
  }
  if (seconds_per_pixel_step_ < 0)
    return -1;
  double work = std::max(0, plan[scale_index].steps - step) * pixels_per_step(plan[scale_index]);
  for (std::size_t k = scale_index + 1; k < plan.size(); ++k)
    work += plan[k].setup_pixels + plan[k].steps * pixels_per_step(plan[k]);
  return work * seconds_per_pixel_step_;
}

} // namespace nst
