// How much memory a scale needs, and how its steps are made to fit the
// limit: everything a run holds is counted (the weights, the full-size
// content and styles, the scale's image, gradient and content buffers, the
// optimiser's state, the content features, the styles at the scale, the
// result's copies) and what is left bounds the network's activations. When
// the whole image's activations do not fit, each step is evaluated in
// blocks (blocks.h); when even a block does not fit, L-BFGS's history is
// shortened, then Adam replaces L-BFGS, then the content features are
// recomputed per block instead of kept.
//
// In blocks, the first pass may also keep the whole image's ReLU outputs of
// the deepest layers, so that the second pass skips their forward: the plan
// takes that where the memory left keeps the second pass's blocks and the
// step costs less (step_work).
//
// Activations per pixel: about three copies of every layer's output in the
// compute dtype plus a float32 copy for the Gram matrices (calibrated
// against peak RSS at 512 px: 4.7 KB per pixel for the full VGG19 to
// relu5_1 in float32, 2.9 KB in bfloat16).
#pragma once

#include "base/schedule.h"
#include "core/blocks.h"
#include "core/model.h"
#include "nst/parameters.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace nst {

// What a run takes besides LibTorch's tensors and does not grow with the
// scale: oneDNN's and OpenBLAS's buffers, small allocations. The tensors'
// allocator keeps what it holds within the limit less this. LibTorch's own
// code and data, about 170 MB resident before any work, are the process's,
// not the run's, and are not counted. 64 MiB left a 24 MP run 5 MiB over
// its limit (2026-12-06): at least 69 MiB were outside the allocator.
constexpr std::size_t kUntrackedBytes = std::size_t{96} << 20;

// Adam's rate (0..255 pixel units) when it replaces L-BFGS for lack of
// memory: the rate Options documents as working.
constexpr double kFallbackAdamRate = 5.0;

// The sizes a scale's plan depends on besides the options.
struct ScaleSizes {
  int width = 0, height = 0, steps = 0;
  double content_pixels = 0;      // the content at its own size
  double style_pixels = 0;        // every style image at its own size
  double scaled_style_pixels = 0; // every style image at this scale
  double mask_pixels = 0;         // every region's mask at its own size
  int scale_masks = 0;            // regions held at this scale's size
};

// What the plan needs of the network, and no weights: each convolution's
// widths and whether it runs by Winograd (its kernels kept transformed),
// and a value's bytes in the compute dtype. The dialog's time estimate
// plans VGG19's (vgg19_shape) before any weights are loaded.
struct NetworkShape {
  struct Conv {
    int in_channels = 0, out_channels = 0;
    bool winograd = false;
    bool operator==(const Conv &other) const {
      return in_channels == other.in_channels && out_channels == other.out_channels &&
             winograd == other.winograd;
    }
  };
  std::vector<Conv> convs;
  int value_bytes = 4;
};

// The shape of `model` computing in `dtype`.
NetworkShape network_shape(const Model &model, torch::ScalarType dtype);

// VGG19's shape as a run of `settings` would compute on this machine (its
// device and compute dtype); a device that cannot be had counts as the CPU.
NetworkShape vgg19_shape(const Settings &settings);

// The scales a run of `settings` on a width x height content will take, in
// the blocks it will read, planned for VGG19 before any network is loaded
// (the time estimates). The styles are not known here: their memory (12
// bytes a pixel, a few percent of the memory for a painting of a few
// megapixels) is left out; their features are priced as one style of the
// content's shape at the settings' style-scale. On a GPU the limit is the
// device's free memory where that is smaller (limit_to_device_room), as the
// run's. A scale that does not fit memory-limit (the run will say so) is
// priced as a whole step.
std::vector<PlannedScale> expected_plan(int width, int height, const Settings &settings);

struct ScaleMemory {
  std::vector<Block> blocks; // empty: each step runs on the whole image
  // The first pass's blocks (style statistics only, no activations kept for
  // backward): larger than `blocks`, so less is read twice for margins;
  // empty: the same as `blocks`.
  std::vector<Block> statistics_blocks;
  Optimizer optimizer = Optimizer::lbfgs;
  int history = 0;          // L-BFGS history size
  bool content_kept = true; // blocks' content features kept between steps
  // The convolution from which the first pass keeps the whole image's ReLU
  // outputs for the second (Objective::evaluate_in_blocks), or -1; and the
  // share of a forward pass the second pass's blocks then skip.
  int keep_from = -1;
  double kept_share = 0;
  std::size_t estimate = 0;     // bytes at the run's peak at this scale
  double style_read_pixels = 0; // largest style read one forward pass may take
  std::string note;             // what was changed to fit, for the run report
};

// A scale as the time estimates price it: its size and steps, in blocks the
// pixels a step works on (step_work), and its setup: the content's features
// (in blocks: their reads) and the styles' (`scaled_style_pixels`, every
// style at the scale), a forward pass each.
PlannedScale planned_scale(const ScalePlan &scale, const ScaleMemory &memory,
                           double scaled_style_pixels);

// What a step in `blocks` costs, in pixels of a whole step (a forward pass
// counted as half a step): the second pass's reads, margins included, and
// the first pass's at half (in `statistics_blocks`, or in `blocks` less the
// last, whose forward pass serves the second); less, where the first pass
// keeps the deepest layers (ScaleMemory::keep_from), `kept_share` of half of
// what the second pass reads anew.
double step_work(const std::vector<Block> &blocks, const std::vector<Block> &statistics_blocks,
                 double kept_share);

// On a GPU the run's memory is the device's: `options`' limit becomes the
// `room` the device has (device_room_bytes) where that is smaller. Returns
// the run report's note saying so, or "" when the limit stands.
std::string limit_to_device_room(Options &options, std::optional<std::size_t> room,
                                 const std::string &device);

// Plans one scale (options validated). Throws Error(out_of_memory), naming
// what takes the memory, when not even the smallest block fits.
ScaleMemory plan_scale_memory(const NetworkShape &network, const Options &options, int deepest_conv,
                              const ScaleSizes &sizes);

} // namespace nst
