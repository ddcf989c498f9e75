#include "procedure_arguments.h"

#include "nst-i18n.h"
#include "nst/text_format.h"

#include <cstddef>

namespace nst_plugin {
namespace {

constexpr GParamFlags kFlags = G_PARAM_READWRITE;

// A string argument's value ("" for none).
std::string text_argument(GimpProcedureConfig *config, const char *key) {
  gchar *text = nullptr;
  g_object_get(config, key, &text, nullptr);
  GCharPtr owned(text);
  return text ? text : "";
}

// The translated refusal of an argument's text that does not parse.
std::string malformed(const char *key, const std::string &detail) {
  return std::string(_("An argument is not in the expected form:")) + " " + key + ": " + detail;
}

std::string local_path(GFile *file) {
  GCharPtr path(g_file_get_path(file));
  return path ? std::string(path.get()) : std::string();
}

GimpChoice *choice_of(const nst::Parameter &parameter) {
  GimpChoice *choice = gimp_choice_new();
  for (const nst::ParameterChoice &c : parameter.choices)
    if (c.label) // aliases are for the command line
      gimp_choice_add(choice, c.name, c.value, _(c.label), nullptr);
  return choice;
}

void add_parameter(GimpProcedure *procedure, const nst::Parameter &p,
                   const nst::Settings &defaults) {
  const char *label = _(p.label);
  const char *help = _(p.help);
  switch (p.kind) {
  case nst::ParameterKind::integer:
    gimp_procedure_add_int_argument(
        procedure, p.key, label, help, p.zero_allowed ? 0 : static_cast<int>(p.minimum),
        static_cast<int>(p.maximum), static_cast<int>(p.get_number(defaults)), kFlags);
    return;
  case nst::ParameterKind::number:
    gimp_procedure_add_double_argument(procedure, p.key, label, help, p.minimum, p.maximum,
                                       p.get_number(defaults), kFlags);
    return;
  case nst::ParameterKind::choice:
    gimp_procedure_add_choice_argument(procedure, p.key, label, help, choice_of(p),
                                       nst::parameter_text(p, defaults).c_str(), kFlags);
    return;
  case nst::ParameterKind::text:
    gimp_procedure_add_string_argument(procedure, p.key, label, help,
                                       nst::parameter_text(p, defaults).c_str(), kFlags);
    return;
  case nst::ParameterKind::file:
    gimp_procedure_add_file_argument(procedure, p.key, label, help, GIMP_FILE_CHOOSER_ACTION_OPEN,
                                     TRUE, nullptr, kFlags);
    return;
  }
}

// Reads one parameter from the config into `settings`; false with a
// translated `error` for a text that does not parse or a file not local.
bool read_parameter(GimpProcedureConfig *config, const nst::Parameter &p, nst::Settings &settings,
                    std::string &error) {
  switch (p.kind) {
  case nst::ParameterKind::integer: {
    gint value = 0;
    g_object_get(config, p.key, &value, nullptr);
    p.set_number(settings, value);
    return true;
  }
  case nst::ParameterKind::number: {
    gdouble value = 0;
    g_object_get(config, p.key, &value, nullptr);
    p.set_number(settings, value);
    return true;
  }
  case nst::ParameterKind::choice:
    p.set_number(settings, gimp_procedure_config_get_choice_id(config, p.key));
    return true;
  case nst::ParameterKind::text: {
    std::string detail;
    if (p.parse_text(text_argument(config, p.key), settings, detail))
      return true;
    error = malformed(p.key, detail);
    return false;
  }
  case nst::ParameterKind::file: {
    GFile *file = nullptr;
    g_object_get(config, p.key, &file, nullptr);
    GObjectPtr<GFile> owned(file);
    std::string path;
    if (file) {
      path = local_path(file);
      if (path.empty()) {
        GCharPtr uri(g_file_get_uri(file));
        error = std::string(_("The weights file must be a local file:")) + " " + uri.get();
        return false;
      }
    }
    std::string detail;
    p.parse_text(path, settings, detail);
    return true;
  }
  }
  return true;
}

} // namespace

void add_filter_arguments(GimpProcedure *procedure) {
  gimp_procedure_add_layer_argument(
      procedure, "style-layer", _("St_yle layer"),
      _("A layer of any open image to take the style from. Give either this or a style file, "
        "or use the lists for several styles."),
      TRUE, kFlags);
  gimp_procedure_add_file_argument(
      procedure, "style-file", _("Style _file"),
      _("An image file (any format GIMP reads) to take the style from. Give either this or a "
        "style layer, or use the lists for several styles."),
      GIMP_FILE_CHOOSER_ACTION_OPEN, TRUE, nullptr, kFlags);
  // Layers by ID in a text: GIMP 3.0 refuses an empty layer array as an
  // argument, which would make the list mandatory for every script.
  gimp_procedure_add_string_argument(
      procedure, "style-layer-ids", _("More style layers"),
      _("IDs of layers of any open images whose styles are blended with the others (\"12, "
        "15\")."),
      "", kFlags);
  gimp_procedure_add_string_array_argument(
      procedure, "style-file-list", _("More style files"),
      _("Image files (paths or URIs, any format GIMP reads) whose styles are blended with the "
        "others."),
      kFlags);
  gimp_procedure_add_string_argument(
      procedure, "style-blend-weights", _("Style blend weights"),
      _("One weight per style, in the order style-layer or style-file, style-layer-ids, "
        "style-file-list (\"0.7, 0.3\"); empty: equal weights."),
      "", kFlags);
  gimp_procedure_add_string_argument(
      procedure, "style-stroke-sizes", _("Style stroke sizes"),
      _("One stroke size per style, relative to style-scale, in the order of "
        "style-blend-weights (\"1, 2\": the second style's strokes twice as large); empty: all "
        "1."),
      "", kFlags);
  gimp_procedure_add_string_argument(
      procedure, "style-masks", _("Style masks"),
      _("Where each style paints, one per style in the order of style-blend-weights: \"none\" "
        "(everywhere), \"selection\" (the image's selection) or the ID of a channel or layer "
        "mask of the image (\"selection, none\"); soft masks blend. Empty: every style "
        "everywhere."),
      "", kFlags);

  const nst::Settings defaults;
  for (const nst::Parameter &parameter : nst::parameters())
    add_parameter(procedure, parameter, defaults);

  gimp_procedure_add_core_object_array_return_value(
      procedure, "layers", _("Layers"), _("The new stylised layers, one per processed layer."),
      GIMP_TYPE_LAYER, kFlags);
}

bool read_engine_settings(GimpProcedureConfig *config, nst::Settings &settings,
                          std::string &error) {
  for (const nst::Parameter &parameter : nst::parameters())
    if (!read_parameter(config, parameter, settings, error))
      return false;
  return true;
}

namespace {

// Every style the arguments name, in their order, with weight 1.
bool read_styles(GimpProcedureConfig *config, std::vector<StyleChoice> &styles,
                 std::string &error) {
  GimpLayer *style_layer = nullptr;
  GFile *style_file = nullptr;
  g_object_get(config, "style-layer", &style_layer, "style-file", &style_file, nullptr);
  GObjectPtr<GimpLayer> layer(style_layer);
  GObjectPtr<GFile> file(style_file);
  if (layer && file) {
    error = _("Both a style layer and a style file were given: choose only one of them, or "
              "give several styles in style-layer-ids and style-file-list.");
    return false;
  }
  if (layer || file)
    styles.push_back({std::move(layer), std::move(file)});

  std::vector<int> ids;
  std::string detail;
  if (!nst::parse_numbers(text_argument(config, "style-layer-ids"), 1, G_MAXINT32, ids, detail)) {
    error = malformed("style-layer-ids", detail);
    return false;
  }
  for (int id : ids) {
    GimpLayer *layer = gimp_item_id_is_layer(id) ? gimp_layer_get_by_id(id) : nullptr;
    if (!layer) {
      error = nst::format(_("style-layer-ids: no open image has a layer with the ID %d."), id);
      return false;
    }
    styles.push_back({GObjectPtr<GimpLayer>(GIMP_LAYER(g_object_ref(layer))), {}});
  }

  gchar **files = nullptr;
  g_object_get(config, "style-file-list", &files, nullptr);
  for (gchar **f = files; f && *f; ++f) {
    if (!**f) {
      error = _("style-file-list holds an empty file name.");
      g_strfreev(files);
      return false;
    }
    styles.push_back({{}, GObjectPtr<GFile>(g_file_new_for_commandline_arg(*f))});
  }
  g_strfreev(files);

  if (styles.empty()) {
    error = _("No style was given: choose a style layer or a style image file.");
    return false;
  }
  return true;
}

// Gives each style its item of `values` (in `field`); no values leave them
// all as they are. `mismatch` words a count that is not the styles' (printf:
// the values given, the styles).
template <typename T>
bool assign_per_style(const std::vector<T> &values, T StyleChoice::*field, const char *mismatch,
                      std::vector<StyleChoice> &styles, std::string &error) {
  if (values.empty())
    return true;
  if (values.size() != styles.size()) {
    error = nst::format(mismatch, int(values.size()), int(styles.size()));
    return false;
  }
  for (std::size_t i = 0; i < styles.size(); ++i)
    styles[i].*field = values[i];
  return true;
}

// One number per style from the text argument `key`, as assign_per_style.
bool read_per_style(GimpProcedureConfig *config, const char *key, float StyleChoice::*field,
                    const char *mismatch, std::vector<StyleChoice> &styles, std::string &error) {
  std::vector<float> numbers;
  std::string detail;
  if (!nst::parse_weights(text_argument(config, key), numbers, detail)) {
    error = malformed(key, detail);
    return false;
  }
  return assign_per_style(numbers, field, mismatch, styles, error);
}

// style-masks: one per style; empty: all everywhere.
bool read_style_masks(GimpProcedureConfig *config, std::vector<StyleChoice> &styles,
                      std::string &error) {
  std::vector<StyleMask> masks;
  std::string detail;
  if (!parse_style_masks(text_argument(config, "style-masks"), masks, detail)) {
    error = malformed("style-masks", detail);
    return false;
  }
  return assign_per_style(masks, &StyleChoice::mask,
                          _("style-masks gives %d masks for %d styles: give one per style "
                            "(\"none\" for everywhere), or none at all."),
                          styles, error);
}

} // namespace

bool read_filter_settings(GimpProcedureConfig *config, FilterSettings &settings,
                          std::string &error) {
  if (!read_styles(config, settings.styles, error) ||
      !read_per_style(config, "style-blend-weights", &StyleChoice::weight,
                      _("style-blend-weights gives %d weights for %d styles: give one weight "
                        "per style, or none for equal weights."),
                      settings.styles, error) ||
      !read_per_style(config, "style-stroke-sizes", &StyleChoice::stroke_size,
                      _("style-stroke-sizes gives %d stroke sizes for %d styles: give one per "
                        "style, or none for the same size."),
                      settings.styles, error) ||
      !read_style_masks(config, settings.styles, error))
    return false;
  if (!read_engine_settings(config, settings.engine, error))
    return false;
  // Only the live window of interactive runs shows previews.
  settings.engine.options.preview_every = 0;
  return true;
}

} // namespace nst_plugin
