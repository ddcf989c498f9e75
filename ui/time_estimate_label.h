// The dialog's "Estimated time" line: what the chosen settings will take on
// this machine for this layer, updated as the settings change.
#pragma once

#include <libgimp/gimpui.h>

#include <string>

namespace nst_ui {

// "under a minute", "about 7 minutes", "about 2.5 hours".
std::string rough_duration_text(double seconds);

class TestDriver;

class TimeEstimateLabel {
public:
  // `width` x `height`: the pixels the filter will paint.
  TimeEstimateLabel(GimpProcedureConfig *config, int width, int height);
  ~TimeEstimateLabel();
  TimeEstimateLabel(const TimeEstimateLabel &) = delete;
  TimeEstimateLabel &operator=(const TimeEstimateLabel &) = delete;

  GtkWidget *widget() const { return label_; }
  void register_test(TestDriver &driver);

private:
  void update();
  static void config_changed(GObject *config, GParamSpec *pspec, gpointer self);

  GimpProcedureConfig *config_;
  int width_, height_;
  GtkWidget *label_;
  gulong handler_ = 0;
};

} // namespace nst_ui
