#include "progress_text.h"

#include "nst-i18n.h"
#include "nst/text_format.h"
#include "nst/units.h"

namespace nst_plugin {
namespace {

// Whole sentences for translators, one per combination of layers and scales;
// each names the size being painted (a Draft paints a small preview).
std::string position_text(const nst::JobProgress &update) {
  const nst::Progress &step = update.step;
  const int layer = update.layer + 1, layers = update.layer_count;
  const int scale = step.scale_index + 1, scales = step.scale_count;
  if (step.steps_in_scale <= 0) {
    if (layers > 1)
      return nst::format(_("Layer %d of %d: preparing the style"), layer, layers);
    return _("Preparing the style");
  }
  int width = 0, height = 0;
  if (step.scale_index >= 0 && std::size_t(step.scale_index) < step.plan.size()) {
    width = step.plan[step.scale_index].width;
    height = step.plan[step.scale_index].height;
  }
  if (layers > 1 && scales > 1)
    return nst::format(_("Layer %d of %d, scale %d of %d at %d x %d px, step %d of %d"), layer,
                       layers, scale, scales, width, height, step.step, step.steps_in_scale);
  if (layers > 1)
    return nst::format(_("Layer %d of %d at %d x %d px, step %d of %d"), layer, layers, width,
                       height, step.step, step.steps_in_scale);
  if (scales > 1)
    return nst::format(_("Scale %d of %d at %d x %d px, step %d of %d"), scale, scales, width,
                       height, step.step, step.steps_in_scale);
  return nst::format(_("Step %d of %d at %d x %d px"), step.step, step.steps_in_scale, width,
                     height);
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

} // namespace nst_plugin
