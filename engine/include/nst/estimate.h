// How long a run will take, before it starts: what the dialog shows before
// OK. No LibTorch and no GIMP here.
#pragma once

#include "nst/engine.h"
#include "nst/parameters.h"

#include <string>

namespace nst {

// Seconds a run of `settings` on a width x height content is expected to
// take on this machine: its planned pixel-steps (the schedule, and at each
// scale the pixels its blocks read, as the run will plan them for VGG19 on
// the settings' device) and each scale's setup (its content's and styles'
// features, a forward pass each, the style priced as one of the content's
// shape), priced at the seconds per pixel-step the last run here measured
// on the same device in the same precision, or before any such run on the
// CPU at the rate this project measured on its 2-core CPU (README,
// Performance). Not counted: reading the images, loading the network,
// writing the result. 0 when there is nothing to paint, or no rate is
// known: a GPU before its first run here.
double estimate_run_seconds(int width, int height, const Settings &settings);

// The seconds per pixel-step that estimate prices a run of `settings` at
// (the device it will have and its precision); 0 where none is known.
double step_rate(const Settings &settings);
// ... of a run on `device` (RunReport::device: "cpu", "cuda:0").
double step_rate(const std::string &device, Precision precision);

// Keeps a finished run's rate (RunReport::seconds_per_pixel_step) on `device`
// (RunReport::device: "cpu", "cuda:0") for the next estimate, in the
// plug-in's cache folder. An estimate is only an estimate: a folder that
// cannot be written is ignored.
void remember_step_rate(const std::string &device, Precision precision,
                        double seconds_per_pixel_step);

} // namespace nst
