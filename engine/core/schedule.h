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

// The longer side of the finest scale: options.size, or the content's.
int finest_longer_side(int content_width, int content_height, const Options &options);

// Scales from coarse to fine with their step counts (options validated).
std::vector<ScalePlan> plan_scales(int content_width, int content_height, const Options &options);

// A style image's size at a scale: its aspect ratio kept, its longer side
// style_scale times the scale's longer side (so a style looks the same at
// every size), at least kMinimumSide. Returns {width, height}.
std::pair<int, int> style_size_at(int style_width, int style_height, const ScalePlan &scale,
                                  float style_scale);

} // namespace nst
