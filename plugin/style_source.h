// Gets the style images of a run from GIMP: layers of any open image, or
// files in any format GIMP reads (each loaded into a temporary image that is
// deleted again). Main thread only.
#pragma once

#include "procedure_arguments.h"

#include "nst/engine.h"

#include <babl/babl.h>

#include <string>
#include <vector>

namespace nst_plugin {

struct StyleSource {
  nst::Image pixels; // RGB, composited over white
  std::string name;  // for the new layers' names: "Starry Night"
  float weight = 1.0f;
};

// Reads every style chosen in `settings`, in order, as RGB in the colour
// space of `space_of` (the content's format). Returns false with a
// translated `error` when a file cannot be loaded or a layer is empty.
bool load_styles(const FilterSettings &settings, const Babl *space_of,
                 std::vector<StyleSource> &styles, std::string &error);

} // namespace nst_plugin
