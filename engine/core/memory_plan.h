// How much memory a scale needs, and the tiles that keep it under the limit.
//
// The estimate is per optimised pixel: the activations autograd keeps for
// the backward pass (about three copies of every layer's output in the
// compute dtype plus a float32 copy for the Gram matrices; calibrated
// against peak RSS at 512 px: 4.7 KB per pixel for the full VGG19 to
// relu5_1 in float32, 2.9 KB in bfloat16), plus L-BFGS's history of two
// image-sized vectors per remembered step.
#pragma once

#include "core/model.h"
#include "core/tiling.h"

#include <cstddef>
#include <vector>

namespace nst {

// What a run takes besides LibTorch's tensors and does not grow with the
// scale: oneDNN's and OpenBLAS's buffers, small allocations. The tensors'
// allocator keeps what it holds within the limit less this. LibTorch's own
// code and data, about 170 MB resident before any work, are the process's,
// not the run's, and are not counted.
constexpr std::size_t kUntrackedBytes = std::size_t{64} << 20;

struct ScaleMemory {
  std::vector<Tile> tiles; // empty: the scale runs whole
  int overlap = 0;
  int history = 0;                    // L-BFGS history size
  std::size_t estimate = 0;           // bytes at the peak of one step
  std::int64_t style_tile_pixels = 0; // largest style crop one forward pass may take
};

// Bytes one optimised pixel costs (activations, gradient, optimiser state).
double step_bytes_per_pixel(const Model &model, int deepest_conv, torch::ScalarType dtype,
                            int history);

// Plans a width x height scale of `steps` steps: whole when it fits
// options.memory_limit_bytes (or tiles of options.tile_size when given and
// smaller), tiled otherwise. Throws Error(out_of_memory) when even the
// smallest tile does not fit.
ScaleMemory plan_scale_memory(const Model &model, const Options &options, int deepest_conv,
                              torch::ScalarType dtype, int width, int height, int steps);

} // namespace nst
