// Shows the worker's progress in GIMP's progress bar with progress_text.h's
// words and the time left (batch users watch it). Main thread only.
#pragma once

#include "worker.h"

#include <string>

namespace nst_plugin {

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
