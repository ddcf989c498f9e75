// Shows the worker's progress in GIMP's progress bar: the text says the
// stage, layer, scale and step, and the engine's estimate of the time left
// (batch users watch it). Main thread only.
#pragma once

#include "worker.h"

#include <string>

namespace nst_plugin {

// The translated progress text for `update` ("Scale 2 of 3, step 40 of 100"),
// with the engine's estimate of the time left when asked for and known
// (", about 3:20 left").
std::string progress_text(const nst::JobProgress &update, bool time_left);

class ProgressDisplay {
public:
  // Starts GIMP's progress for this run.
  ProgressDisplay();
  void show(const nst::JobProgress &update);
  void finish();

private:
  std::string last_text_;
  int last_permille_ = -1;
};

} // namespace nst_plugin
