#include "weights_panel.h"

#include "gobject_ptr.h"
#include "nst-i18n.h"
#include "nst/text_format.h"
#include "test_driver.h"

#include "nst/units.h"

namespace nst_ui {
namespace {

constexpr guint kPollMilliseconds = 100;

int megabytes(std::uint64_t bytes) {
  return static_cast<int>(nst::megabytes(bytes));
}

std::string weights_path(GimpProcedureConfig *config) {
  GFile *file = nullptr;
  g_object_get(config, "weights-file", &file, nullptr);
  if (!file)
    return {};
  nst_plugin::GObjectPtr<GFile> owned(file);
  nst_plugin::GCharPtr path(g_file_get_path(file));
  return path ? path.get() : "";
}

} // namespace

WeightsPanel::WeightsPanel(GimpProcedureDialog *dialog, GimpProcedureConfig *config)
    : config_(config) {
  GtkWidget *chooser = gimp_procedure_dialog_get_widget(dialog, "weights-file", G_TYPE_NONE);
  status_ = gtk_label_new(nullptr);
  gtk_label_set_line_wrap(GTK_LABEL(status_), TRUE);
  gtk_label_set_max_width_chars(GTK_LABEL(status_), 60);
  gtk_label_set_xalign(GTK_LABEL(status_), 0.0);
  gtk_label_set_selectable(GTK_LABEL(status_), TRUE);
  button_ = gtk_button_new_with_label(_("Download Now"));
  gtk_widget_set_valign(button_, GTK_ALIGN_CENTER);
  progress_ = gtk_progress_bar_new();
  gtk_progress_bar_set_show_text(GTK_PROGRESS_BAR(progress_), TRUE);

  GtkWidget *status_row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_pack_start(GTK_BOX(status_row), status_, TRUE, TRUE, 0);
  gtk_box_pack_start(GTK_BOX(status_row), button_, FALSE, FALSE, 0);
  GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 4);
  if (chooser) {
    // The dialog's table of widgets keeps a reference of its own.
    g_object_ref(chooser);
    gtk_box_pack_start(GTK_BOX(box), chooser, FALSE, FALSE, 0);
  }
  gtk_box_pack_start(GTK_BOX(box), status_row, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(box), progress_, FALSE, FALSE, 0);

  frame_ = gimp_frame_new(_("VGG19 Weights"));
  gtk_container_add(GTK_CONTAINER(frame_), box);
  gtk_widget_show_all(frame_);
  gtk_widget_hide(progress_);

  g_signal_connect(button_, "clicked", G_CALLBACK(download_clicked), this);
  config_handler_ =
      g_signal_connect(config_, "notify::weights-file", G_CALLBACK(weights_file_changed), this);
  refresh();
}

WeightsPanel::~WeightsPanel() {
  g_signal_handler_disconnect(config_, config_handler_);
  g_signal_handlers_disconnect_by_data(button_, this);
  if (poll_timer_)
    g_source_remove(poll_timer_);
  if (download_)
    download_->cancel.request_cancel(); // download_'s worker joins its thread
}

std::string WeightsPanel::status_text() const {
  return gtk_label_get_text(GTK_LABEL(status_));
}

void WeightsPanel::refresh() {
  nst::WeightsLocation location;
  const nst::Status status = nst::locate_weights(weights_path(config_), location);
  std::string text;
  bool downloadable = false;
  if (!status.ok()) {
    text = nst::format(_("These weights cannot be used: %s"), status.message.c_str());
  } else if (location.found) {
    const char *format = _("Found at %s");
    if (location.source == "environment")
      format = _("Found at %s (named by $NST_VGG19_WEIGHTS)");
    else if (location.source == "cache")
      format = _("Found at %s (downloaded before)");
    else if (location.source == "torch-hub")
      format = _("Found at %s (PyTorch's cache)");
    text = nst::format(format, location.path.c_str());
  } else {
    text = nst::format(_("Not found: the weights will be downloaded on first use "
                         "(%d MB) into %s."),
                       megabytes(nst::kPublishedWeightsBytes), location.download_path.c_str());
    downloadable = true;
  }
  gtk_label_set_text(GTK_LABEL(status_), text.c_str());
  gtk_widget_set_visible(button_, downloadable || download_ != nullptr);
}

void WeightsPanel::start_download() {
  download_ = std::make_unique<Download>();
  Download *download = download_.get();
  download->worker = std::make_unique<nst_plugin::Worker<nst::DownloadProgress>>(
      [download](const nst_plugin::Worker<nst::DownloadProgress>::Post &post) {
        std::string path;
        return nst::ensure_weights(
            "", path, [&post](const nst::DownloadProgress &progress) { post(progress); },
            download->cancel.download_cancel());
      });
  gtk_button_set_label(GTK_BUTTON(button_), _("Cancel Download"));
  gtk_progress_bar_set_fraction(GTK_PROGRESS_BAR(progress_), 0.0);
  gtk_progress_bar_set_text(GTK_PROGRESS_BAR(progress_), _("Connecting..."));
  gtk_widget_show(progress_);
  poll_timer_ = g_timeout_add(kPollMilliseconds, poll_download, this);
}

gboolean WeightsPanel::poll_download(gpointer self) {
  WeightsPanel *panel = static_cast<WeightsPanel *>(self);
  nst_plugin::Worker<nst::DownloadProgress> &worker = *panel->download_->worker;
  const std::optional<nst::DownloadProgress> update = worker.take(false);
  if (worker.done()) {
    panel->poll_timer_ = 0;
    panel->finish_download();
    return G_SOURCE_REMOVE;
  }
  if (!update)
    return G_SOURCE_CONTINUE;
  const nst::DownloadProgress &progress = *update;
  GtkProgressBar *bar = GTK_PROGRESS_BAR(panel->progress_);
  if (progress.total_bytes > 0) {
    gtk_progress_bar_set_fraction(bar, static_cast<double>(progress.received_bytes) /
                                           static_cast<double>(progress.total_bytes));
    gtk_progress_bar_set_text(bar, nst::format(_("%d of %d MB"), megabytes(progress.received_bytes),
                                               megabytes(progress.total_bytes))
                                       .c_str());
  } else if (progress.received_bytes > 0) {
    gtk_progress_bar_pulse(bar);
    gtk_progress_bar_set_text(bar,
                              nst::format(_("%d MB"), megabytes(progress.received_bytes)).c_str());
  }
  return G_SOURCE_CONTINUE;
}

void WeightsPanel::finish_download() {
  const nst::Status status = download_->worker->finish();
  download_.reset();
  gtk_widget_hide(progress_);
  gtk_button_set_label(GTK_BUTTON(button_), _("Download Now"));
  refresh();
  if (status.code == nst::ErrorCode::cancelled)
    gtk_label_set_text(GTK_LABEL(status_), _("The download was cancelled. Downloading again "
                                             "goes on where it stopped."));
  else if (!status.ok())
    gtk_label_set_text(GTK_LABEL(status_),
                       nst::format(_("The download failed: %s"), status.message.c_str()).c_str());
}

void WeightsPanel::download_clicked(GtkButton * /*button*/, gpointer self) {
  WeightsPanel *panel = static_cast<WeightsPanel *>(self);
  if (panel->download_)
    panel->download_->cancel.request_cancel(); // the poll finishes it
  else
    panel->start_download();
}

void WeightsPanel::weights_file_changed(GObject * /*config*/, GParamSpec * /*pspec*/,
                                        gpointer self) {
  static_cast<WeightsPanel *>(self)->refresh();
}

void WeightsPanel::register_test(TestDriver &driver) {
  driver.on_click("download", [this] { gtk_button_clicked(GTK_BUTTON(button_)); });
  driver.on_text("weights-status", [this] { return status_text(); });
}

} // namespace nst_ui
