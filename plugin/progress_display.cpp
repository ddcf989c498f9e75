#include "progress_display.h"

#include "nst-i18n.h"
#include "nst/text_format.h"

#include "nst/units.h"

#include <libgimp/gimp.h>

namespace nst_plugin {
namespace {

// Whole sentences for translators, one per combination of layers and scales.
std::string position_text(const nst::JobProgress &update) {
  const nst::Progress &step = update.step;
  const int layer = update.layer + 1, layers = update.layer_count;
  const int scale = step.scale_index + 1, scales = step.scale_count;
  if (step.steps_in_scale <= 0) {
    if (layers > 1)
      return nst::format(_("Layer %d of %d: preparing the style"), layer, layers);
    return _("Preparing the style");
  }
  if (layers > 1 && scales > 1)
    return nst::format(_("Layer %d of %d, scale %d of %d, step %d of %d"), layer, layers, scale,
                       scales, step.step, step.steps_in_scale);
  if (layers > 1)
    return nst::format(_("Layer %d of %d, step %d of %d"), layer, layers, step.step,
                       step.steps_in_scale);
  if (scales > 1)
    return nst::format(_("Scale %d of %d, step %d of %d"), scale, scales, step.step,
                       step.steps_in_scale);
  return nst::format(_("Step %d of %d"), step.step, step.steps_in_scale);
}

} // namespace

std::string progress_text(const nst::JobProgress &update, bool time_left) {
  using Stage = nst::JobProgress::Stage;
  switch (update.stage) {
  case Stage::download: {
    const int received = static_cast<int>(nst::megabytes(update.download.received_bytes));
    const int total = static_cast<int>(nst::megabytes(update.download.total_bytes));
    if (total > 0)
      return nst::format(_("Downloading the VGG19 weights: %d of %d MB"), received, total);
    return nst::format(_("Downloading the VGG19 weights: %d MB"), received);
  }
  case Stage::load_model: return _("Loading the VGG19 network");
  case Stage::stylise: break;
  }

  const std::string position = position_text(update);
  if (!time_left || update.remaining_seconds < 0)
    return position;
  // TRANSLATORS: the position in the run, then the estimated time left ("3:20").
  return nst::format(_("%s, about %s left"), position.c_str(),
                     nst::duration_text(update.remaining_seconds).c_str());
}

ProgressDisplay::ProgressDisplay() {
  gimp_progress_init(_("Neural Style Transfer"));
}

void ProgressDisplay::show(const nst::JobProgress &update) {
  const std::string text = progress_text(update, true);
  if (text != last_text_) {
    gimp_progress_set_text(text.c_str());
    last_text_ = text;
  }
  const double fraction = update.fraction;
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
