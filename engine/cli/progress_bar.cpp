#include "progress_bar.h"

#include "nst-i18n.h"
#include "nst/text_format.h"

#include "nst/units.h"

#include <algorithm>
#include <cmath>

namespace nst_cli {
namespace {

constexpr int kBarWidth = 24;
constexpr double kMegabyte = 1e6;

} // namespace

std::string progress_line(const nst::Progress &progress, double remaining_seconds, int bar_width) {
  const double done =
      progress.total_steps > 0
          ? std::clamp(static_cast<double>(progress.total_step) / progress.total_steps, 0.0, 1.0)
          : 0.0;
  const int filled = static_cast<int>(done * bar_width + 0.5);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(bar_width - filled), '.');

  std::string line = nst::format(_("scale %d/%d"), progress.scale_index + 1, progress.scale_count);
  line += " [" + bar + "] ";
  line += nst::format(_("step %d/%d"), progress.step, progress.steps_in_scale);
  line += "  " + nst::format(_("loss %.4g"), progress.total_loss);
  line += "  " + nst::duration_text(progress.elapsed_seconds);
  if (remaining_seconds >= 0)
    line += "  " + nst::format(_("ETA %s"), nst::duration_text(remaining_seconds).c_str());
  return line;
}

ProgressBar::ProgressBar(std::FILE *out, Mode mode) : out_(out), mode_(mode) {}

void ProgressBar::show(const nst::JobProgress &progress) {
  if (progress.stage == nst::JobProgress::Stage::download) {
    download(progress.download.received_bytes, progress.download.total_bytes);
    return;
  }
  if (downloading_) {
    downloading_ = false;
    finish();
  }
  if (progress.stage == nst::JobProgress::Stage::stylise && progress.step.steps_in_scale > 0)
    update(progress.step);
}

void ProgressBar::update(const nst::Progress &progress) {
  if (mode_ == Mode::silent)
    return;
  const bool scale_edge = progress.step <= 1 || progress.step >= progress.steps_in_scale;
  if (mode_ == Mode::terminal || scale_edge || progress.step % kLineEvery == 0)
    show(progress_line(progress, progress.remaining_seconds, kBarWidth),
         progress.total_step >= progress.total_steps);
}

void ProgressBar::download(std::uint64_t received_bytes, std::uint64_t total_bytes) {
  if (mode_ == Mode::silent)
    return;
  downloading_ = true;
  const int percent = total_bytes > 0
                          ? static_cast<int>(100.0 * static_cast<double>(received_bytes) /
                                             static_cast<double>(total_bytes))
                          : -1;
  const double received = static_cast<double>(received_bytes) / kMegabyte;
  std::string line;
  if (percent >= 0)
    line = nst::format(_("Downloading the VGG19 weights: %.0f of %.0f MB (%d%%)"), received,
                       static_cast<double>(total_bytes) / kMegabyte, percent);
  else
    line = nst::format(_("Downloading the VGG19 weights: %.0f MB"), received);
  // Redraw when the shown number changes; in a log, a line per tenth (or
  // per 50 MB of unknown size) is plenty.
  const bool log = mode_ == Mode::lines;
  const int bucket =
      percent >= 0 ? (log ? percent / 10 : percent) : static_cast<int>(received / (log ? 50 : 1));
  if (bucket == last_download_bucket_)
    return;
  last_download_bucket_ = bucket;
  show(line, percent >= 100);
}

void ProgressBar::finish() {
  if (bar_open_)
    std::fputc('\n', out_);
  bar_open_ = false;
  std::fflush(out_);
}

void ProgressBar::show(const std::string &line, bool final_line) {
  if (mode_ == Mode::terminal) {
    // Back to the line's start, then clear what a longer line left.
    std::fprintf(out_, "\r%s\x1b[K", line.c_str());
    bar_open_ = true;
    if (final_line)
      finish();
  } else {
    std::fprintf(out_, "%s\n", line.c_str());
  }
  std::fflush(out_);
}

} // namespace nst_cli
