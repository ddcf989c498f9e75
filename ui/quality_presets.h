// The dialog's quality presets. A preset is only a name for three of the
// procedure's arguments (processing size, scales, steps): the config keeps
// those, so batch runs, "Repeat" and last values need nothing new, and the
// dialog shows "Custom" when they match no preset. No GTK types here.
#pragma once

#include <string>

namespace nst_ui {

enum class Quality { draft, balanced, fine, custom };

struct QualitySettings {
  int size = 0;       // the "size" argument: longer side painted at
  int iterations = 0; // the "iterations" argument: steps at the finest scale
  std::string scales; // the "scales" argument; empty: automatic
};

// The arguments a preset sets. Steps per scale follow the engine's rule
// (schedule.h: 3x and 9x at coarser scales up to 1024 px, fewer above):
//   draft     a 384 px preview, 15 steps (45 at 192 px + 15 at 384 px),
//             about 20 s on a 2-core AVX-512 CPU in fp32 whatever the layer
//   balanced  the engine's defaults: every pixel (size 0), 25 steps
//   fine      every pixel, 50 steps
// The dialog shows the time each takes for the layer (time_left.h).
// `custom` gives the engine's defaults too.
QualitySettings quality_settings(Quality quality);

// The preset whose arguments these are, or Quality::custom.
Quality quality_of(int size, int iterations, const std::string &scales);

// Stable ids for combo boxes and the test script: "draft", "balanced",
// "fine", "custom". quality_from_id returns false for anything else.
const char *quality_id(Quality quality);
bool quality_from_id(const std::string &id, Quality &quality);

} // namespace nst_ui
