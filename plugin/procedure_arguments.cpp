#include "procedure_arguments.h"

#include "i18n.h"
#include "option_text.h"

#include <cstddef>

namespace nst_plugin {
namespace {

constexpr GParamFlags kFlags = G_PARAM_READWRITE;
constexpr int kMebibyte = 1 << 20;
// The engine's limits (its validation says so too when they are crossed).
constexpr int kMaximumSide = 30000;

// Choice ids are the engine's enum values, so reading one back is a cast.
template <typename Enum> int id(Enum value) {
  return static_cast<int>(value);
}

GimpChoice *device_choice() {
  using nst::DeviceKind;
  return gimp_choice_new_with_values(
      "auto", id(DeviceKind::automatic), _("Automatic (CUDA when available)"), nullptr, //
      "cpu", id(DeviceKind::cpu), _("CPU"), nullptr,                                    //
      "cuda", id(DeviceKind::cuda), _("CUDA (NVIDIA GPU)"), nullptr, nullptr);
}

GimpChoice *optimizer_choice() {
  using nst::Optimizer;
  return gimp_choice_new_with_values(
      "lbfgs", id(Optimizer::lbfgs), _("L-BFGS (fewer steps, more memory)"), nullptr, //
      "adam", id(Optimizer::adam), _("Adam (less memory)"), nullptr, nullptr);
}

GimpChoice *init_choice() {
  using nst::Init;
  return gimp_choice_new_with_values(
      "content", id(Init::content), _("The layer itself"), nullptr, //
      "noise", id(Init::noise), _("Random noise"), nullptr,         //
      "style", id(Init::style), _("The style image"), nullptr, nullptr);
}

GimpChoice *precision_choice() {
  using nst::Precision;
  return gimp_choice_new_with_values(
      "fp32", id(Precision::fp32), _("32-bit float (exact)"), nullptr,                      //
      "bf16", id(Precision::bf16), _("bfloat16 (faster on recent CPUs and GPUs)"), nullptr, //
      "fp16", id(Precision::fp16), _("16-bit float"), nullptr, nullptr);
}

GimpChoice *colors_choice() {
  using nst::ColorPreservation;
  return gimp_choice_new_with_values(
      "none", id(ColorPreservation::none), _("No: take the style's colors"), nullptr, //
      "luminance", id(ColorPreservation::luminance), _("Keep the layer's colors (luminance)"),
      nullptr, //
      "histogram", id(ColorPreservation::histogram), _("Match the layer's colors (histogram)"),
      nullptr, nullptr);
}

GimpChoice *pooling_choice() {
  using nst::Pooling;
  return gimp_choice_new_with_values(
      "max", id(Pooling::max), _("Max pooling (as trained)"), nullptr, //
      "average", id(Pooling::average), _("Average pooling (smoother)"), nullptr, nullptr);
}

GimpChoice *preprocessing_choice() {
  using nst::Preprocessing;
  return gimp_choice_new_with_values(
      "torchvision", id(Preprocessing::torchvision), _("torchvision (PyTorch) weights"), nullptr,
      "caffe", id(Preprocessing::caffe), _("Caffe weights (converted)"), nullptr, nullptr);
}

template <typename Enum> const char *nick_of(Enum value, GimpChoice *choice) {
  // The default nick of a choice argument, looked up by id. The list
  // belongs to the choice.
  for (GList *l = gimp_choice_list_nicks(choice); l; l = l->next)
    if (gimp_choice_get_id(choice, static_cast<const char *>(l->data)) == id(value))
      return static_cast<const char *>(l->data);
  return nullptr;
}

template <typename Enum> Enum choice_value(GimpProcedureConfig *config, const char *name) {
  return static_cast<Enum>(gimp_procedure_config_get_choice_id(config, name));
}

// Takes the choice's default from the engine's default value.
template <typename Enum>
void add_choice(GimpProcedure *procedure, const char *name, const char *nick, const char *blurb,
                GimpChoice *choice, Enum default_value) {
  const char *default_nick = nick_of(default_value, choice);
  gimp_procedure_add_choice_argument(procedure, name, nick, blurb, choice, default_nick, kFlags);
}

// The VGG layers of the content and style losses as text:
// "relu1_1, relu2_1:0.5" (a weight after ':' or '='; 1 when left out).
std::string layers_text(const std::vector<nst::LayerWeight> &layers) {
  std::string text;
  for (const nst::LayerWeight &layer : layers) {
    if (!text.empty())
      text += ", ";
    text += layer.layer;
    if (layer.weight != 1.0f) {
      gchar number[G_ASCII_DTOSTR_BUF_SIZE];
      text += ":" + std::string(g_ascii_dtostr(number, sizeof number, layer.weight));
    }
  }
  return text;
}

// Reads layers_text's format back. Layer names are checked by the engine;
// here only the weights, which must be numbers.
bool parse_layers(const std::string &text, std::vector<nst::LayerWeight> &layers,
                  std::string &bad_item) {
  layers.clear();
  gchar **items = g_strsplit_set(text.c_str(), ", \t", -1);
  bool ok = true;
  for (gchar **item = items; ok && *item; ++item) {
    if (!**item)
      continue;
    std::string name = *item;
    float weight = 1.0f;
    const std::size_t mark = name.find_first_of(":=");
    if (mark != std::string::npos) {
      const std::string number = name.substr(mark + 1);
      gchar *end = nullptr;
      weight = static_cast<float>(g_ascii_strtod(number.c_str(), &end));
      name.erase(mark);
      ok = !number.empty() && end && *end == '\0' && !name.empty();
    }
    if (ok)
      layers.push_back({name, weight});
    else
      bad_item = *item;
  }
  g_strfreev(items);
  return ok;
}

std::string local_path(GFile *file) {
  GCharPtr path(g_file_get_path(file));
  return path ? std::string(path.get()) : std::string();
}

} // namespace

void add_filter_arguments(GimpProcedure *procedure) {
  const nst::Options defaults;
  const nst::ModelOptions model_defaults;

  gimp_procedure_add_layer_argument(
      procedure, "style-layer", _("St_yle layer"),
      _("A layer of any open image to take the style from. Give either this or a style file."),
      TRUE, kFlags);
  gimp_procedure_add_file_argument(
      procedure, "style-file", _("Style _file"),
      _("An image file (any format GIMP reads) to take the style from. Give either this or a "
        "style layer."),
      GIMP_FILE_CHOOSER_ACTION_OPEN, TRUE, nullptr, kFlags);

  gimp_procedure_add_int_argument(
      procedure, "iterations", _("_Iterations"),
      _("Optimisation steps at the finest scale. More steps follow the style more closely."), 1,
      100000, defaults.iterations, kFlags);
  gimp_procedure_add_int_argument(
      procedure, "size", _("Processing si_ze"),
      _("Longer side, in pixels, at which the style is painted; the result is scaled to the "
        "layer's size; 16 at least. 0 paints at the layer's full size (slow on large layers)."),
      0, kMaximumSide, defaults.size, kFlags);
  gimp_procedure_add_double_argument(
      procedure, "style-weight", _("Style _weight"),
      _("How strongly the result should match the style's textures."), 0.0, 1.0e12,
      defaults.style_weight, kFlags);
  gimp_procedure_add_double_argument(procedure, "content-weight", _("Co_ntent weight"),
                                     _("How strongly the result should keep the layer's shapes."),
                                     0.0, 1.0e6, defaults.content_weight, kFlags);
  gimp_procedure_add_double_argument(
      procedure, "tv-weight", _("Smoo_thness weight"),
      _("Total-variation weight: higher values give smoother results with less noise."), 0.0, 1.0e3,
      defaults.tv_weight, kFlags);
  add_choice(procedure, "preserve-colors", _("Preser_ve colors"),
             _("Keep the layer's own colors and take only the style's textures."), colors_choice(),
             defaults.preserve_colors);
  gimp_procedure_add_int_argument(procedure, "seed", _("Random s_eed"),
                                  _("Seed of the random numbers (noise start, tiling)."), 0,
                                  G_MAXINT, static_cast<int>(defaults.seed), kFlags);
  add_choice(procedure, "device", _("_Device"),
             _("Where to compute: automatic uses an NVIDIA GPU through CUDA when there is one."),
             device_choice(), model_defaults.device);
  gimp_procedure_add_int_argument(
      procedure, "device-index", _("GPU number"),
      _("Which CUDA GPU to use when device is cuda: 0 is the first one."), 0, 63,
      model_defaults.device_index, kFlags);
  gimp_procedure_add_file_argument(
      procedure, "weights-file", _("Wei_ghts file"),
      _("The VGG19 weights (torchvision's vgg19-dcbb9e9d.pth, or .safetensors). Empty: "
        "$NST_VGG19_WEIGHTS, the cache, PyTorch's cache, or a download on first use."),
      GIMP_FILE_CHOOSER_ACTION_OPEN, TRUE, nullptr, kFlags);
  gimp_procedure_add_double_argument(
      procedure, "style-scale", _("Style sc_ale"),
      _("Size of the style image relative to the result: below 1 gives finer brush strokes, "
        "above 1 bigger ones."),
      0.05, 8.0, defaults.style_scale, kFlags);
  gimp_procedure_add_string_argument(
      procedure, "content-layers", _("Content layers"),
      _("VGG19 layers whose features the result keeps from the layer, with optional weights: "
        "\"relu4_2\" or \"relu3_2:0.5, relu4_2\"."),
      layers_text(defaults.content_layers).c_str(), kFlags);
  gimp_procedure_add_string_argument(
      procedure, "style-layers", _("Style layers"),
      _("VGG19 layers whose textures the result takes from the style (relu1_1 to relu5_4), "
        "with optional weights after a colon."),
      layers_text(defaults.style_layers).c_str(), kFlags);
  add_choice(procedure, "optimizer", _("Opti_mizer"), _("The optimisation method."),
             optimizer_choice(), defaults.optimizer);
  gimp_procedure_add_double_argument(
      procedure, "learning-rate", _("Ste_p size (learning rate)"),
      _("L-BFGS's step length, or Adam's rate in 0..255 pixel units."), 1.0e-4, 1000.0,
      defaults.learning_rate, kFlags);
  add_choice(procedure, "init", _("_Begin with"), _("The image the optimisation starts from."),
             init_choice(), defaults.init);
  add_choice(procedure, "precision", _("Precision (fp_32, bf16, fp16)"),
             _("Number format of the network: bfloat16 is faster where supported, float32 more "
               "precise."),
             precision_choice(), defaults.precision);
  gimp_procedure_add_string_argument(
      procedure, "scales", _("Scales (empty: a_uto)"),
      _("Longer sides, in pixels, of the coarse-to-fine passes, e.g. \"256,512\". Empty: chosen "
        "from the processing size."),
      "", kFlags);
  gimp_procedure_add_int_argument(
      procedure, "memory-limit", _("Ma_x memory (MiB)"),
      _("Peak memory the computation may use; large layers are processed in tiles to stay under "
        "it."),
      64, 1 << 20, static_cast<int>(defaults.memory_limit_bytes / kMebibyte), kFlags);
  add_choice(procedure, "pooling", _("Pooling _kind"), _("How the network reduces resolution."),
             pooling_choice(), model_defaults.pooling);
  add_choice(procedure, "preprocessing", _("VGG_19 weights from"),
             _("Which VGG19 the weights file holds; they expect differently prepared input."),
             preprocessing_choice(), model_defaults.preprocessing);
  gimp_procedure_add_int_argument(procedure, "threads", _("CPU threads (_0: all)"),
                                  _("CPU threads to use; 0 uses all cores."), 0, 1024,
                                  model_defaults.threads, kFlags);

  gimp_procedure_add_core_object_array_return_value(
      procedure, "layers", _("Layers"), _("The new stylised layers, one per processed layer."),
      GIMP_TYPE_LAYER, kFlags);
}

bool read_filter_settings(GimpProcedureConfig *config, FilterSettings &settings,
                          std::string &error) {
  GimpLayer *style_layer = nullptr;
  GFile *style_file = nullptr;
  GFile *weights_file = nullptr;
  gchar *scales = nullptr, *content_layers = nullptr, *style_layers = nullptr;
  gint iterations = 0, size = 0, seed = 0, memory_limit = 0, threads = 0, device_index = 0;
  gdouble style_weight = 0, content_weight = 0, tv_weight = 0, style_scale = 0, learning_rate = 0;
  g_object_get(config,                            //
               "style-layer", &style_layer,       //
               "style-file", &style_file,         //
               "weights-file", &weights_file,     //
               "scales", &scales,                 //
               "content-layers", &content_layers, //
               "style-layers", &style_layers,     //
               "device-index", &device_index,     //
               "iterations", &iterations,         //
               "size", &size,                     //
               "seed", &seed,                     //
               "memory-limit", &memory_limit,     //
               "threads", &threads,               //
               "style-weight", &style_weight,     //
               "content-weight", &content_weight, //
               "tv-weight", &tv_weight,           //
               "style-scale", &style_scale,       //
               "learning-rate", &learning_rate,   //
               nullptr);
  settings.style_layer.reset(style_layer);
  settings.style_file.reset(style_file);
  GObjectPtr<GFile> weights(weights_file);
  GCharPtr scales_text(scales);
  GCharPtr content_layers_text(content_layers), style_layers_text(style_layers);

  if (!settings.style_layer && !settings.style_file) {
    error = _("No style was given: choose a style layer or a style image file.");
    return false;
  }
  if (settings.style_layer && settings.style_file) {
    error = _("Both a style layer and a style file were given: choose only one of them.");
    return false;
  }
  if (weights) {
    settings.weights_file = local_path(weights.get());
    if (settings.weights_file.empty()) {
      GCharPtr uri(g_file_get_uri(weights.get()));
      error = std::string(_("The weights file must be a local file:")) + " " + uri.get();
      return false;
    }
  }

  nst::Options &options = settings.options;
  std::string scales_error;
  if (!parse_scales(scales_text ? scales_text.get() : "", options.scales, scales_error)) {
    error = std::string(_("The scales are not a list of sizes in pixels.")) + "\n" + scales_error;
    return false;
  }
  std::string bad_layer;
  if (!parse_layers(content_layers_text ? content_layers_text.get() : "", options.content_layers,
                    bad_layer) ||
      !parse_layers(style_layers_text ? style_layers_text.get() : "", options.style_layers,
                    bad_layer)) {
    error = std::string(_("A layer list is not a list of VGG19 layer names with optional "
                          "weights, such as \"relu1_1, relu2_1:0.5\":")) +
            " " + bad_layer;
    return false;
  }
  options.iterations = iterations;
  options.size = size;
  options.seed = static_cast<uint64_t>(seed);
  options.memory_limit_bytes = static_cast<std::size_t>(memory_limit) * kMebibyte;
  options.style_weight = style_weight;
  options.content_weight = content_weight;
  options.tv_weight = tv_weight;
  options.style_scale = static_cast<float>(style_scale);
  options.learning_rate = learning_rate;
  options.optimizer = choice_value<nst::Optimizer>(config, "optimizer");
  options.init = choice_value<nst::Init>(config, "init");
  options.precision = choice_value<nst::Precision>(config, "precision");
  options.preserve_colors = choice_value<nst::ColorPreservation>(config, "preserve-colors");
  options.preview_every = 0; // only the live window of interactive runs shows previews

  nst::ModelOptions &model = settings.model;
  model.device = choice_value<nst::DeviceKind>(config, "device");
  model.pooling = choice_value<nst::Pooling>(config, "pooling");
  model.preprocessing = choice_value<nst::Preprocessing>(config, "preprocessing");
  model.device_index = device_index;
  model.threads = threads;
  return true;
}

} // namespace nst_plugin
