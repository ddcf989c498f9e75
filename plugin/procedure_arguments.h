// The procedure's arguments: the style sources by hand, every engine
// parameter from nst/parameters.h (names, a public contract for scripts,
// ranges, help and defaults come from that table), and read back from a
// run's config into the engine's settings.
#pragma once

#include "gobject_ptr.h"
#include "style_mask_text.h"

#include "nst/parameters.h"

#include <libgimp/gimp.h>

#include <string>
#include <vector>

namespace nst_plugin {

// Adds every argument of plug-in-neural-style-transfer to `procedure`.
void add_filter_arguments(GimpProcedure *procedure);

// One style of a run: an open layer or an image file, its blend weight, its
// stroke size (relative to style-scale) and its mask.
struct StyleChoice {
  GObjectPtr<GimpLayer> layer; // exactly one of layer and file
  GObjectPtr<GFile> file;
  float weight = 1.0f;
  float stroke_size = 1.0f;
  StyleMask mask = {};
};

struct FilterSettings {
  // style-layer or style-file first, then style-layer-ids, then
  // style-file-list; at least one.
  std::vector<StyleChoice> styles;
  nst::Settings engine; // model.weights_path empty: search order and first-use download
};

// Reads every engine parameter of `config` (the dialog's estimate reads them
// as they are edited). False with a translated `error` for a bad text value.
bool read_engine_settings(GimpProcedureConfig *config, nst::Settings &settings, std::string &error);

// Reads the config of a run. Returns false with a translated `error` when the
// arguments cannot work together (no style, both single styles, blend
// weights that do not match the styles, bad scales...).
bool read_filter_settings(GimpProcedureConfig *config, FilterSettings &settings,
                          std::string &error);

} // namespace nst_plugin
