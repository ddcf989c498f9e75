// Shows the worker's progress in GIMP's progress bar: the text says the
// stage, layer, scale and step. Main thread only.
#pragma once

#include "worker.h"

#include <string>

namespace nst_plugin {

// The translated progress text for `update` ("Scale 2 of 3, step 40 of 100").
std::string progress_text(const ProgressUpdate &update);

// The fraction of the whole run done, 0..1, or a negative value when unknown.
double progress_fraction(const ProgressUpdate &update);

class ProgressDisplay {
public:
  // Starts GIMP's progress for this run.
  ProgressDisplay();
  void show(const ProgressUpdate &update);
  void finish();

private:
  std::string last_text_;
  int last_permille_ = -1;
};

} // namespace nst_plugin
