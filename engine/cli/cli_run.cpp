#include "cli_run.h"

#include "image_io.h"
#include "interrupt.h"
#include "nst-i18n.h"
#include "nst/engine.h"
#include "nst/job.h"
#include "nst/parameters.h"
#include "nst/text_format.h"
#include "nst/weights.h"
#include "progress_bar.h"
#include "stats_json.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unistd.h>
#include <vector>

namespace nst_cli {
namespace {

int fail(const char *program, const std::string &message, int status = kExitFailed) {
  std::fprintf(stderr, "%s: %s\n", program, message.c_str());
  return status;
}

// A file's folder must exist and be writable: better found out now than
// after minutes of optimisation.
bool folder_writable(const std::string &path, std::string &error) {
  const std::size_t slash = path.rfind('/');
  const std::string folder = slash == std::string::npos ? "."
                             : slash == 0               ? "/"
                                                        : path.substr(0, slash);
  if (access(folder.c_str(), W_OK) == 0)
    return true;
  error = nst::format(_("cannot write %s: the folder %s: %s"), path.c_str(), folder.c_str(),
                      std::strerror(errno));
  return false;
}

ProgressBar::Mode progress_mode(bool quiet) {
  if (quiet)
    return ProgressBar::Mode::silent;
  return isatty(STDERR_FILENO) ? ProgressBar::Mode::terminal : ProgressBar::Mode::lines;
}

void announce_download(const std::string &explicit_path) {
  nst::WeightsLocation location;
  if (!nst::locate_weights(explicit_path, location).ok() || location.found)
    return; // ensure_weights reports the error, or loads what was found
  const char *url = std::getenv(nst::kWeightsUrlEnvironmentVariable);
  if (url && *url) // a mirror: its size is unknown
    std::fprintf(stderr, _("No VGG19 weights found; downloading %s to %s\n"), url,
                 location.download_path.c_str());
  else
    std::fprintf(stderr, _("No VGG19 weights found; downloading %s (%.0f MB) to %s\n"),
                 nst::kPublishedWeightsUrl, static_cast<double>(nst::kPublishedWeightsBytes) / 1e6,
                 location.download_path.c_str());
}

// A CUDA device that is not there is reported before a download of weights
// that could not be used.
bool device_present(const nst::ModelOptions &model, std::string &error) {
  if (model.device != nst::DeviceKind::cuda)
    return true;
  for (const nst::DeviceInfo &device : nst::list_devices())
    if (device.kind == nst::DeviceKind::cuda && device.index == model.device_index)
      return true;
  error = nst::format(_("--device %s: no such CUDA device here (see --list-devices)"),
                      nst::device_id(model.device, model.device_index).c_str());
  return false;
}

// The engine's message, and for the weights what to do about them in this
// program's words.
std::string with_hint(const nst::Status &status) {
  switch (status.code) {
  case nst::ErrorCode::download_failed:
    return status.message + "\n" +
           _("Check the network connection, or download the VGG19 weights yourself and give "
             "them with --weights-file FILE.");
  case nst::ErrorCode::not_a_weights_file:
  case nst::ErrorCode::corrupt_file:
  case nst::ErrorCode::unsupported:
  case nst::ErrorCode::missing_key:
  case nst::ErrorCode::shape_mismatch:
    return status.message + "\n" +
           _("Give torchvision's VGG19 weights (vgg19-dcbb9e9d.pth or .safetensors) with "
             "--weights-file FILE, or leave it out to download them.");
  default: break;
  }
  return status.message;
}

void print_summary(const CliOptions &options, const nst::Image &result, int depth,
                   const nst::RunReport &report) {
  const bool png = output_format(options.output_path) == OutputFormat::png;
  for (const std::string &note : report.notes)
    std::fprintf(stderr, "%s\n", note.c_str());
  if (report.stopped_early)
    std::fprintf(stderr, _("Stopped early after %zu steps; the result so far is in %s.\n"),
                 report.steps.size(), options.output_path.c_str());
  std::fprintf(stderr, _("Wrote %s (%dx%d, %d-bit) in %.1f s on %s; peak memory %.0f MB.\n"),
               options.output_path.c_str(), result.width, result.height, png ? depth : 8,
               report.seconds, report.device.c_str(),
               static_cast<double>(report.peak_memory_bytes) / 1e6);
}

} // namespace

int run_stylise(const CliOptions &options, const char *program) {
  std::string error;
  if (!folder_writable(options.output_path, error) ||
      (!options.stats_path.empty() && !folder_writable(options.stats_path, error)))
    return fail(program, error);
  if (!device_present(options.engine.model, error))
    return fail(program, error);

  // Translated now: the signal handler may only print ready text.
  static const std::string stop_message =
      std::string("\n") + _("Stopping after this step; press Ctrl-C again to cancel.") + "\n";
  static const std::string cancel_message = std::string("\n") + _("Cancelling.") + "\n";
  nst::CancelToken cancel;
  install_interrupt_handler(cancel, stop_message.c_str(), cancel_message.c_str());
  const std::string cancelled = _("cancelled; nothing was written");

  LoadedImage content;
  nst::Status status = read_image(options.content_path, content);
  if (!status.ok())
    return fail(program, status.message);
  std::vector<LoadedImage> styles(options.styles.size());
  for (std::size_t i = 0; i < styles.size(); ++i) {
    status = read_image(options.styles[i].path, styles[i]);
    if (!status.ok())
      return fail(program, status.message);
  }

  ProgressBar bar(stderr, progress_mode(options.quiet));
  if (!options.quiet)
    announce_download(options.engine.model.weights_path);
  nst::Settings settings = options.engine;
  settings.options.preview_every = 0; // nothing here shows previews
  std::vector<nst::StyleImage> style_views;
  for (std::size_t i = 0; i < styles.size(); ++i)
    style_views.push_back(
        {styles[i].image.view(), options.styles[i].weight, options.styles[i].stroke_size});
  std::vector<nst::Image> results;
  std::vector<nst::RunReport> reports;
  nst::Job job;
  status = job.run(
      settings, style_views, {content.image.view()}, results,
      [&bar](const nst::JobProgress &progress) {
        if (progress.stage == nst::JobProgress::Stage::stylise)
          enter_run_phase(); // from now on the first Ctrl-C stops, keeping the result
        bar.show(progress);
      },
      &cancel, &reports);
  enter_finishing_phase();
  bar.finish();
  if (status.code == nst::ErrorCode::cancelled || cancel_requested())
    return fail(program, cancelled, kExitCancelled);
  if (!status.ok())
    return fail(program, with_hint(status));

  const nst::Image &result = results.front();
  const nst::RunReport &report = reports.front();
  const int depth = options.output_depth ? options.output_depth : content.bit_depth;
  if (result.channels == 4 && output_format(options.output_path) == OutputFormat::jpeg &&
      !options.quiet)
    std::fprintf(stderr, _("Note: JPEG has no alpha channel; the result's alpha is dropped.\n"));
  status = write_image(options.output_path, result, depth);
  if (!status.ok())
    return fail(program, status.message);
  if (!options.stats_path.empty()) {
    status = write_stats(options.stats_path, options, report);
    if (!status.ok())
      return fail(program, status.message);
  }
  if (!options.quiet)
    print_summary(options, result, depth, report);
  return kExitDone;
}

int run_list_devices() {
  for (const nst::DeviceInfo &device : nst::list_devices()) {
    const std::string id = nst::device_id(device.kind, device.index);
    std::printf("%-8s %s\n", id.c_str(), device.name.c_str());
  }
  return kExitDone;
}

} // namespace nst_cli
