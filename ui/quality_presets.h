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
// (3x and 9x at coarser scales); times are for a 2-core AVX-512 CPU in fp32
// from the engine's measured step times (0.19/0.33/0.75/1.3/5 s at
// 192/256/384/512/1024 px), whatever the layer's own size:
//   draft     384 px, 15 steps (45 at 192 px + 15 at 384 px), about 20 s
//   balanced  the engine's defaults: 512 px, 25 steps (75 at 256 + 25 at 512), about 1 min
//   fine     1024 px, 30 steps (270 + 90 + 30 at 256/512/1024 px), about 6 min
// `custom` gives the engine's defaults too.
QualitySettings quality_settings(Quality quality);

// The preset whose arguments these are, or Quality::custom.
Quality quality_of(int size, int iterations, const std::string &scales);

// Stable ids for combo boxes and the test script: "draft", "balanced",
// "fine", "custom". quality_from_id returns false for anything else.
const char *quality_id(Quality quality);
bool quality_from_id(const std::string &id, Quality &quality);

} // namespace nst_ui
