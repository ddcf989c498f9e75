// The procedure's arguments: the style sources by hand, every engine
// parameter from nst/parameters.h (names, a public contract for scripts,
// ranges, help and defaults come from that table), and read back from a
// run's config into the engine's settings.
#pragma once

#include "gobject_ptr.h"

#include "nst/parameters.h"

#include <libgimp/gimp.h>

#include <string>

namespace nst_plugin {

// Adds every argument of plug-in-neural-style-transfer to `procedure`.
void add_filter_arguments(GimpProcedure *procedure);

struct FilterSettings {
  GObjectPtr<GimpLayer> style_layer; // exactly one of style_layer and style_file
  GObjectPtr<GFile> style_file;
  nst::Settings engine; // model.weights_path empty: search order and first-use download
};

// Reads every engine parameter of `config` (the dialog's estimate reads them
// as they are edited). False with a translated `error` for a bad text value.
bool read_engine_settings(GimpProcedureConfig *config, nst::Settings &settings, std::string &error);

// Reads the config of a run. Returns false with a translated `error` when the
// arguments cannot work together (no style, both styles, bad scales...).
bool read_filter_settings(GimpProcedureConfig *config, FilterSettings &settings,
                          std::string &error);

} // namespace nst_plugin
