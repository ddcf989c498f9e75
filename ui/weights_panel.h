// The dialog's VGG19 weights section: the "weights-file" chooser, a status
// line saying where the weights were found or that they will be downloaded
// (and how much), and a Download button with a progress bar, so that the
// first run need not wait for the download. The download runs on a thread
// of its own; the main thread polls its progress. Main thread only; destroy it before the dialog.
#pragma once

#include "nst/status.h"
#include "nst/weights.h"
#include "worker.h"

#include <libgimp/gimpui.h>

#include <memory>
#include <string>

namespace nst_ui {

class TestDriver;

class WeightsPanel {
public:
  WeightsPanel(GimpProcedureDialog *dialog, GimpProcedureConfig *config);
  // Cancels a running download and waits for its thread.
  ~WeightsPanel();
  WeightsPanel(const WeightsPanel &) = delete;
  WeightsPanel &operator=(const WeightsPanel &) = delete;

  GtkWidget *widget() const { return frame_; }
  std::string status_text() const;
  void register_test(TestDriver &driver);

private:
  // A download on the plug-in's worker thread; Cancel Download reaches it
  // through `cancel`.
  struct Download {
    nst::CancelToken cancel;
    std::unique_ptr<nst_plugin::Worker<nst::DownloadProgress>> worker;
  };

  static void weights_file_changed(GObject *config, GParamSpec *pspec, gpointer self);
  static void download_clicked(GtkButton *button, gpointer self);
  static gboolean poll_download(gpointer self);
  void refresh();
  void start_download();
  void finish_download();

  GimpProcedureConfig *config_;
  GtkWidget *frame_ = nullptr;
  GtkWidget *status_ = nullptr;
  GtkWidget *button_ = nullptr;
  GtkWidget *progress_ = nullptr;
  gulong config_handler_ = 0;
  guint poll_timer_ = 0;
  std::unique_ptr<Download> download_;
};

} // namespace nst_ui
