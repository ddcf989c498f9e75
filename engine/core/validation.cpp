#include "core/validation.h"

#include "base/error.h"
#include "base/schedule.h"
#include "nst/parameters.h"

#include <algorithm>
#include <cmath>
#include <limits>
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

// Layer names (their weights are the table's rule).
void check_layers(const std::vector<LayerWeight> &layers, const char *option) {
  for (const auto &layer : layers) {
    vgg::LayerRef ref;
    if (!vgg::parse_layer(layer.layer, ref))
      invalid(std::string(option) + " names the layer '" + layer.layer +
              "'; expected conv1_1 .. conv5_4 or relu1_1 .. relu5_4 (conv before, relu after "
              "the activation)");
  }
}

// A style's stroke size times style-scale stays in style-scale's range.
void check_stroke_size(const Options &options, const StyleImage &style, const std::string &name) {
  const Parameter &row = *find_parameter("style-scale");
  const double product = style_scale_of(options, style);
  if (!std::isfinite(style.scale) || !(product >= row.minimum && product <= row.maximum))
    invalid("the stroke size " + text(style.scale) + " of " + name + " times style-scale " +
            text(options.style_scale) + " is " + text(product) + "; expected " +
            expected_values(row));
}

void check_table(const Settings &settings) {
  for (const Parameter &parameter : parameters()) {
    std::string error;
    if (!check_parameter(parameter, settings, error))
      invalid(error);
  }
}

// A mask of `width` x `height` with values in 0..1, not all 0.
void validate_mask(const MaskView &mask, int width, int height, const std::string &name) {
  if (mask.width != width || mask.height != height)
    invalid(name + " is " + text(mask.width) + "x" + text(mask.height) + "; expected " +
            text(width) + "x" + text(height) + ", the size of the image it masks");
  if (mask.row_stride != 0 && mask.row_stride < mask.width)
    invalid(name + " has a row stride of " + text(mask.row_stride) +
            " floats; expected 0 or >= " + text(mask.width));
  const std::ptrdiff_t stride = mask.row_stride ? mask.row_stride : mask.width;
  bool any = false;
  for (int y = 0; y < mask.height; ++y) {
    const float *row = mask.pixels + y * stride;
    for (int x = 0; x < mask.width; ++x) {
      if (!(row[x] >= 0.0f && row[x] <= 1.0f))
        invalid(name + " holds " + text(row[x]) + " at pixel " + text(x) + ", " + text(y) +
                "; expected values from 0 to 1");
      any = any || row[x] > 0.0f;
    }
  }
  if (!any)
    invalid(name + " is empty (0 everywhere): it selects no pixel for the style");
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
  // A NaN or infinite pixel would make every loss NaN (a float image in GIMP
  // can hold them).
  const std::ptrdiff_t stride =
      image.row_stride ? image.row_stride : std::ptrdiff_t{image.width} * image.channels;
  for (int y = 0; y < image.height; ++y) {
    const float *row = image.pixels + y * stride;
    for (int i = 0; i < image.width * image.channels; ++i)
      if (!std::isfinite(row[i]))
        invalid(name + " holds " + text(row[i]) + " at pixel " + text(i / image.channels) + ", " +
                text(y) + "; expected finite values");
  }
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

  // Each parameter's own range, from the table; the model's rows are checked
  // by validate_model_options.
  check_table(Settings{options, ModelOptions{}});
  for (std::size_t i = 0; i < styles.size(); ++i) {
    const std::string name = "style image " + text(i + 1);
    check_stroke_size(options, styles[i], name);
    if (styles[i].region.pixels)
      validate_mask(styles[i].region, content.width, content.height, "the region of " + name);
    if (styles[i].style_region.pixels)
      validate_mask(styles[i].style_region, styles[i].image.width, styles[i].image.height,
                    "the style region of " + name);
  }

  // Rules across fields or items.
  check_layers(options.content_layers, "content-layers");
  check_layers(options.style_layers, "style-layers");
  if (options.style_layers.empty())
    invalid("style-layers is empty; expected at least one layer such as relu1_1");
  // The losses are float32: a weight times a layer's weight (times a style's
  // blend weight) that float32 cannot hold makes them infinite.
  auto check_products = [](double weight, const std::vector<LayerWeight> &layers, double blend,
                           const char *name) {
    for (const LayerWeight &layer : layers)
      if (weight * layer.weight * blend > std::numeric_limits<float>::max())
        invalid(std::string(name) + " " + text(weight) + " times the weight " + text(layer.weight) +
                " of " + layer.layer + " exceeds float32's range (3.4e38)");
  };
  double largest_blend = 0;
  for (const StyleImage &style : styles)
    largest_blend = std::max(largest_blend, double(style.weight) / total_weight);
  check_products(options.content_weight, options.content_layers, 1.0, "content-weight");
  check_products(options.style_weight, options.style_layers, largest_blend, "style-weight");

  if (!options.iterations_per_scale.empty() &&
      options.iterations_per_scale.size() != options.scales.size())
    invalid("scale-iterations has " + text(options.iterations_per_scale.size()) +
            " entries; expected one per scale (" + text(options.scales.size()) + " in scales)");
  if (options.preview_every < 0)
    invalid("preview_every is " + text(options.preview_every) + "; expected 0 (none) or more");
  if (options.preview_side < 0)
    invalid("preview_side is " + text(options.preview_side) +
            "; expected 0 (the scale's size) or more");
}

void validate_model_options(const ModelOptions &model) {
  check_table(Settings{Options{}, model});
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

std::vector<vgg::LayerRef> read_layers(const Options &options) {
  std::vector<vgg::LayerRef> layers = parse_layers(options.content_layers);
  const std::vector<vgg::LayerRef> style = parse_layers(options.style_layers);
  layers.insert(layers.end(), style.begin(), style.end());
  return layers;
}

int deepest_conv(const Options &options) {
  int deepest = 0;
  for (const vgg::LayerRef &layer : read_layers(options))
    deepest = std::max(deepest, layer.conv);
  return deepest;
}

std::vector<int> keep_candidates(const Options &options) {
  constexpr int kConv3_1 = 4;
  // Kept outputs are after their ReLU: levels after any layer read before it.
  int first_keepable = kConv3_1;
  for (const vgg::LayerRef &layer : read_layers(options)) {
    if (!layer.after_relu)
      first_keepable = std::max(first_keepable, layer.conv + 1);
  }
  const int deepest = deepest_conv(options);
  std::vector<int> candidates;
  for (int first = first_keepable; first <= deepest; ++first) {
    if (vgg::pool_before(first))
      candidates.push_back(first);
  }
  return candidates;
}

} // namespace nst
