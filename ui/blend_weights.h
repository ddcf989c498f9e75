// The dialog's styles and their blend weights as the procedure takes them:
// the first style (style-layer or style-file), then style-layer-ids, then
// style-file-list, whatever order the user added the rows in. No GTK types.
#pragma once

#include <string>
#include <vector>

namespace nst_ui {

struct ExtraStyle {
  bool layer = true; // a layer of an open image; false: an image file
  double weight = 1.0;
};

// "0.7, 0.3" for style-blend-weights; "" when there is no extra style (one
// style needs no weight).
std::string blend_weights_text(double first_weight, const std::vector<ExtraStyle> &extra);

} // namespace nst_ui
