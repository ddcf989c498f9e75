// The window of an interactive run (see live_run.h). It only shows updates
// and turns its buttons into requests on the run's CancelToken. Main thread only.
#pragma once

#include "live_run.h"

#include <gtk/gtk.h>

#include <memory>

namespace nst_ui {

class TestDriver;

class LiveWindow {
public:
  LiveWindow(const std::string &title, nst::CancelToken &cancel);
  ~LiveWindow();
  LiveWindow(const LiveWindow &) = delete;
  LiveWindow &operator=(const LiveWindow &) = delete;

  void show(const LiveUpdate &update);

private:
  static void responded(GtkDialog *dialog, gint response, gpointer self);
  static gboolean delete_requested(GtkWidget *widget, GdkEvent *event, gpointer self);
  static gboolean clock_ticked(gpointer self); // elapsed time between updates
  void request_stop();
  void request_cancel();
  void show_preview(const LivePreview &preview);
  void show_times();
  void register_test();

  nst::CancelToken &cancel_;
  GtkWidget *window_ = nullptr;
  GtkWidget *picture_ = nullptr;
  GtkWidget *progress_ = nullptr;
  GtkWidget *losses_ = nullptr;
  GtkWidget *times_ = nullptr;
  GtkWidget *state_ = nullptr; // "Stopping...", "Cancelling..."
  GTimer *clock_ = nullptr;    // since the window opened
  guint clock_source_ = 0;
  double remaining_ = -1;  // the engine's estimate of the time left, at estimate_at_
  double estimate_at_ = 0; // clock time of the estimate's last report
  bool stylising_ = false;
  bool ending_ = false;
  int previews_ = 0;
  std::unique_ptr<TestDriver> test_;
};

} // namespace nst_ui
