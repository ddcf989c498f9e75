#include "core/schedule.h"

#include <algorithm>
#include <cmath>

namespace nst {

int finest_longer_side(int content_width, int content_height, const Options &options) {
  if (!options.scales.empty())
    return options.scales.back();
  return options.size > 0 ? options.size : std::max(content_width, content_height);
}

namespace {

std::vector<int> automatic_scales(int finest) {
  // Halve down to about kCoarsestScale: structure is settled where steps are
  // cheap, and each finer scale only refines it.
  std::vector<int> scales{finest};
  while (scales.front() / 2 >= kCoarsestScale * 3 / 4 && scales.front() / 2 >= kMinimumSide)
    scales.insert(scales.begin(), scales.front() / 2);
  return scales;
}

} // namespace

std::vector<ScalePlan> plan_scales(int content_width, int content_height, const Options &options) {
  const std::vector<int> sides =
      options.scales.empty()
          ? automatic_scales(finest_longer_side(content_width, content_height, options))
          : options.scales;
  const double longer = std::max(content_width, content_height);
  std::vector<ScalePlan> plans;
  for (std::size_t i = 0; i < sides.size(); ++i) {
    const double factor = sides[i] / longer;
    ScalePlan plan;
    plan.width = std::max(kMinimumSide, static_cast<int>(std::lround(content_width * factor)));
    plan.height = std::max(kMinimumSide, static_cast<int>(std::lround(content_height * factor)));
    if (!options.iterations_per_scale.empty()) {
      plan.steps = options.iterations_per_scale[i];
    } else {
      // A step at half the size costs a quarter: the coarse scales, where
      // the picture's structure forms, get 3x and 9x the finest one's steps.
      const std::size_t coarser_by = sides.size() - 1 - i;
      plan.steps = options.iterations * (coarser_by == 0 ? 1 : coarser_by == 1 ? 3 : 9);
    }
    plans.push_back(plan);
  }
  return plans;
}

std::pair<int, int> style_size_at(int style_width, int style_height, const ScalePlan &scale,
                                  float style_scale) {
  const double factor = std::max(scale.width, scale.height) * double(style_scale) /
                        std::max(style_width, style_height);
  return {std::max(kMinimumSide, int(std::lround(style_width * factor))),
          std::max(kMinimumSide, int(std::lround(style_height * factor)))};
}

} // namespace nst
