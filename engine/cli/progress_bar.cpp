#include "progress_bar.h"

#include "cli_i18n.h"
#include "text_format.h"

#include "nst/units.h"

#include <algorithm>
#include <cmath>

namespace nst_cli {
namespace {

constexpr int kBarWidth = 24;
constexpr double kMegabyte = 1e6;

// Steps of each scale under the engine's default schedule.
std::vector<int> default_schedule(int scale_count, int iterations) {
  std::vector<int> steps(static_cast<std::size_t>(std::max(scale_count, 0)));
  for (int k = 0; k < scale_count; ++k) {
    const int from_finest = scale_count - 1 - k;
    steps[k] = from_finest == 0 ? iterations : from_finest == 1 ? 3 * iterations : 9 * iterations;
  }
  return steps;
}

} // namespace

double estimate_remaining_seconds(const nst::Progress &progress, double seconds_per_step,
                                  const std::vector<int> &scale_sides, int iterations) {
  if (!(seconds_per_step > 0) || progress.total_steps <= 0)
    return -1;
  const int left_in_scale = std::max(0, progress.steps_in_scale - progress.step);
  double remaining = seconds_per_step * left_in_scale;
  const int later_steps = progress.total_steps - progress.total_step - left_in_scale;
  const int current = progress.scale_index;
  if (later_steps <= 0 || current + 1 >= progress.scale_count)
    return remaining;

  std::vector<int> steps = default_schedule(progress.scale_count, iterations);
  int scheduled = 0;
  for (int k = current + 1; k < progress.scale_count; ++k)
    scheduled += steps[k];
  if (scheduled != later_steps) { // another schedule: count the steps at the next scale
    std::fill(steps.begin(), steps.end(), 0);
    steps[current + 1] = later_steps;
  }
  const bool sides_known = static_cast<int>(scale_sides.size()) == progress.scale_count;
  for (int k = current + 1; k < progress.scale_count; ++k) {
    const double ratio = sides_known ? static_cast<double>(scale_sides[k]) / scale_sides[current]
                                     : std::ldexp(1.0, k - current);
    remaining += steps[k] * seconds_per_step * ratio * ratio;
  }
  return remaining;
}

std::string progress_line(const nst::Progress &progress, double remaining_seconds, int bar_width) {
  const double done =
      progress.total_steps > 0
          ? std::clamp(static_cast<double>(progress.total_step) / progress.total_steps, 0.0, 1.0)
          : 0.0;
  const int filled = static_cast<int>(done * bar_width + 0.5);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(bar_width - filled), '.');

  std::string line = format(_("scale %d/%d"), progress.scale_index + 1, progress.scale_count);
  line += " [" + bar + "] ";
  line += format(_("step %d/%d"), progress.step, progress.steps_in_scale);
  line += "  " + format(_("loss %.4g"), progress.total_loss);
  line += "  " + nst::duration_text(progress.elapsed_seconds);
  if (remaining_seconds >= 0)
    line += "  " + format(_("ETA %s"), nst::duration_text(remaining_seconds).c_str());
  return line;
}

ProgressBar::ProgressBar(std::FILE *out, Mode mode, std::vector<int> scale_sides, int iterations)
    : out_(out), mode_(mode), scale_sides_(std::move(scale_sides)), iterations_(iterations) {}

void ProgressBar::update(const nst::Progress &progress) {
  if (mode_ == Mode::silent)
    return;
  if (progress.scale_index != scale_index_) {
    // The new scale's setup (resizing, style features) counts towards its steps.
    scale_index_ = progress.scale_index;
    scale_start_seconds_ = last_elapsed_;
  }
  last_elapsed_ = progress.elapsed_seconds;
  const double per_step =
      progress.step > 0 ? (progress.elapsed_seconds - scale_start_seconds_) / progress.step : 0;
  const double remaining =
      estimate_remaining_seconds(progress, per_step, scale_sides_, iterations_);
  const bool scale_edge = progress.step <= 1 || progress.step >= progress.steps_in_scale;
  if (mode_ == Mode::terminal || scale_edge || progress.step % kLineEvery == 0)
    show(progress_line(progress, remaining, kBarWidth),
         progress.total_step >= progress.total_steps);
}

void ProgressBar::download(std::uint64_t received_bytes, std::uint64_t total_bytes) {
  if (mode_ == Mode::silent)
    return;
  const int percent = total_bytes > 0
                          ? static_cast<int>(100.0 * static_cast<double>(received_bytes) /
                                             static_cast<double>(total_bytes))
                          : -1;
  const double received = static_cast<double>(received_bytes) / kMegabyte;
  std::string line;
  if (percent >= 0)
    line = format(_("Downloading the VGG19 weights: %.0f of %.0f MB (%d%%)"), received,
                  static_cast<double>(total_bytes) / kMegabyte, percent);
  else
    line = format(_("Downloading the VGG19 weights: %.0f MB"), received);
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
