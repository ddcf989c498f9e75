// The dialog's styles, their blend weights and stroke sizes as the procedure
// takes them: the first style (style-layer or style-file), then
// style-layer-ids, then style-file-list, whatever order the user added the
// rows in. No GTK types.
#pragma once

#include <string>
#include <vector>

namespace nst_ui {

struct ExtraStyle {
  bool layer = true; // a layer of an open image; false: an image file
  double weight = 1.0;
  double stroke_size = 1.0; // relative to style-scale
  int mask = 0;             // kEverywhere, kSelection or a channel's or layer mask's ID
};

constexpr int kEverywhere = 0;
constexpr int kSelection = -1;

// The extra styles in the procedure's order: the layers, then the files.
std::vector<const ExtraStyle *> in_procedure_order(const std::vector<ExtraStyle> &extra);

// "0.7, 0.3" for style-blend-weights; "" when there is no extra style (one
// style needs no weight).
std::string blend_weights_text(double first_weight, const std::vector<ExtraStyle> &extra);

// "1, 2" for style-stroke-sizes; "" when there is no extra style (one style's
// size is style-scale).
std::string stroke_sizes_text(double first_stroke_size, const std::vector<ExtraStyle> &extra);

} // namespace nst_ui
