// The one place that converts pixels between GEGL buffers and the engine.
//
// The engine works on non-linear ("R'G'B'") float RGB or RGBA in 0..1. These
// functions read and write in exactly that encoding, but in the colour space
// of a given babl format (a drawable's own format), so that high bit-depth
// images keep their precision, images in another RGB space than sRGB are not
// converted to sRGB and back, and grayscale buffers are expanded to RGB on
// reading and reduced to gray (through that space's luminance) on writing.
#pragma once

#include "nst/engine.h"

#include <gegl.h>

#include <vector>

namespace nst_plugin {

// The engine's encoding in the colour space of `space_of` (a babl space or a
// format whose space is taken): "R'G'B' float" or "R'G'B'A float".
const Babl *engine_format(const Babl *space_of, bool with_alpha);

// Reads `area` of `buffer` as RGB (`with_alpha` false) or RGBA float, values
// clamped to 0..1 (NaN becomes 0). Without alpha in the buffer alpha is 1.
nst::Image read_pixels(GeglBuffer *buffer, const GeglRectangle &area, const Babl *space_of,
                       bool with_alpha);

// Reads `area` of `buffer` as RGB composited over white, so that transparent
// parts of a style image count as white paper rather than hidden colours.
nst::Image read_pixels_over_white(GeglBuffer *buffer, const GeglRectangle &area,
                                  const Babl *space_of);

// Reads `area` of a selection mask (or any one-channel coverage) as values
// in 0..1, one per pixel, row by row.
std::vector<float> read_coverage(GeglBuffer *mask, const GeglRectangle &area);

// Writes `image` into `buffer` at `area` (the image's size). When `coverage`
// is not empty (one value per pixel), the written alpha is the image's alpha
// (1 for RGB) times the coverage: soft selections blend. A buffer without
// alpha drops it.
void write_pixels(GeglBuffer *buffer, const GeglRectangle &area, const Babl *space_of,
                  const nst::Image &image, const std::vector<float> &coverage = {});

} // namespace nst_plugin
