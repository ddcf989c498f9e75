// The small 8-bit copy of an engine preview that the live window shows.
// Made on the worker thread during the engine's callback (the engine's
// preview is only valid there), so the main thread only draws it.
// No GTK types here.
#pragma once

#include "nst/engine.h"

#include <cstdint>
#include <vector>

namespace nst_ui {

struct LivePreview {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb; // rows of width * 3 bytes, tightly packed
};

// `image` (RGB or RGBA float, 0..1) reduced by whole-pixel box averaging so
// that its longer side is at most `max_side`, then rounded to 8 bits (alpha
// dropped). An empty image gives an empty preview.
LivePreview make_live_preview(const nst::Image &image, int max_side);

} // namespace nst_ui
