#include "nst/parameters.h"

#include <charconv>
#include <cmath>
#include <cstdint>

// Marks a string for xgettext; the front ends translate it.
#define NST_N_(text) text

namespace nst {
namespace {

constexpr double kMebibyte = 1 << 20;

// from_chars reads the same digits in every locale: a front end's
// setlocale(LC_ALL, "") must not turn "0.3" into an error under a comma locale.
bool to_double(const std::string &text, double &value) {
  const char *first = text.data();
  const char *last = first + text.size();
  if (first != last && *first == '+') // from_chars does not take a '+'
    ++first;
  if (first == last)
    return false;
  const auto result = std::from_chars(first, last, value);
  return result.ec == std::errc() && result.ptr == last && std::isfinite(value);
}

bool to_integer(const std::string &text, long long &value) {
  const char *first = text.data();
  const char *last = first + text.size();
  if (first != last && *first == '+')
    ++first;
  if (first == last)
    return false;
  const auto result = std::from_chars(first, last, value);
  return result.ec == std::errc() && result.ptr == last;
}

// Whole numbers in full ("100000", not "1e+05"), others as short as they
// read back exactly.
std::string number_text(double value) {
  if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15)
    return std::to_string(static_cast<long long>(value));
  char buffer[32];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
  return std::string(buffer, result.ptr);
}

template <typename Enum> int id(Enum value) {
  return static_cast<int>(value);
}

// A row's common part; the kinds below add their own.
Parameter row(const char *key, ParameterKind kind, const char *label, const char *help,
              const char *value_name) {
  Parameter p{};
  p.key = key;
  p.kind = kind;
  p.label = label;
  p.help = help;
  p.value_name = value_name;
  return p;
}

Parameter integer(const char *key, const char *label, const char *help, const char *value_name,
                  double minimum, double maximum, double ui_minimum, double ui_maximum) {
  Parameter p = row(key, ParameterKind::integer, label, help, value_name);
  p.minimum = minimum;
  p.maximum = maximum;
  p.ui_minimum = ui_minimum;
  p.ui_maximum = ui_maximum;
  return p;
}

Parameter number(const char *key, const char *label, const char *help, double minimum,
                 double maximum, double ui_minimum, double ui_maximum) {
  Parameter p = integer(key, label, help, "X", minimum, maximum, ui_minimum, ui_maximum);
  p.kind = ParameterKind::number;
  return p;
}

Parameter choice(const char *key, const char *label, const char *help,
                 std::vector<ParameterChoice> list) {
  Parameter p = row(key, ParameterKind::choice, label, help, nullptr);
  p.choices = std::move(list);
  return p;
}

// Accessors of one field: the table's rows stay one expression each.
#define NST_NUMBER(field)                                                                          \
  [](const Settings &s) { return static_cast<double>(s.field); },                                  \
      [](Settings &s, double v) { s.field = static_cast<decltype(s.field)>(v); }
#define NST_ENUM(field)                                                                            \
  [](const Settings &s) { return static_cast<double>(static_cast<int>(s.field)); },                \
      [](Settings &s, double v) { s.field = static_cast<decltype(s.field)>(static_cast<int>(v)); }

Parameter with_number(Parameter p, double (*get)(const Settings &),
                      void (*set)(Settings &, double)) {
  p.get_number = get;
  p.set_number = set;
  return p;
}

bool parse_scales(const std::string &value, Settings &s, std::string &error) {
  std::vector<int> scales;
  if (!parse_numbers(value, kMinimumScaleSide, kMaximumSide, scales, error))
    return false;
  for (std::size_t i = 1; i < scales.size(); ++i)
    if (scales[i] <= scales[i - 1]) {
      error = "'" + value + "' must grow from coarse to fine; " + std::to_string(scales[i]) +
              " follows " + std::to_string(scales[i - 1]);
      return false;
    }
  s.options.scales = scales;
  return true;
}

// Where the front ends used to differ, the choice made here, once:
//   seed           0 .. 2^31-1 (GIMP's int argument); the CLI took 64-bit seeds
//   device-index   0 .. 63 (the CLI took 1023)
//   memory-limit   MiB, 64 .. 1 TiB (the CLI took 16 TiB and said MB)
//   threads        0 .. 1024 (the CLI took 4096)
//   pooling        "average" (the procedure's name); the CLI's "avg" stays an alias
//   scales         commas or spaces, empty = automatic (the procedure's rule)
std::vector<Parameter> make_table() {
  using P = ParameterKind;
  std::vector<Parameter> t;

  t.push_back(with_number(
      integer("iterations", NST_N_("_Iterations"),
              NST_N_("Optimisation steps at the finest scale up to 1024 px; larger scales get "
                     "fewer, in proportion to their pixels. More steps follow the style more "
                     "closely."),
              "N", 1, 100000, 1, 1000),
      NST_NUMBER(options.iterations)));
  {
    Parameter p = with_number(
        integer("size", NST_N_("Processing si_ze"),
                NST_N_("Longer side, in pixels, at which the style is painted; the result is "
                       "scaled to the layer's size; 16 at least. 0 paints every pixel of the "
                       "layer at its own size."),
                "PX", kMinimumScaleSide, kMaximumSide, 0, 4096),
        NST_NUMBER(options.size));
    p.zero_allowed = true;
    t.push_back(p);
  }
  t.push_back(
      with_number(number("style-weight", NST_N_("Style _weight"),
                         NST_N_("How strongly the result should match the style's textures."), 0.0,
                         1.0e12, 0.0, 1.0e7),
                  NST_NUMBER(options.style_weight)));
  t.push_back(with_number(number("content-weight", NST_N_("Co_ntent weight"),
                                 NST_N_("How strongly the result should keep the layer's shapes."),
                                 0.0, 1.0e6, 0.0, 100.0),
                          NST_NUMBER(options.content_weight)));
  t.push_back(with_number(
      number("tv-weight", NST_N_("Smoo_thness weight"),
             NST_N_("Total-variation weight: higher values give smoother results with less "
                    "noise."),
             0.0, 1.0e3, 0.0, 1.0),
      NST_NUMBER(options.tv_weight)));
  t.push_back(with_number(
      choice("preserve-colors", NST_N_("Preser_ve colors"),
             NST_N_("Keep the layer's own colors and take only the style's textures "
                    "(luminance-only transfer)."),
             {{"none", id(ColorPreservation::none), NST_N_("No: take the style's colors")},
              {"luminance", id(ColorPreservation::luminance),
               NST_N_("Keep the layer's colors (luminance)")}}),
      NST_ENUM(options.preserve_colors)));
  t.push_back(with_number(
      choice("match-style-colors", NST_N_("Style colors"),
             NST_N_("Give the styles the layer's colors before painting: by their mean and "
                    "covariance, or by their histograms."),
             {{"none", id(StyleColors::own), NST_N_("The style's own colors")},
              {"mean-covariance", id(StyleColors::mean_covariance),
               NST_N_("Matched to the layer's (mean and covariance)")},
              {"histogram", id(StyleColors::histogram),
               NST_N_("Matched to the layer's (histogram)")}}),
      NST_ENUM(options.match_style_colors)));
  t.push_back(with_number(
      choice("mask-erosion", NST_N_("Style regions' edges"),
             NST_N_("How a style's region reaches the network's deeper layers: eroded, so that "
                    "only what lies wholly inside the region counts for it (sharper borders), "
                    "or only scaled down (the styles mix along the borders)."),
             {{"inside", id(MaskErosion::inside), NST_N_("Inside the region only (sharp)")},
              {"none", id(MaskErosion::none), NST_N_("Scaled down (soft)")}}),
      NST_ENUM(options.mask_erosion)));
  t.push_back(with_number(
      choice(
          "style-loss", NST_N_("Style statistics"),
          NST_N_("What the style loss compares at each style layer: Gram matrices (Gatys et "
                 "al.), or the features' mean and covariance (the Wasserstein distance between "
                 "Gaussians). The two losses differ in size: a style weight chosen for one "
                 "does not carry over to the other."),
          {{"gram", id(StyleLossKind::gram), NST_N_("Gram matrices")},
           {"mean-covariance", id(StyleLossKind::mean_covariance), NST_N_("Mean and covariance")}}),
      NST_ENUM(options.style_loss)));
  t.push_back(with_number(integer("seed", NST_N_("Random s_eed"),
                                  NST_N_("Seed of the random numbers (noise start, tiling)."), "N",
                                  0, 2147483647.0, 0, 2147483647.0),
                          NST_NUMBER(options.seed)));
  {
    Parameter p = with_number(
        choice("device", NST_N_("_Device"),
               NST_N_("Where to compute: automatic uses an NVIDIA GPU through CUDA when there is "
                      "one."),
               {{"auto", id(DeviceKind::automatic), NST_N_("Automatic (CUDA when available)")},
                {"cpu", id(DeviceKind::cpu), NST_N_("CPU")},
                {"cuda", id(DeviceKind::cuda), NST_N_("CUDA (NVIDIA GPU)")}}),
        NST_ENUM(model.device));
    // "cuda:1" names the device and its index at once.
    p.parse_text = [](const std::string &value, Settings &s, std::string &error) {
      return parse_device_id(value, s.model.device, s.model.device_index, error);
    };
    t.push_back(p);
  }
  t.push_back(
      with_number(integer("device-index", NST_N_("GPU number"),
                          NST_N_("Which CUDA GPU to use when device is cuda: 0 is the first one."),
                          "N", 0, 63, 0, 63),
                  NST_NUMBER(model.device_index)));
  {
    Parameter p = row("weights-file", P::file, NST_N_("Wei_ghts file"),
                      NST_N_("The VGG19 weights (torchvision's vgg19-dcbb9e9d.pth, or "
                             ".safetensors). Empty: $NST_VGG19_WEIGHTS, the cache, PyTorch's "
                             "cache, or a download on first use."),
                      "FILE");
    p.get_text = [](const Settings &s) { return s.model.weights_path; };
    p.parse_text = [](const std::string &value, Settings &s, std::string &) {
      s.model.weights_path = value;
      return true;
    };
    t.push_back(p);
  }
  t.push_back(with_number(
      number("style-scale", NST_N_("Style sc_ale"),
             NST_N_("Size of the style image relative to the result: below 1 gives finer brush "
                    "strokes, above 1 bigger ones."),
             0.05, 8.0, 0.25, 4.0),
      NST_NUMBER(options.style_scale)));
  {
    Parameter p = row("content-layers", P::text, NST_N_("Content layers"),
                      NST_N_("VGG19 layers whose features the result keeps from the layer, with "
                             "optional weights: \"relu4_2\" or \"relu3_2:0.5, relu4_2\"."),
                      "LAYERS");
    p.get_text = [](const Settings &s) { return layers_text(s.options.content_layers); };
    p.parse_text = [](const std::string &value, Settings &s, std::string &error) {
      return parse_layers(value, s.options.content_layers, error);
    };
    t.push_back(p);
  }
  {
    Parameter p = row("style-layers", P::text, NST_N_("Style layers"),
                      NST_N_("VGG19 layers whose textures the result takes from the style "
                             "(relu1_1 to relu5_4), with optional weights after a colon."),
                      "LAYERS");
    p.get_text = [](const Settings &s) { return layers_text(s.options.style_layers); };
    p.parse_text = [](const std::string &value, Settings &s, std::string &error) {
      return parse_layers(value, s.options.style_layers, error);
    };
    t.push_back(p);
  }
  t.push_back(with_number(
      choice("optimizer", NST_N_("Opti_mizer"), NST_N_("The optimisation method."),
             {{"lbfgs", id(Optimizer::lbfgs), NST_N_("L-BFGS (fewer steps, more memory)")},
              {"adam", id(Optimizer::adam), NST_N_("Adam (less memory)")}}),
      NST_ENUM(options.optimizer)));
  t.push_back(
      with_number(number("learning-rate", NST_N_("Ste_p size (learning rate)"),
                         NST_N_("L-BFGS's step length, or Adam's rate in 0..255 pixel units."),
                         1.0e-4, 1000.0, 0.1, 20.0),
                  NST_NUMBER(options.learning_rate)));
  t.push_back(with_number(choice("init", NST_N_("_Begin with"),
                                 NST_N_("The image the optimisation starts from."),
                                 {{"content", id(Init::content), NST_N_("The layer itself")},
                                  {"noise", id(Init::noise), NST_N_("Random noise")},
                                  {"style", id(Init::style), NST_N_("The style image")}}),
                          NST_ENUM(options.init)));
  t.push_back(with_number(
      choice("precision", NST_N_("Precision (fp_32, bf16, fp16)"),
             NST_N_("Number format of the network: bfloat16 is faster where supported, float32 "
                    "more precise."),
             {{"fp32", id(Precision::fp32), NST_N_("32-bit float (exact)")},
              {"bf16", id(Precision::bf16), NST_N_("bfloat16 (faster on recent CPUs and GPUs)")},
              {"fp16", id(Precision::fp16), NST_N_("16-bit float")}}),
      NST_ENUM(options.precision)));
  {
    Parameter p = row("scales", P::text, NST_N_("Scales (empty: a_uto)"),
                      NST_N_("Longer sides, in pixels, of the coarse-to-fine passes, e.g. "
                             "\"256,512\". Empty: chosen from the processing size."),
                      "PX,PX...");
    p.get_text = [](const Settings &s) { return numbers_text(s.options.scales); };
    p.parse_text = parse_scales;
    t.push_back(p);
  }
  t.push_back(with_number(
      integer("memory-limit", NST_N_("Ma_x memory (MiB)"),
              NST_N_("Peak memory the computation may use; large layers are processed in blocks "
                     "to stay under it."),
              "MIB", 64, 1 << 20, 256, 65536),
      [](const Settings &s) {
        return static_cast<double>(s.options.memory_limit_bytes) / kMebibyte;
      },
      [](Settings &s, double v) {
        s.options.memory_limit_bytes = static_cast<std::size_t>(std::llround(v * kMebibyte));
      }));
  t.push_back(with_number(
      choice("pooling", NST_N_("Pooling _kind"), NST_N_("How the network reduces resolution."),
             {{"max", id(Pooling::max), NST_N_("Max pooling (as trained)")},
              {"average", id(Pooling::average), NST_N_("Average pooling (smoother)")},
              {"avg", id(Pooling::average), nullptr}}),
      NST_ENUM(model.pooling)));
  t.push_back(with_number(
      choice(
          "preprocessing", NST_N_("VGG_19 weights from"),
          NST_N_("Which VGG19 the weights file holds; they expect differently prepared input."),
          {{"torchvision", id(Preprocessing::torchvision), NST_N_("torchvision (PyTorch) weights")},
           {"caffe", id(Preprocessing::caffe), NST_N_("Caffe weights (converted)")}}),
      NST_ENUM(model.preprocessing)));
  {
    Parameter p =
        with_number(integer("threads", NST_N_("CPU threads (_0: all)"),
                            NST_N_("CPU threads to use; 0 uses all cores."), "N", 1, 1024, 0, 64),
                    NST_NUMBER(model.threads));
    p.zero_allowed = true;
    t.push_back(p);
  }
  {
    Parameter p = with_number(integer("tile-size", NST_N_("Block size (0: automatic)"),
                                      NST_N_("Side of the blocks each step is computed in; 0: "
                                             "chosen from the memory limit."),
                                      "PX", kMinimumTileSide, kMaximumSide, 0, 4096),
                              NST_NUMBER(options.tile_size));
    p.zero_allowed = true;
    t.push_back(p);
  }
  {
    Parameter p = row("scale-iterations", P::text, NST_N_("Steps per scale (empty: automatic)"),
                      NST_N_("Optimisation steps at each of the scales, e.g. \"200,50\"; needs "
                             "the scales. Empty: derived from the iterations (more at coarser "
                             "scales, fewer above 1024 px)."),
                      "N,N...");
    p.get_text = [](const Settings &s) { return numbers_text(s.options.iterations_per_scale); };
    p.parse_text = [](const std::string &value, Settings &s, std::string &error) {
      return parse_numbers(value, 0, 100000, s.options.iterations_per_scale, error);
    };
    t.push_back(p);
  }
  t.push_back(with_number(
      choice("scale-ratio", NST_N_("Scale steps"),
             NST_N_("How much larger each automatic coarse-to-fine scale is than the one before: "
                    "twice (halving down to about 256 px) or the square root of two (twice as "
                    "many scales, each a smaller step)."),
             {{"2", id(ScaleRatio::two), NST_N_("Twice as large")},
              {"sqrt2", id(ScaleRatio::sqrt2), NST_N_("Square root of two")}}),
      NST_ENUM(options.scale_ratio)));
  t.push_back(with_number(
      number("iterate-averaging", NST_N_("Iterate averaging"),
             NST_N_("Each scale ends with the moving average of its steps' images instead of "
                    "the last one, with this decay (0.9: about the last ten steps); 0: off."),
             0.0, 0.999, 0.0, 0.99),
      NST_NUMBER(options.iterate_averaging)));
  return t;
}

bool in_range(const Parameter &p, double value) {
  if (p.kind == ParameterKind::integer && p.zero_allowed && value == 0)
    return true;
  return std::isfinite(value) && value >= p.minimum && value <= p.maximum;
}

bool out_of_range(const Parameter &p, const std::string &shown, std::string &error) {
  error = std::string(p.key) + ": '" + shown + "' is not " +
          (p.kind == ParameterKind::choice ? "one of " : "") + expected_values(p);
  return false;
}

} // namespace

std::vector<std::string> list_items(const std::string &text) {
  std::vector<std::string> items;
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t start = text.find_first_not_of(", \t", position);
    if (start == std::string::npos)
      break;
    const std::size_t end = std::min(text.find_first_of(", \t", start), text.size());
    items.push_back(text.substr(start, end - start));
    position = end;
  }
  return items;
}

const std::vector<Parameter> &parameters() {
  static const std::vector<Parameter> table = make_table();
  return table;
}

const Parameter *find_parameter(const std::string &key) {
  for (const Parameter &p : parameters())
    if (key == p.key)
      return &p;
  return nullptr;
}

std::string expected_values(const Parameter &p) {
  switch (p.kind) {
  case ParameterKind::integer:
  case ParameterKind::number: {
    const std::string range = number_text(p.minimum) + " .. " + number_text(p.maximum);
    return p.zero_allowed ? "0 or " + range : range;
  }
  case ParameterKind::choice: {
    std::string names;
    for (const ParameterChoice &c : p.choices)
      if (c.label)
        names += (names.empty() ? "" : ", ") + std::string(c.name);
    return names;
  }
  case ParameterKind::text:
  case ParameterKind::file: break;
  }
  return p.value_name ? p.value_name : "";
}

std::string parameter_text(const Parameter &p, const Settings &s) {
  switch (p.kind) {
  case ParameterKind::integer:
  case ParameterKind::number: return number_text(p.get_number(s));
  case ParameterKind::choice: {
    const int value = static_cast<int>(p.get_number(s));
    for (const ParameterChoice &c : p.choices)
      if (c.value == value && c.label)
        return c.name;
    return number_text(value);
  }
  case ParameterKind::text:
  case ParameterKind::file: break;
  }
  return p.get_text(s);
}

bool set_parameter_text(const Parameter &p, const std::string &value, Settings &s,
                        std::string &error) {
  switch (p.kind) {
  case ParameterKind::integer: {
    long long number = 0;
    if (!to_integer(value, number) || !in_range(p, static_cast<double>(number)))
      return out_of_range(p, value, error);
    p.set_number(s, static_cast<double>(number));
    return true;
  }
  case ParameterKind::number: {
    double number = 0;
    if (!to_double(value, number) || !in_range(p, number))
      return out_of_range(p, value, error);
    p.set_number(s, number);
    return true;
  }
  case ParameterKind::choice:
    for (const ParameterChoice &c : p.choices)
      if (value == c.name) {
        if (p.parse_text) // a choice with more to it (the device's index)
          return p.parse_text(value, s, error);
        p.set_number(s, c.value);
        return true;
      }
    if (p.parse_text) {
      std::string detail;
      if (p.parse_text(value, s, detail))
        return true;
    }
    return out_of_range(p, value, error);
  case ParameterKind::text:
  case ParameterKind::file: break;
  }
  if (p.parse_text(value, s, error))
    return true;
  error = std::string(p.key) + ": " + error;
  return false;
}

bool check_parameter(const Parameter &p, const Settings &s, std::string &error) {
  switch (p.kind) {
  case ParameterKind::integer:
  case ParameterKind::number: {
    const double value = p.get_number(s);
    return in_range(p, value) || out_of_range(p, number_text(value), error);
  }
  case ParameterKind::choice: {
    const int value = static_cast<int>(p.get_number(s));
    for (const ParameterChoice &c : p.choices)
      if (c.value == value)
        return true;
    return out_of_range(p, number_text(value), error);
  }
  case ParameterKind::text:
  case ParameterKind::file: break;
  }
  // Written out and read back with the front ends' parser: one rule for both.
  Settings scratch;
  return set_parameter_text(p, p.get_text(s), scratch, error);
}

std::string layers_text(const std::vector<LayerWeight> &layers) {
  std::string out;
  for (const LayerWeight &layer : layers) {
    if (!out.empty())
      out += ", ";
    out += layer.layer;
    if (layer.weight != 1.0f)
      out += ":" + number_text(layer.weight);
  }
  return out;
}

bool parse_layers(const std::string &value, std::vector<LayerWeight> &layers, std::string &error) {
  std::vector<LayerWeight> parsed;
  for (const std::string &item : list_items(value)) {
    LayerWeight layer{item, 1.0f};
    const std::size_t mark = item.find_first_of(":=");
    if (mark != std::string::npos) {
      double weight = 0;
      layer.layer = item.substr(0, mark);
      if (layer.layer.empty() || !to_double(item.substr(mark + 1), weight) || weight < 0 ||
          weight > 3.0e38) {
        error = "'" + item +
                "' is not a VGG19 layer name with an optional weight >= 0, such as "
                "\"relu2_1:0.5\"";
        return false;
      }
      layer.weight = static_cast<float>(weight);
    }
    parsed.push_back(layer);
  }
  layers = std::move(parsed);
  return true;
}

bool parse_numbers(const std::string &value, int minimum, int maximum, std::vector<int> &numbers,
                   std::string &error) {
  std::vector<int> parsed;
  for (const std::string &item : list_items(value)) {
    long long number = 0;
    if (!to_integer(item, number) || number < minimum || number > maximum) {
      error = "'" + item + "' in '" + value + "' is not a whole number from " +
              std::to_string(minimum) + " to " + std::to_string(maximum);
      return false;
    }
    parsed.push_back(static_cast<int>(number));
  }
  numbers = std::move(parsed);
  return true;
}

bool parse_weights(const std::string &value, std::vector<float> &weights, std::string &error) {
  std::vector<float> parsed;
  for (const std::string &item : list_items(value)) {
    double weight = 0;
    if (!to_double(item, weight) || weight < 0 || weight > 3.0e38) {
      error = "'" + item + "' in '" + value + "' is not a number >= 0";
      return false;
    }
    parsed.push_back(static_cast<float>(weight));
  }
  weights = std::move(parsed);
  return true;
}

std::string numbers_text(const std::vector<int> &numbers) {
  std::string out;
  for (int number : numbers)
    out += (out.empty() ? "" : ",") + std::to_string(number);
  return out;
}

std::string device_id(DeviceKind kind, int index) {
  switch (kind) {
  case DeviceKind::cpu: return "cpu";
  case DeviceKind::cuda: return "cuda:" + std::to_string(index);
  case DeviceKind::automatic: break;
  }
  return "auto";
}

bool parse_device_id(const std::string &value, DeviceKind &kind, int &index, std::string &error) {
  const Parameter &range = *find_parameter("device-index");
  if (value == "auto" || value == "cpu" || value == "cuda") {
    kind = value == "auto"  ? DeviceKind::automatic
           : value == "cpu" ? DeviceKind::cpu
                            : DeviceKind::cuda;
    index = 0;
    return true;
  }
  long long number = 0;
  if (value.rfind("cuda:", 0) == 0 && to_integer(value.substr(5), number) &&
      number >= range.minimum && number <= range.maximum) {
    kind = DeviceKind::cuda;
    index = static_cast<int>(number);
    return true;
  }
  error = "device: '" + value + "' is not one of auto, cpu, cuda, cuda:N (N from 0 to " +
          number_text(range.maximum) + ")";
  return false;
}

} // namespace nst
