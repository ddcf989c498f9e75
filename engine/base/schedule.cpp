#include "base/schedule.h"

#include <algorithm>
#include <cmath>

namespace nst {

int finest_longer_side(int content_width, int content_height, const Options &options) {
  if (!options.scales.empty())
    return options.scales.back();
  return options.size > 0 ? options.size : std::max(content_width, content_height);
}

namespace {

std::vector<int> automatic_scales(int finest, ScaleRatio ratio) {
  // Down to about kCoarsestScale: structure is settled where steps are
  // cheap, and each finer scale only refines it.
  std::vector<int> scales{finest};
  if (ratio == ScaleRatio::two) { // exact halves, as before sqrt(2) steps existed
    while (scales.front() / 2 >= kCoarsestScale * 3 / 4 && scales.front() / 2 >= kMinimumSide)
      scales.insert(scales.begin(), scales.front() / 2);
    return scales;
  }
  // Every other scale is a halving of the finest, the ones between sqrt(2)
  // times those: 1024 -> 256, 362, 512, 724, 1024.
  for (int k = 1;; ++k) {
    const int side = static_cast<int>(std::lround(finest / std::pow(std::sqrt(2.0), k)));
    if (side < kCoarsestScale * 3 / 4 || side < kMinimumSide)
      break;
    scales.insert(scales.begin(), side);
  }
  return scales;
}

} // namespace

std::vector<ScalePlan> plan_scales(int content_width, int content_height, const Options &options) {
  const std::vector<int> sides =
      options.scales.empty()
          ? automatic_scales(finest_longer_side(content_width, content_height, options),
                             options.scale_ratio)
          : options.scales;
  const double longer = std::max(content_width, content_height);
  std::vector<ScalePlan> plans;
  for (int side : sides) {
    const double factor = side / longer;
    ScalePlan plan;
    plan.width = std::max(kMinimumSide, static_cast<int>(std::lround(content_width * factor)));
    plan.height = std::max(kMinimumSide, static_cast<int>(std::lround(content_height * factor)));
    plans.push_back(plan);
  }
  if (!options.iterations_per_scale.empty()) {
    for (std::size_t i = 0; i < plans.size(); ++i)
      plans[i].steps = options.iterations_per_scale[i];
    return plans;
  }
  // The reference: the finest scale of at most kReferenceSide. It and the
  // scales below it follow the small-image rule: a step at half the size
  // costs a quarter, so the coarse scales, where the picture's structure
  // forms, get 3x and 9x its steps.
  int reference = -1;
  for (std::size_t i = 0; i < sides.size(); ++i)
    if (sides[i] <= kReferenceSide)
      reference = static_cast<int>(i);
  const double reference_pixels =
      reference >= 0
          ? double(plans[reference].width) * plans[reference].height
          : kReferenceSide * (kReferenceSide * std::min(content_width, content_height) / longer);
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const int coarser_by = reference - static_cast<int>(i);
    if (coarser_by >= 0 && options.scale_ratio == ScaleRatio::two) {
      plans[i].steps = options.iterations * (coarser_by == 0 ? 1 : coarser_by == 1 ? 3 : 9);
      continue;
    }
    if (coarser_by >= 0) {
      // The same rule by pixels: 3x the steps per quarter of the pixels
      // (pixels^log4(3)), at most 9x.
      const double ratio = reference_pixels / (double(plans[i].width) * plans[i].height);
      const double factor = std::min(9.0, std::pow(ratio, std::log(3.0) / std::log(4.0)));
      plans[i].steps = static_cast<int>(std::lround(options.iterations * factor));
      continue;
    }
    // Above the reference, a step costs its pixels: each scale gets the
    // reference's steps in proportion to the pixels, so that every larger
    // scale costs about what the reference did, and at least a few steps
    // to sharpen what the coarser scales painted.
    const double pixels = double(plans[i].width) * plans[i].height;
    const int steps = static_cast<int>(std::lround(options.iterations * reference_pixels / pixels));
    plans[i].steps = std::min(options.iterations, std::max(kMinimumLargeScaleSteps, steps));
  }
  return plans;
}

std::pair<int, int> size_with_longer_side(int width, int height, double longer) {
  const double factor = longer / std::max(width, height);
  return {std::max(kMinimumSide, int(std::lround(width * factor))),
          std::max(kMinimumSide, int(std::lround(height * factor)))};
}

std::pair<int, int> style_size_at(int style_width, int style_height, const ScalePlan &scale,
                                  float style_scale) {
  return size_with_longer_side(style_width, style_height,
                               std::max(scale.width, scale.height) * double(style_scale));
}

std::pair<int, int> preview_size(int width, int height, const Options &options) {
  if (options.preview_side == 0 || std::max(width, height) <= options.preview_side)
    return {width, height};
  return size_with_longer_side(width, height, options.preview_side);
}

} // namespace nst
