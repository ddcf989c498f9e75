// Gets the style images of a run from GIMP: layers of any open image, or
// files in any format GIMP reads (each loaded into a temporary image that is
// deleted again). Main thread only.
#pragma once

#include "procedure_arguments.h"

#include "nst/engine.h"

#include <babl/babl.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nst_plugin {

struct StyleSource {
  nst::Image pixels; // RGB, composited over white
  std::string name;  // for the new layers' names: "Starry Night"
  float weight = 1.0f;
  float stroke_size = 1.0f; // relative to style-scale
};

// Reads every style chosen in `settings`, in order, as RGB in the colour
// space of `space_of` (the content's format). `read_total` (the bytes the
// target layers will take) grows by each style's; the memory limit bounds
// the sum. Returns false with a translated `error` when a file cannot be
// loaded, a layer is empty or the styles do not fit.
bool load_styles(const FilterSettings &settings, const Babl *space_of, std::uint64_t &read_total,
                 std::vector<StyleSource> &styles, std::string &error);

} // namespace nst_plugin
