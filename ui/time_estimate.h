// Remaining time of a run, estimated from the engine's progress reports.
// Steps at a finer scale cost more (about 4x per doubling of the side), so
// the estimate weighs the remaining steps by scale instead of assuming that
// every step takes as long as the average so far. No GTK types here.
#pragma once

#include "nst/engine.h"

namespace nst_ui {

class TimeEstimate {
public:
  // Feeds one progress report of layer `task` (0-based) of `task_count`.
  void observe(int task, int task_count, const nst::Progress &progress);

  // Seconds left for the whole run, or a negative value while there is no
  // measured step yet.
  double remaining_seconds() const;

private:
  int task_ = -1, task_count_ = 1, scale_ = -1;
  double scale_start_seconds_ = 0; // elapsed_seconds at the first report of this scale
  int scale_start_step_ = 0;
  nst::Progress last_;
};

} // namespace nst_ui
