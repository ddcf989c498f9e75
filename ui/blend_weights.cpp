#include "blend_weights.h"

#include <clocale>
#include <cstdio>

namespace nst_ui {
namespace {

// In the C locale's spelling, whatever the user's: scripts read it too.
std::string weight_text(double weight) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", weight);
  for (char *c = text; *c; ++c)
    if (*c == ',')
      *c = '.';
  return text;
}

} // namespace

std::string blend_weights_text(double first_weight, const std::vector<ExtraStyle> &extra) {
  if (extra.empty())
    return "";
  std::string text = weight_text(first_weight);
  for (bool layers : {true, false})
    for (const ExtraStyle &style : extra)
      if (style.layer == layers)
        text += ", " + weight_text(style.weight);
  return text;
}

} // namespace nst_ui
