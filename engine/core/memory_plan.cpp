#include "core/memory_plan.h"

#include "base/error.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace nst {
namespace {

constexpr int kMinimumTile = 128;
constexpr int kMaximumHistory = 100;
// Full-size float RGB buffers held at a scale: content, image, style,
// previous image, blend weights, preview, result.
constexpr double kWholeImageBytesPerPixel = 8 * 3 * 4;

std::size_t dtype_size(torch::ScalarType dtype) {
  return c10::elementSize(dtype);
}

// Sum over the layers computed of channels / pixels-per-value: the number of
// values per input pixel a forward pass produces.
double values_per_pixel(const Model &model, int deepest_conv) {
  double values = 0;
  for (int conv = 0; conv <= deepest_conv; ++conv) {
    const int block = vgg::kConvs[conv].block;
    values += model.channels(conv) / std::pow(4.0, block - 1);
  }
  return values;
}

std::string megabytes(double bytes) {
  std::ostringstream out;
  out << std::llround(bytes / (1 << 20)) << " MB";
  return out.str();
}

} // namespace

double step_bytes_per_pixel(const Model &model, int deepest_conv, torch::ScalarType dtype,
                            int history) {
  const double activations = values_per_pixel(model, deepest_conv) * (3.0 * dtype_size(dtype) + 4);
  const double optimiser = 3 * 4 * (2.0 * history + 6); // image, gradient, L-BFGS vectors
  return activations + optimiser;
}

ScaleMemory plan_scale_memory(const Model &model, const Options &options, int deepest_conv,
                              torch::ScalarType dtype, int width, int height, int steps) {
  ScaleMemory plan;
  const double pixels = double(width) * height;
  const double limit = double(options.memory_limit_bytes);
  // float32 masters and their copies in the compute dtype; Winograd's
  // kernels (36 values per 9, forward and transposed) for the layers run.
  const double weights_bytes = [&] {
    double bytes = 0;
    for (int conv = 0; conv < model.conv_count(); ++conv) {
      const double pairs = double(model.channels(conv)) * model.in_channels(conv);
      bytes += 2.0 * 4 * 9 * pairs;
      if (conv <= deepest_conv && model.uses_winograd(conv, dtype))
        bytes += 2.0 * 4 * 36 * pairs;
    }
    return bytes;
  }();
  const double budget = limit - kUntrackedBytes - weights_bytes - pixels * kWholeImageBytesPerPixel;
  plan.history = std::min(kMaximumHistory, std::max(steps, 1));
  const double per_pixel = step_bytes_per_pixel(model, deepest_conv, dtype, plan.history);
  // Inference (style Gram matrices): about two layers alive at once.
  double widest = 0;
  for (int conv = 0; conv <= deepest_conv; ++conv)
    widest = std::max(widest, model.channels(conv) / std::pow(4.0, vgg::kConvs[conv].block - 1));
  const double inference_per_pixel = widest * (3.0 * dtype_size(dtype) + 8);

  const double smallest_tile = double(kMinimumTile) * kMinimumTile;
  if (budget < smallest_tile * per_pixel) {
    throw Error(ErrorCode::out_of_memory,
                "the " + std::to_string(width) + "x" + std::to_string(height) +
                    " scale does not fit memory_limit_bytes (" + megabytes(limit) +
                    "): its full-size buffers alone take " +
                    megabytes(pixels * kWholeImageBytesPerPixel + kUntrackedBytes + weights_bytes) +
                    " and the smallest tile (" + std::to_string(kMinimumTile) + " px) needs " +
                    megabytes(smallest_tile * per_pixel) +
                    " more; raise the limit or choose a smaller size");
  }
  plan.style_tile_pixels = std::max<std::int64_t>(std::int64_t(kMinimumTile) * kMinimumTile,
                                                  std::int64_t(budget / inference_per_pixel));

  const int longer = std::max(width, height);
  const bool forced = options.tile_size > 0 && options.tile_size < longer;
  if (!forced && pixels * per_pixel <= budget) {
    plan.estimate = std::size_t(pixels * per_pixel + (limit - budget));
    return plan;
  }
  int tile = forced ? options.tile_size
                    : std::max(kMinimumTile, int(std::floor(std::sqrt(budget / per_pixel))));
  tile = std::min(tile, longer);
  plan.overlap = std::max(8, std::min(64, tile / 4));
  plan.tiles = plan_tiles(width, height, tile, plan.overlap);
  plan.estimate = std::size_t(double(tile) * tile * per_pixel + (limit - budget));
  return plan;
}

} // namespace nst
