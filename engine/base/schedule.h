// The coarse-to-fine schedule: the sizes optimised, and the steps at each.
#pragma once

#include "nst/engine.h"

#include <utility>
#include <vector>

namespace nst {

struct ScalePlan {
  int width = 0;
  int height = 0;
  int steps = 0;
};

// Smallest longer side the automatic schedule starts from, and the smallest
// side any scale may have (VGG19 halves the image four times before conv5).
constexpr int kCoarsestScale = 256;
constexpr int kMinimumSide = 16;
// Scales up to this longer side get the steps of the small-image rule;
// larger ones fewer, in proportion to their pixels, but at least
// kMinimumLargeScaleSteps (chosen by measurement: README, Performance).
constexpr int kReferenceSide = 1024;
constexpr int kMinimumLargeScaleSteps = 4;

// The longer side of the finest scale: options.size, or the content's.
int finest_longer_side(int content_width, int content_height, const Options &options);

// Scales from coarse to fine with their step counts (options validated):
// `iterations` at the finest scale of at most kReferenceSide px, 3x at the
// next coarser, 9x at all coarser ones; larger scales iterations x the
// reference's pixels over theirs, at least kMinimumLargeScaleSteps, at most
// iterations (4000x3000: 225, 75, 25, 6 and 4 steps at 250 .. 4000 px).
// With ScaleRatio::sqrt2 the automatic scales step by sqrt(2) and the
// coarser ones get (the reference's pixels over theirs)^log4(3) times the
// steps, at most 9x: the same rule, by pixels.
std::vector<ScalePlan> plan_scales(int content_width, int content_height, const Options &options);

// width x height with its aspect ratio kept and its longer side `longer`,
// each side at least kMinimumSide. Returns {width, height}.
std::pair<int, int> size_with_longer_side(int width, int height, double longer);

// A style image's size at a scale: its aspect ratio kept, its longer side
// style_scale times the scale's longer side (so a style looks the same at
// every size), at least kMinimumSide. Returns {width, height}.
std::pair<int, int> style_size_at(int style_width, int style_height, const ScalePlan &scale,
                                  float style_scale);

// The size of a preview of a width x height scale: Options::preview_side's
// longer side where that is smaller. Returns {width, height}.
std::pair<int, int> preview_size(int width, int height, const Options &options);

// The style_scale of one style: the run's times the style's own stroke size.
inline float style_scale_of(const Options &options, const StyleImage &style) {
  return options.style_scale * style.scale;
}

} // namespace nst
