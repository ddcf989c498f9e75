// Gets the style image of a run from GIMP: a layer of any open image, or a
// file in any format GIMP reads (loaded into a temporary image that is
// deleted again). Main thread only.
#pragma once

#include "procedure_arguments.h"

#include "nst/engine.h"

#include <babl/babl.h>

#include <string>

namespace nst_plugin {

struct StyleSource {
  nst::Image pixels; // RGB, composited over white
  std::string name;  // for the new layers' names: "Starry Night"
};

// Reads the style chosen in `settings` as RGB in the colour space of
// `space_of` (the content's format). Returns false with a translated `error`
// when the file cannot be loaded or the layer is empty.
bool load_style(const FilterSettings &settings, const Babl *space_of, StyleSource &style,
                std::string &error);

} // namespace nst_plugin
