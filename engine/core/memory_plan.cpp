#include "core/memory_plan.h"

#include "base/error.h"
#include "base/schedule.h"
#include "core/devices.h"
#include "core/losses.h"
#include "core/validation.h"
#include "core/winograd.h"
#include "nst/units.h"

#include <algorithm>
#include <cmath>

namespace nst {
namespace {

constexpr int kMaximumHistory = 100;
// Fewer remembered steps than this and L-BFGS is no better than Adam.
constexpr int kMinimumHistory = 5;
// Float RGB buffers of the scale's size held through a step: the image being
// optimised, the one it started from, its gradient and the content (twice in
// luminance mode), and with iterate averaging the average. Total variation's and a preview's
// temporaries come after the blocks' activations are released (after_activations_bytes).
double scale_image_bytes_per_pixel(const Options &options) {
  const int luminance = options.preserve_colors == ColorPreservation::luminance ? 1 : 0;
  const int average = options.iterate_averaging > 0 ? 1 : 0; // iterate averaging's image
  return 12.0 * (4 + luminance + average);
}
// At the content's own size while the result is written: the content, the
// resized result, its displayed copy, the RGB image and the result's pixels.
constexpr double kResultBytesPerContentPixel = 12.0 * 4 + 16;
constexpr double kRgbBytesPerPixel = 12.0;
// A region's mask: float32; at a scale also its guidance at every layer
// (at most 4/3 of it: the layers shrink by 4 at each pooling) for steps on
// the whole image.
constexpr double kMaskBytesPerPixel = 4.0;
constexpr double kScaleMaskBytesPerPixel = 4.0 * (1 + 4.0 / 3);
// What the optimiser holds while the loss is evaluated, beside the network's
// activations: L-BFGS's remembered steps (two vectors each) and the previous
// step and gradient its next pair is made of (lbfgs.cpp); Adam's two moments.
double lbfgs_bytes_per_pixel(int history) {
  return 12.0 * (2.0 * history + 2);
}
constexpr double kAdamBytesPerPixel = 12.0 * 2;
// A step's temporaries once the activations are released: L-BFGS's copy of
// the gradient and the new pair's change (or the direction); Adam's two.
constexpr double kOptimiserStepBytesPerPixel = 12.0 * 2;
// What a step leaves for after the network's activations are released:
// total variation's strips (add_total_variation_gradient) and a preview's
// copies at its size (the image divided by the averaging's weight,
// luminance's chroma, the clamped copy, its pixel order and the pixels
// handed out).
constexpr double kPreviewBytesPerPixel = 12.0 * 5;
double after_activations_bytes(const Options &options, int width, int height) {
  if (options.preview_every == 0)
    return double(kTotalVariationStripBytes);
  const auto [preview_width, preview_height] = preview_size(width, height, options);
  return double(kTotalVariationStripBytes) +
         kPreviewBytesPerPixel * double(preview_width) * preview_height;
}
// Blocks whose own part is smaller than this spend most of their reading on
// margins: the plan gives up optimiser state before going below it.
constexpr int kComfortableOwnSide = 256;

double values_per_pixel(const NetworkShape &network, int conv) {
  return network.convs[conv].out_channels / std::pow(double(pooling_factor(conv)), 2);
}

// float32 masters and their copies in the compute dtype; Winograd's kernels
// (36 values per 9, forward and transposed) for the layers run.
double weights_bytes(const NetworkShape &network, int deepest_conv) {
  double bytes = 0;
  for (std::size_t conv = 0; conv < network.convs.size(); ++conv) {
    const NetworkShape::Conv &shape = network.convs[conv];
    const double pairs = double(shape.out_channels) * shape.in_channels;
    bytes += 2.0 * 4 * 9 * pairs;
    if (int(conv) <= deepest_conv && shape.winograd)
      bytes += 2.0 * 4 * 36 * pairs;
  }
  return bytes;
}

// Content features per pixel of the scale, kept in the compute dtype.
double content_feature_bytes_per_pixel(const NetworkShape &network, const Options &options) {
  double bytes = 0;
  for (const vgg::LayerRef &layer : parse_layers(options.content_layers))
    bytes += double(network.value_bytes) * values_per_pixel(network, layer.conv);
  return bytes;
}

// Bytes of activations one pixel of a forward and backward pass holds.
double activation_bytes_per_pixel(const NetworkShape &network, int deepest_conv) {
  double values = 0;
  for (int conv = 0; conv <= deepest_conv; ++conv)
    values += values_per_pixel(network, conv);
  return values * (3.0 * network.value_bytes + 4);
}

std::string mb(double bytes) {
  return std::to_string(megabytes(std::uint64_t(std::max(0.0, bytes)))) + " MB";
}

std::string size_text(int width, int height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

// Pixels read by a step's first pass in `blocks` (or in `statistics_blocks`
// when there are some): in the same blocks, the last one's forward pass
// also serves the second pass and is not counted.
double first_pass_pixels(const std::vector<Block> &blocks,
                         const std::vector<Block> &statistics_blocks) {
  if (!statistics_blocks.empty())
    return total_read_pixels(statistics_blocks);
  return blocks.empty() ? 0 : total_read_pixels(blocks) - blocks.back().read.pixels();
}

// Multiply-adds of convolutions first .. last per pixel of the image.
double macs_per_pixel(const NetworkShape &network, int first, int last) {
  double macs = 0;
  for (int conv = first; conv <= last; ++conv)
    macs += 9.0 * network.convs[conv].in_channels * values_per_pixel(network, conv);
  return macs;
}

// The whole image's ReLU outputs of convolutions first .. last, per pixel.
double kept_bytes_per_pixel(const NetworkShape &network, int first, int last) {
  double values = 0;
  for (int conv = first; conv <= last; ++conv)
    values += values_per_pixel(network, conv);
  return values * network.value_bytes;
}

} // namespace

NetworkShape network_shape(const Model &model, torch::ScalarType dtype) {
  NetworkShape network;
  for (int conv = 0; conv < model.conv_count(); ++conv)
    network.convs.push_back(
        {model.in_channels(conv), model.channels(conv), model.uses_winograd(conv, dtype)});
  network.value_bytes = int(c10::elementSize(dtype));
  return network;
}

namespace {

NetworkShape vgg19_shape_on(const torch::Device &device, Precision precision) {
  const torch::ScalarType dtype = compute_dtype(precision, device);
  NetworkShape network;
  int in_channels = 3;
  for (int conv = 0; conv < vgg::kConvCount; ++conv) {
    const int out_channels = vgg::channels(conv);
    network.convs.push_back(
        {in_channels, out_channels, winograd_pays(device, in_channels, out_channels, dtype)});
    in_channels = out_channels;
  }
  network.value_bytes = int(c10::elementSize(dtype));
  return network;
}

} // namespace

NetworkShape vgg19_shape(const Settings &settings) {
  return vgg19_shape_on(planned_device(settings.model.device, settings.model.device_index),
                        settings.options.precision);
}

std::vector<PlannedScale> expected_plan(int width, int height, const Settings &settings) {
  const torch::Device device = planned_device(settings.model.device, settings.model.device_index);
  const NetworkShape network = vgg19_shape_on(device, settings.options.precision);
  const int deepest = deepest_conv(settings.options);
  // On a GPU the run plans within the device's free memory, as here.
  Options options = settings.options;
  limit_to_device_room(options, device_room_bytes(device), device_string(device));
  ScaleSizes sizes;
  sizes.content_pixels = double(width) * height;
  std::vector<PlannedScale> plan;
  for (const ScalePlan &scale : plan_scales(width, height, options)) {
    sizes.width = scale.width;
    sizes.height = scale.height;
    sizes.steps = scale.steps;
    ScaleMemory memory;
    try {
      memory = plan_scale_memory(network, options, deepest, sizes);
    } catch (const Error &) {
      // Left as a whole step: the run will refuse it with this message.
    }
    const auto [style_width, style_height] =
        style_size_at(width, height, scale, options.style_scale);
    plan.push_back(planned_scale(scale, memory, double(style_width) * style_height));
  }
  return plan;
}

double step_work(const std::vector<Block> &blocks, const std::vector<Block> &statistics_blocks,
                 double kept_share) {
  if (blocks.empty())
    return 0;
  const double second_pass = total_read_pixels(blocks);
  const double read_anew =
      statistics_blocks.empty() ? second_pass - blocks.back().read.pixels() : second_pass;
  return second_pass + 0.5 * first_pass_pixels(blocks, statistics_blocks) -
         0.5 * kept_share * read_anew;
}

PlannedScale planned_scale(const ScalePlan &scale, const ScaleMemory &memory,
                           double scaled_style_pixels) {
  PlannedScale planned{scale.width, scale.height, scale.steps, 1, 0.0, 0.0};
  double content_read = double(scale.width) * scale.height;
  if (!memory.blocks.empty()) {
    planned.tiles = static_cast<int>(memory.blocks.size());
    planned.pixels_per_step = step_work(memory.blocks, memory.statistics_blocks, memory.kept_share);
    content_read = total_read_pixels(memory.blocks); // Objective::set_content reads every block
  }
  planned.setup_pixels = 0.5 * (content_read + scaled_style_pixels);
  return planned;
}

std::string limit_to_device_room(Options &options, std::optional<std::size_t> room,
                                 const std::string &device) {
  if (!room || *room >= options.memory_limit_bytes)
    return "";
  const std::string note = "memory-limit " + mb(double(options.memory_limit_bytes)) +
                           " lowered to the " + mb(double(*room)) + " that " + device + " has free";
  options.memory_limit_bytes = *room;
  return note;
}

ScaleMemory plan_scale_memory(const NetworkShape &network, const Options &options, int deepest_conv,
                              const ScaleSizes &sizes) {
  const double pixels = double(sizes.width) * sizes.height;
  const double limit = double(options.memory_limit_bytes);
  const double fixed = double(kUntrackedBytes) + weights_bytes(network, deepest_conv) +
                       kRgbBytesPerPixel * (sizes.content_pixels + sizes.style_pixels) +
                       kMaskBytesPerPixel * sizes.mask_pixels;
  const double scale_buffers =
      (scale_image_bytes_per_pixel(options) + kScaleMaskBytesPerPixel * sizes.scale_masks) * pixels;
  const double activations = activation_bytes_per_pixel(network, deepest_conv);
  const double content_features = content_feature_bytes_per_pixel(network, options) * pixels;
  const double after_activations = after_activations_bytes(options, sizes.width, sizes.height);
  const std::string size = size_text(sizes.width, sizes.height);
  const auto out_of_memory = [&](const std::string &what) {
    return Error(ErrorCode::out_of_memory, "the " + size + " scale does not fit memory-limit (" +
                                               mb(limit) + "): " + what +
                                               "; raise memory-limit or choose a smaller size");
  };
  const double result_bytes =
      fixed + kResultBytesPerContentPixel * sizes.content_pixels + kRgbBytesPerPixel * pixels;
  if (result_bytes > limit)
    throw out_of_memory("writing the result takes " + mb(result_bytes));

  ScaleMemory plan;
  // The style targets are made before the optimiser exists: the styles at
  // this scale, and the network's inference on them (about two layers alive
  // at once) in reads that fit what is left.
  double widest = 0;
  for (int conv = 0; conv <= deepest_conv; ++conv)
    widest = std::max(widest, values_per_pixel(network, conv));
  const double style_room =
      limit - fixed - scale_buffers - kRgbBytesPerPixel * sizes.scaled_style_pixels;
  const double inference_bytes = widest * (3.0 * network.value_bytes + 8);
  if (style_room < 128 * 128 * inference_bytes)
    throw out_of_memory("the style images at this scale take " +
                        mb(kRgbBytesPerPixel * sizes.scaled_style_pixels) + "; lower style-scale");
  plan.style_read_pixels = style_room / inference_bytes;

  const int longer = std::max(sizes.width, sizes.height);
  const bool forced = options.tile_size > 0 && options.tile_size < longer;
  const int comfortable = std::min(kComfortableOwnSide, longer);
  // A scale's N steps make at most N - 1 curvature pairs (the first step has
  // no earlier gradient): a longer history would hold memory never used.
  const int wanted_history = std::min(kMaximumHistory, std::max(sizes.steps - 1, 1));

  struct Choice {
    Optimizer optimizer;
    int history;
    bool keep;
  };
  // In the order the plan gives them up.
  std::vector<Choice> choices;
  if (options.optimizer == Optimizer::lbfgs) {
    choices.push_back({Optimizer::lbfgs, wanted_history, true});
    // The longest history that leaves room for comfortable blocks.
    const double room = limit - fixed - scale_buffers - content_features -
                        activations * std::pow(double(read_side(comfortable, deepest_conv)), 2);
    const int history = int(std::floor((room / pixels - lbfgs_bytes_per_pixel(0)) / 24.0));
    if (history >= kMinimumHistory && history < wanted_history)
      choices.push_back({Optimizer::lbfgs, history, true});
  }
  choices.push_back({Optimizer::adam, 0, true});
  choices.push_back({Optimizer::adam, 0, false});

  // A step's blocks in `room`: the second pass's, sides at least
  // `minimum_side` (or forced), and the first pass's where they differ.
  struct Layout {
    std::vector<Block> blocks, statistics_blocks;
    double read_pixels = 0, statistics_read_pixels = 0; // the largest read of each
    double kept_bytes = 0;
    double first_pass_bytes = 0; // per pixel of a first-pass read
  };
  const auto largest_read = [](const std::vector<Block> &blocks) {
    double largest = 0;
    for (const Block &block : blocks)
      largest = std::max(largest, block.read.pixels());
    return largest;
  };
  // `kept_per_pixel`: what a first-pass read holds of the kept layers until
  // they are copied out, beside its inference.
  const auto layout_in = [&](double room, int minimum_side,
                             double kept_per_pixel) -> std::optional<Layout> {
    const int side =
        forced ? options.tile_size : largest_own_side(room / activations, deepest_conv);
    if (room <= 0 || side < minimum_side)
      return std::nullopt;
    Layout layout;
    layout.first_pass_bytes = inference_bytes + kept_per_pixel;
    layout.blocks = plan_blocks(sizes.width, sizes.height, side, deepest_conv);
    layout.read_pixels = largest_read(layout.blocks);
    if (layout.blocks.empty() || layout.read_pixels * activations > room)
      return std::nullopt;
    // The first pass holds about two layers at once, as the style's
    // inference does: its blocks can be larger (unless the side was forced).
    // They read fewer margins, but in the same blocks the first pass's last
    // one also serves the second pass (Objective::evaluate_in_blocks): the
    // pass that reads fewer pixels is taken.
    if (!forced) {
      std::vector<Block> larger =
          plan_blocks(sizes.width, sizes.height,
                      largest_own_side(room / layout.first_pass_bytes, deepest_conv), deepest_conv);
      if (total_read_pixels(larger) < first_pass_pixels(layout.blocks, {})) {
        layout.statistics_read_pixels = largest_read(larger);
        layout.statistics_blocks = std::move(larger);
      }
    }
    return layout;
  };

  for (std::size_t i = 0; i < choices.size(); ++i) {
    const Choice &choice = choices[i];
    const double optimiser =
        pixels * (choice.optimizer == Optimizer::lbfgs ? lbfgs_bytes_per_pixel(choice.history)
                                                       : kAdamBytesPerPixel);
    const double held = fixed + scale_buffers + optimiser + (choice.keep ? content_features : 0);
    const double available = limit - held;
    const bool last = i + 1 == choices.size();
    const double after = std::max(after_activations, pixels * kOptimiserStepBytesPerPixel);
    if (after > available) {
      if (!last)
        continue;
      throw out_of_memory(mb(held) +
                          " is held for the images, the optimiser and the network's "
                          "weights, and the preview, smoothness and optimiser's step need " +
                          mb(after) + " more");
    }
    // A whole step holds the whole image's content features whatever the choice.
    const double whole_needs = pixels * activations + (choice.keep ? 0 : content_features);
    Layout layout;
    if (forced || whole_needs > available) {
      std::optional<Layout> blocks = layout_in(available, forced || last ? 1 : comfortable, 0);
      if (!blocks) {
        if (!last)
          continue;
        const double smallest =
            std::pow(double(read_side(pooling_factor(deepest_conv), deepest_conv)), 2);
        throw out_of_memory(mb(held) +
                            " is held for the images, the optimiser and the network's "
                            "weights, and the smallest block needs " +
                            mb(smallest * activations) + " more");
      }
      layout = std::move(*blocks);
      // Keeping the deepest layers' outputs for the second pass spares it
      // their forward, but leaves less memory: taken where the second pass's
      // blocks stay as they are and the first pass's still cost less. Where
      // keeping meant smaller blocks, the multiply-adds promised less than
      // the step gave (2026-12-07, a 4000x3000 photo's 2000 px scale in
      // float32: 20 blocks instead of 12, 17% less work counted, 28% slower).
      double work = step_work(layout.blocks, layout.statistics_blocks, 0);
      const std::size_t block_count = layout.blocks.size();
      const double largest = layout.read_pixels;
      for (int first : keep_candidates(options)) {
        const double per_pixel = kept_bytes_per_pixel(network, first, deepest_conv);
        const double room = available - pixels * per_pixel;
        std::optional<Layout> smaller = room < double(kTotalVariationStripBytes)
                                            ? std::nullopt
                                            : layout_in(room, forced ? 1 : comfortable, per_pixel);
        const double share =
            macs_per_pixel(network, first, deepest_conv) / macs_per_pixel(network, 0, deepest_conv);
        if (!smaller || smaller->blocks.size() != block_count || smaller->read_pixels != largest)
          continue;
        const double kept_work = step_work(smaller->blocks, smaller->statistics_blocks, share);
        if (kept_work >= work)
          continue;
        work = kept_work;
        layout = std::move(*smaller);
        layout.kept_bytes = pixels * per_pixel;
        plan.keep_from = first;
        plan.kept_share = share;
      }
    }
    const double read_pixels = layout.blocks.empty() ? pixels : layout.read_pixels;
    const double statistics_read_pixels = layout.statistics_read_pixels;
    plan.statistics_blocks = std::move(layout.statistics_blocks);
    plan.blocks = std::move(layout.blocks);
    plan.optimizer = choice.optimizer;
    plan.history = choice.history;
    plan.content_kept = choice.keep || plan.blocks.empty();
    // The kept maps live through the step's evaluation (its smoothness term
    // too), not through what comes after it.
    plan.estimate = std::size_t(
        held + std::max({after, layout.kept_bytes + double(kTotalVariationStripBytes),
                         layout.kept_bytes + read_pixels * activations +
                             (plan.content_kept && !choice.keep ? content_features : 0),
                         layout.kept_bytes + statistics_read_pixels * layout.first_pass_bytes}));
    if (choice.optimizer != options.optimizer)
      plan.note = "Adam replaced L-BFGS at " + size + ": L-BFGS's history (" + mb(24 * pixels) +
                  " per remembered step) does not fit memory-limit";
    else if (choice.history < wanted_history && choice.optimizer == Optimizer::lbfgs)
      plan.note = "L-BFGS remembers " + std::to_string(choice.history) + " steps instead of " +
                  std::to_string(wanted_history) + " at " + size + " to fit memory-limit";
    if (!plan.content_kept)
      plan.note += std::string(plan.note.empty() ? "" : "; ") +
                   "the content's features are recomputed at every step at " + size +
                   " to fit memory-limit";
    return plan;
  }
  return plan; // not reached: the last choice returns or throws
}

} // namespace nst
