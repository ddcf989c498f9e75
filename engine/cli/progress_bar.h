// The command line's progress display on stderr: a bar redrawn in place on a
// terminal, else a plain line every few steps (for logs), else nothing.
#pragma once

#include "nst/engine.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace nst_cli {

// Seconds the run still needs, from the current scale's time per step.
// Later scales' steps follow the engine's default schedule (the finest scale
// runs `iterations`, the one before it 3x, coarser ones 9x) when that adds
// up to progress.total_steps, and cost (side / current side)^2 as much per
// step; `scale_sides` holds the sides when the caller knows them, else each
// scale is taken to be twice the previous one, as automatic scales are.
double estimate_remaining_seconds(const nst::Progress &progress, double seconds_per_step,
                                  const std::vector<int> &scale_sides, int iterations);

// One line: scale i/n, a bar of `bar_width` cells over the whole run, step
// within the scale, total loss, elapsed time and the estimate (< 0: unknown).
std::string progress_line(const nst::Progress &progress, double remaining_seconds, int bar_width);

class ProgressBar {
public:
  enum class Mode { silent, terminal, lines };

  // `scale_sides` and `iterations` feed the estimate (see above).
  ProgressBar(std::FILE *out, Mode mode, std::vector<int> scale_sides, int iterations);

  void update(const nst::Progress &progress);
  void download(std::uint64_t received_bytes, std::uint64_t total_bytes);
  // Ends a bar drawn in place, so that later messages start on a new line.
  void finish();

  // Lines mode prints every this many steps (and each scale's first and last).
  static constexpr int kLineEvery = 10;

private:
  void show(const std::string &line, bool final_line);

  std::FILE *out_;
  Mode mode_;
  std::vector<int> scale_sides_;
  int iterations_;
  int scale_index_ = -1;
  double scale_start_seconds_ = 0;
  double last_elapsed_ = 0;
  bool bar_open_ = false; // a line drawn in place, not yet ended
  int last_download_bucket_ = -1;
};

} // namespace nst_cli
