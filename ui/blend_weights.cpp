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

// The first style's number, then the layers', then the files'.
std::string per_style_text(double first, const std::vector<ExtraStyle> &extra,
                           double ExtraStyle::*field) {
  if (extra.empty())
    return "";
  std::string text = weight_text(first);
  for (const ExtraStyle *style : in_procedure_order(extra))
    text += ", " + weight_text(style->*field);
  return text;
}

} // namespace

std::vector<const ExtraStyle *> in_procedure_order(const std::vector<ExtraStyle> &extra) {
  std::vector<const ExtraStyle *> ordered;
  for (bool layers : {true, false})
    for (const ExtraStyle &style : extra)
      if (style.layer == layers)
        ordered.push_back(&style);
  return ordered;
}

std::string blend_weights_text(double first_weight, const std::vector<ExtraStyle> &extra) {
  return per_style_text(first_weight, extra, &ExtraStyle::weight);
}

std::string stroke_sizes_text(double first_stroke_size, const std::vector<ExtraStyle> &extra) {
  return per_style_text(first_stroke_size, extra, &ExtraStyle::stroke_size);
}

} // namespace nst_ui
