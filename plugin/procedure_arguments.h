// The procedure's arguments: their names (a public contract for scripts),
// ranges and defaults, declared once here from the engine's own defaults,
// and read back from a run's config into engine options.
#pragma once

#include "gobject_ptr.h"

#include "nst/engine.h"

#include <libgimp/gimp.h>

#include <string>

namespace nst_plugin {

// Adds every argument of plug-in-neural-style-transfer to `procedure`.
void add_filter_arguments(GimpProcedure *procedure);

struct FilterSettings {
  GObjectPtr<GimpLayer> style_layer; // exactly one of style_layer and style_file
  GObjectPtr<GFile> style_file;
  std::string weights_file; // local path; empty: search order and first-use download
  nst::ModelOptions model;
  nst::Options options;
};

// Reads the config of a run. Returns false with a translated `error` when the
// arguments cannot work together (no style, both styles, bad scales...).
bool read_filter_settings(GimpProcedureConfig *config, FilterSettings &settings,
                          std::string &error);

} // namespace nst_plugin
