// The dialog's Strength slider: one number, 0 to 100, for how much style the
// result takes. It is a view of the "style-weight" argument (the content
// weight stays), on a logarithmic scale around the engine's default:
// 50 is the default style weight, each 25 points multiply it by 10
// (0: 1/100 of it, 100: 100 times it). No GTK types here.
#pragma once

namespace nst_ui {

constexpr double kStrengthMinimum = 0.0;
constexpr double kStrengthMaximum = 100.0;

double style_weight_for_strength(double strength);

// The inverse, clamped to 0..100 (style weights outside the slider's range
// show at its ends; 0 and below show as 0).
double strength_for_style_weight(double style_weight);

} // namespace nst_ui
