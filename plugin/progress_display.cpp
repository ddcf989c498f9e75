#include "progress_display.h"

#include "gobject_ptr.h"
#include "i18n.h"

#include "nst/units.h"

#include <libgimp/gimp.h>

#include <cstdarg>

namespace nst_plugin {
namespace {

std::string printf_string(const char *format, ...) G_GNUC_PRINTF(1, 2);

std::string printf_string(const char *format, ...) {
  va_list args;
  va_start(args, format);
  GCharPtr text(g_strdup_vprintf(format, args));
  va_end(args);
  return text.get();
}

} // namespace

std::string progress_text(const ProgressUpdate &update) {
  using Stage = ProgressUpdate::Stage;
  switch (update.stage) {
  case Stage::download: {
    const int received = static_cast<int>(nst::megabytes(update.download.received_bytes));
    const int total = static_cast<int>(nst::megabytes(update.download.total_bytes));
    if (total > 0)
      return printf_string(_("Downloading the VGG19 weights: %d of %d MB"), received, total);
    return printf_string(_("Downloading the VGG19 weights: %d MB"), received);
  }
  case Stage::load_model: return _("Loading the VGG19 network");
  case Stage::stylise: break;
  }

  // Whole sentences for translators, one per combination of layers and scales.
  const nst::Progress &step = update.step;
  const int layer = update.task + 1, layers = update.task_count;
  const int scale = step.scale_index + 1, scales = step.scale_count;
  if (step.steps_in_scale <= 0) {
    if (layers > 1)
      return printf_string(_("Layer %d of %d: preparing the style"), layer, layers);
    return _("Preparing the style");
  }
  if (layers > 1 && scales > 1)
    return printf_string(_("Layer %d of %d, scale %d of %d, step %d of %d"), layer, layers, scale,
                         scales, step.step, step.steps_in_scale);
  if (layers > 1)
    return printf_string(_("Layer %d of %d, step %d of %d"), layer, layers, step.step,
                         step.steps_in_scale);
  if (scales > 1)
    return printf_string(_("Scale %d of %d, step %d of %d"), scale, scales, step.step,
                         step.steps_in_scale);
  return printf_string(_("Step %d of %d"), step.step, step.steps_in_scale);
}

double progress_fraction(const ProgressUpdate &update) {
  using Stage = ProgressUpdate::Stage;
  if (update.stage == Stage::download) {
    if (update.download.total_bytes == 0)
      return -1.0;
    return static_cast<double>(update.download.received_bytes) /
           static_cast<double>(update.download.total_bytes);
  }
  if (update.stage == Stage::load_model || update.task_count <= 0)
    return 0.0;
  double within = 0.0;
  if (update.step.total_steps > 0)
    within = static_cast<double>(update.step.total_step) / update.step.total_steps;
  return (update.task + within) / update.task_count;
}

ProgressDisplay::ProgressDisplay() {
  gimp_progress_init(_("Neural Style Transfer"));
}

void ProgressDisplay::show(const ProgressUpdate &update) {
  const std::string text = progress_text(update);
  if (text != last_text_) {
    gimp_progress_set_text(text.c_str());
    last_text_ = text;
  }
  const double fraction = progress_fraction(update);
  if (fraction < 0.0) {
    gimp_progress_pulse();
    return;
  }
  const int permille = static_cast<int>(fraction * 1000.0);
  if (permille != last_permille_) {
    gimp_progress_update(fraction);
    last_permille_ = permille;
  }
}

void ProgressDisplay::finish() {
  gimp_progress_update(1.0);
}

} // namespace nst_plugin
