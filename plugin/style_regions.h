// The regions the styles paint in, read from GIMP for each target layer:
// the image's selection, a channel or a layer mask over the layer's
// processed area, in image coordinates. Main thread only.
#pragma once

#include "layer_output.h"
#include "procedure_arguments.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nst_plugin {

// One target layer's regions: one buffer per mask named (styles naming the
// same mask share it, and so paint one region), each the target area's size.
struct TargetRegions {
  std::vector<std::vector<float>> masks;
  std::vector<int> mask_of_style; // per style, an index into `masks`; -1: everywhere
};

// Reads every style's mask for every target of `image`. `read_total` grows
// by what the masks take; the memory limit bounds the sum. False with a
// translated `error` for an ID that names no channel or layer mask, a mask
// of another image, "selection" without a selection, or masks that do not fit.
bool read_style_regions(GimpImage *image, const std::vector<StyleChoice> &styles,
                        const std::vector<LayerTarget> &targets, std::size_t memory_limit_bytes,
                        std::uint64_t &read_total, std::vector<TargetRegions> &regions,
                        std::string &error);

} // namespace nst_plugin
