// Where a stylised result goes: a new layer right above its source layer,
// covering the processed area, of the source's kind (RGB or gray), with
// alpha where the source has it or a selection limits the result. The
// source layer is never written to. Main thread only; call inside an undo
// group.
#pragma once

#include "nst/engine.h"

#include <libgimp/gimp.h>

#include <string>
#include <vector>

namespace nst_plugin {

struct LayerTarget {
  GimpLayer *source = nullptr; // owned by libgimp
  GeglRectangle area{};        // processed area, in the source's own coordinates
  std::vector<float> coverage; // selection values over `area`; empty: no selection
};

// The pixels of `target.area` as the engine takes them: RGBA when the source
// has alpha, RGB otherwise.
nst::Image read_target(const LayerTarget &target);

// Adds the layer "<source name> (<style name>)" holding `result` and returns
// it (owned by libgimp), or null when GIMP refused.
GimpLayer *add_result_layer(GimpImage *image, const LayerTarget &target, const nst::Image &result,
                            const std::string &style_name);

} // namespace nst_plugin
