#include "time_estimate_label.h"

#include "procedure_arguments.h"
#include "test_driver.h"

#include "nst-i18n.h"
#include "nst/estimate.h"
#include "nst/text_format.h"

#include <cmath>

namespace nst_ui {

std::string rough_duration_text(double seconds) {
  if (seconds < 60)
    return _("under a minute");
  if (seconds < 90 * 60) {
    const long minutes = std::lround(seconds / 60);
    return nst::format(dngettext(GETTEXT_PACKAGE, "about %ld minute", "about %ld minutes", minutes),
                       minutes);
  }
  return nst::format(_("about %.1f hours"), seconds / 3600);
}

TimeEstimateLabel::TimeEstimateLabel(GimpProcedureConfig *config, int width, int height)
    : config_(config), width_(width), height_(height), label_(gtk_label_new("")) {
  gtk_label_set_xalign(GTK_LABEL(label_), 0.0f);
  gtk_label_set_line_wrap(GTK_LABEL(label_), TRUE);
  g_object_ref_sink(label_);
  handler_ = g_signal_connect(config_, "notify", G_CALLBACK(config_changed), this);
  update();
  gtk_widget_show(label_);
}

TimeEstimateLabel::~TimeEstimateLabel() {
  g_signal_handler_disconnect(config_, handler_);
  g_object_unref(label_);
}

void TimeEstimateLabel::update() {
  nst::Settings settings;
  std::string error;
  // Nothing to paint (a selection outside the layer) or a value the run
  // itself will refuse: no estimate.
  if (width_ <= 0 || height_ <= 0 || !nst_plugin::read_engine_settings(config_, settings, error)) {
    gtk_label_set_text(GTK_LABEL(label_), "");
    return;
  }
  const double seconds = nst::estimate_run_seconds(width_, height_, settings);
  // No speed is known for a GPU before its first run (this project measured
  // none); that run's measured speed prices the next estimate.
  const std::string duration =
      seconds > 0 ? rough_duration_text(seconds) : _("known after a first run on this device");
  gtk_label_set_text(GTK_LABEL(label_), nst::format(_("Estimated time for this %d x %d layer: %s"),
                                                    width_, height_, duration.c_str())
                                            .c_str());
}

void TimeEstimateLabel::config_changed(GObject * /*config*/, GParamSpec * /*pspec*/,
                                       gpointer self) {
  static_cast<TimeEstimateLabel *>(self)->update();
}

void TimeEstimateLabel::register_test(TestDriver &driver) {
  driver.on_text("estimate", [this] { return std::string(gtk_label_get_text(GTK_LABEL(label_))); });
}

} // namespace nst_ui
