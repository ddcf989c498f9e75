// The dialog's preview: a small, quick rendering of the current settings
// (the Draft preset's size and steps, the layer's whole processed area),
// painted on a worker thread while the dialog stays responsive. It starts
// when the user asks for it; from then on every change of the settings
// cancels the rendering under way and starts a new one after a pause in
// editing. It only reads the image: nothing is added or changed in it.
// Main thread only; destroy it before the dialog.
#pragma once

#include "live_run.h"
#include "worker.h"

#include <libgimp/gimpui.h>

#include <functional>
#include <memory>
#include <string>

namespace nst_ui {

class TestDriver;

// Makes the preview's work from the config's current values, reading what it
// needs from GIMP (main thread). An empty job with a translated `problem`
// when the settings cannot be previewed (no style chosen, a bad value).
using PreviewMaker = std::function<LiveJob(std::string &problem)>;

// Milliseconds without a settings change before the preview starts again.
constexpr guint kPreviewPauseMilliseconds = 1200;

class PreviewPanel {
public:
  PreviewPanel(GimpProcedureConfig *config, PreviewMaker maker);
  ~PreviewPanel();
  PreviewPanel(const PreviewPanel &) = delete;
  PreviewPanel &operator=(const PreviewPanel &) = delete;

  // The frame to pack into the dialog (owned by the dialog once packed).
  GtkWidget *widget() const { return frame_; }
  void register_test(TestDriver &driver);

private:
  struct Rendering; // a worker and its cancel token
  void start();
  void cancel();
  void ended(const nst::Status &status);
  void show(const LiveUpdate &update);
  void update_button();
  static gboolean poll(gpointer self);
  static gboolean pause_over(gpointer self);
  static void button_clicked(GtkButton *button, gpointer self);
  static void config_changed(GObject *config, GParamSpec *pspec, gpointer self);

  GimpProcedureConfig *config_;
  PreviewMaker maker_;
  GtkWidget *frame_ = nullptr;
  GtkWidget *picture_frame_ = nullptr; // shown from the first preview on
  GtkWidget *picture_ = nullptr;
  GtkWidget *status_ = nullptr;
  GtkWidget *button_ = nullptr;
  gulong config_handler_ = 0;
  guint poll_source_ = 0;
  guint pause_source_ = 0;
  std::unique_ptr<Rendering> rendering_;
  bool following_ = false;       // the user asked for a preview: follow the settings
  bool restart_pending_ = false; // start again once the cancelled rendering has ended
  // What the tests read.
  int started_ = 0, cancelled_ = 0, shown_ = 0;
  int picture_width_ = 0, picture_height_ = 0;
};

} // namespace nst_ui
