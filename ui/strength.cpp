#include "strength.h"

#include "nst/engine.h"

#include <algorithm>
#include <cmath>

namespace nst_ui {
namespace {

constexpr double kPointsPerDecade = 25.0;
constexpr double kMiddle = 50.0;

double default_style_weight() {
  return nst::Options{}.style_weight;
}

} // namespace

double style_weight_for_strength(double strength) {
  const double clamped = std::clamp(strength, kStrengthMinimum, kStrengthMaximum);
  return default_style_weight() * std::pow(10.0, (clamped - kMiddle) / kPointsPerDecade);
}

double strength_for_style_weight(double style_weight) {
  if (!(style_weight > 0.0))
    return kStrengthMinimum;
  const double strength =
      kMiddle + kPointsPerDecade * std::log10(style_weight / default_style_weight());
  return std::clamp(strength, kStrengthMinimum, kStrengthMaximum);
}

} // namespace nst_ui
