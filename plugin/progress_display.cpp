#include "progress_display.h"

#include "progress_text.h"

#include "nst-i18n.h"

#include <libgimp/gimp.h>

namespace nst_plugin {

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
