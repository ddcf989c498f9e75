#include "time_estimate.h"

#include <cmath>
#include <vector>

namespace nst_ui {
namespace {

// A step at twice the side costs about four times as much.
constexpr double kCostPerDoubling = 4.0;

// How the engine shares steps among scales without explicit steps: the
// finest scale gets 1 part, the next coarser 3, all coarser ones 9.
double rule_weight(int scales_finer_than_it) {
  return scales_finer_than_it == 0 ? 1.0 : scales_finer_than_it == 1 ? 3.0 : 9.0;
}

} // namespace

void TimeEstimate::observe(int task, int task_count, const nst::Progress &progress) {
  if (progress.steps_in_scale <= 0)
    return; // preparing: no step yet
  if (task != task_ || progress.scale_index != scale_) {
    task_ = task;
    scale_ = progress.scale_index;
    scale_start_seconds_ = progress.elapsed_seconds;
    scale_start_step_ = progress.step;
  }
  task_count_ = task_count;
  last_ = progress;
}

double TimeEstimate::remaining_seconds() const {
  const nst::Progress &p = last_;
  const int measured_steps = p.step - scale_start_step_;
  if (task_ < 0 || measured_steps <= 0)
    return -1.0;
  const double step_seconds = (p.elapsed_seconds - scale_start_seconds_) / measured_steps;

  // This scale's steps, then the finer scales' remaining steps, each in
  // units of this scale's step.
  double units = p.steps_in_scale - p.step;
  const int finer = p.scale_count - 1 - p.scale_index;
  const int after_this_scale = p.total_steps - (p.total_step + p.steps_in_scale - p.step);
  if (finer > 0 && after_this_scale > 0) {
    std::vector<double> weights;
    double weight_sum = 0;
    for (int k = 1; k <= finer; ++k) {
      weights.push_back(rule_weight(finer - k));
      weight_sum += weights.back();
    }
    for (int k = 1; k <= finer; ++k)
      units += after_this_scale * weights[k - 1] / weight_sum * std::pow(kCostPerDoubling, k);
  }
  const double this_layer_left = units * step_seconds;
  const double later_layers = task_count_ - 1 - task_;
  return this_layer_left + later_layers * (p.elapsed_seconds + this_layer_left);
}

} // namespace nst_ui
