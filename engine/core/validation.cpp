#include "core/validation.h"

#include "base/error.h"

#include <cmath>
#include <sstream>

namespace nst {
namespace {

[[noreturn]] void invalid(const std::string &message) {
  throw Error(ErrorCode::invalid_argument, message);
}

template <typename T> std::string text(T value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

void check_weight(double value, const std::string &name) {
  if (!std::isfinite(value) || value < 0)
    invalid(name + " is " + text(value) + "; expected a finite number >= 0");
}

void check_layers(const std::vector<LayerWeight> &layers, const char *option) {
  for (const auto &layer : layers) {
    vgg::LayerRef ref;
    if (!vgg::parse_layer(layer.layer, ref))
      invalid(std::string(option) + " names the layer '" + layer.layer +
              "'; expected conv1_1 .. conv5_4 or relu1_1 .. relu5_4 (conv before, relu after "
              "the activation)");
    check_weight(layer.weight, std::string(option) + " weight of " + layer.layer);
  }
}

void check_side(int side, const std::string &name) {
  if (side < 16 || side > kMaximumSide)
    invalid(name + " is " + text(side) + "; expected 16 .. " + text(kMaximumSide) + " pixels");
}

} // namespace

void validate_image(const ImageView &image, const char *what) {
  const std::string name(what);
  if (!image.pixels)
    invalid(name + " has no pixels");
  if (image.width < 1 || image.height < 1 || image.width > kMaximumSide ||
      image.height > kMaximumSide)
    invalid(name + " is " + text(image.width) + "x" + text(image.height) + "; expected 1 .. " +
            text(kMaximumSide) + " pixels each way");
  if (image.channels != 3 && image.channels != 4)
    invalid(name + " has " + text(image.channels) + " channels; expected 3 (RGB) or 4 (RGBA)");
  if (image.row_stride != 0 && image.row_stride < std::ptrdiff_t{image.width} * image.channels)
    invalid(name + " has a row stride of " + text(image.row_stride) + " floats; expected 0 or >= " +
            text(image.width * image.channels) + " (width x channels)");
}

void validate_request(const ImageView &content, const std::vector<StyleImage> &styles,
                      const Options &options) {
  validate_image(content, "the content image");
  if (styles.empty())
    invalid("no style image was given; expected at least one");
  double total_weight = 0;
  for (std::size_t i = 0; i < styles.size(); ++i) {
    const std::string name = "style image " + text(i + 1);
    validate_image(styles[i].image, name.c_str());
    check_weight(styles[i].weight, "the blend weight of " + name);
    total_weight += styles[i].weight;
  }
  if (!(total_weight > 0))
    invalid("the style images' blend weights add up to 0; expected a positive sum");

  check_layers(options.content_layers, "content_layers");
  check_layers(options.style_layers, "style_layers");
  if (options.style_layers.empty())
    invalid("style_layers is empty; expected at least one layer such as relu1_1");
  check_weight(options.content_weight, "content_weight");
  check_weight(options.style_weight, "style_weight");
  check_weight(options.tv_weight, "tv_weight");

  if (options.size != 0)
    check_side(options.size, "size");
  for (std::size_t i = 0; i < options.scales.size(); ++i) {
    check_side(options.scales[i], "scales[" + text(i) + "]");
    if (i > 0 && options.scales[i] <= options.scales[i - 1])
      invalid("scales must grow from coarse to fine; scales[" + text(i) + "] = " +
              text(options.scales[i]) + " is not larger than " + text(options.scales[i - 1]));
  }
  if (options.iterations < 1 || options.iterations > 100000)
    invalid("iterations is " + text(options.iterations) + "; expected 1 .. 100000");
  if (!options.iterations_per_scale.empty()) {
    if (options.scales.empty())
      invalid("iterations_per_scale needs scales: give the scales it counts steps for");
    if (options.iterations_per_scale.size() != options.scales.size())
      invalid("iterations_per_scale has " + text(options.iterations_per_scale.size()) +
              " entries; expected one per scale (" + text(options.scales.size()) + ")");
    for (int steps : options.iterations_per_scale) {
      if (steps < 0 || steps > 100000)
        invalid("iterations_per_scale holds " + text(steps) + "; expected 0 .. 100000");
    }
  }
  if (!std::isfinite(options.style_scale) || options.style_scale < 0.05f ||
      options.style_scale > 8.0f)
    invalid("style_scale is " + text(options.style_scale) + "; expected 0.05 .. 8");
  if (!std::isfinite(options.learning_rate) || options.learning_rate <= 0 ||
      options.learning_rate > 1000)
    invalid("learning_rate is " + text(options.learning_rate) +
            "; expected more than 0, up to 1000");
  if (options.memory_limit_bytes < (std::size_t{64} << 20))
    invalid("memory_limit_bytes is " + text(options.memory_limit_bytes) +
            "; expected at least 64 MiB (67108864)");
  if (options.tile_size != 0 && (options.tile_size < 64 || options.tile_size > kMaximumSide))
    invalid("tile_size is " + text(options.tile_size) + "; expected 0 (automatic) or 64 .. " +
            text(kMaximumSide));
  if (options.preview_every < 0)
    invalid("preview_every is " + text(options.preview_every) + "; expected 0 (none) or more");
}

std::vector<vgg::LayerRef> parse_layers(const std::vector<LayerWeight> &layers) {
  std::vector<vgg::LayerRef> refs;
  for (const auto &layer : layers) {
    vgg::LayerRef ref;
    vgg::parse_layer(layer.layer, ref);
    refs.push_back(ref);
  }
  return refs;
}

} // namespace nst
