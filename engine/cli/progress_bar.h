// The command line's progress display on stderr: a bar redrawn in place on a
// terminal, else a plain line every few steps (for logs), else nothing.
#pragma once

#include "nst/job.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace nst_cli {

// One line: scale i/n, a bar of `bar_width` cells over the whole run, step
// within the scale, total loss, elapsed time and the engine's estimate of
// the time left (< 0: unknown).
std::string progress_line(const nst::Progress &progress, double remaining_seconds, int bar_width);

class ProgressBar {
public:
  enum class Mode { silent, terminal, lines };

  ProgressBar(std::FILE *out, Mode mode);

  // A report of the engine's job: the download, then each step (a download
  // line drawn in place is ended when the job moves on).
  void show(const nst::JobProgress &progress);
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
  bool bar_open_ = false; // a line drawn in place, not yet ended
  int last_download_bucket_ = -1;
  bool downloading_ = false;
};

} // namespace nst_cli
