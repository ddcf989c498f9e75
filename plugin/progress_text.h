// The words of the run's progress, shared by GIMP's progress bar and the
// live window: the stage, layer, scale with its size, step, and the time
// left. No GIMP type, so the unit tests read it.
#pragma once

#include "nst/job.h"

#include <string>

namespace nst_plugin {

// The translated progress text for `update` ("Scale 2 of 3 at 1000 x 750 px,
// step 4 of 25"), with the engine's estimate of the time left when asked for
// and known (", about 3:20 left").
std::string progress_text(const nst::JobProgress &update, bool time_left);

} // namespace nst_plugin
