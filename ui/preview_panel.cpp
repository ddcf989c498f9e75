#include "preview_panel.h"

#include "nst-i18n.h"
#include "picture.h"
#include "test_driver.h"

#include "nst/text_format.h"

#include <utility>

namespace nst_ui {
namespace {

constexpr int kBoxWidth = 288;
constexpr int kBoxHeight = 216;
constexpr guint kPollMilliseconds = 40;

using PreviewWorker = nst_plugin::Worker<LiveUpdate>;

} // namespace

struct PreviewPanel::Rendering {
  nst::CancelToken cancel;
  std::unique_ptr<PreviewWorker> worker;
  bool cancelled = false;
};

PreviewPanel::PreviewPanel(GimpProcedureConfig *config, PreviewMaker maker)
    : config_(config), maker_(std::move(maker)) {
  frame_ = gimp_frame_new(_("Preview"));
  g_object_ref_sink(frame_);
  picture_ = gtk_image_new_from_icon_name("image-x-generic", GTK_ICON_SIZE_DIALOG);
  gtk_widget_set_size_request(picture_, kBoxWidth, kBoxHeight);
  picture_frame_ = gtk_frame_new(nullptr);
  gtk_frame_set_shadow_type(GTK_FRAME(picture_frame_), GTK_SHADOW_IN);
  gtk_container_add(GTK_CONTAINER(picture_frame_), picture_);
  gtk_widget_set_halign(picture_frame_, GTK_ALIGN_CENTER);
  gtk_widget_show(picture_);
  // The dialog stays compact until the user asks for a preview.
  gtk_widget_set_no_show_all(picture_frame_, TRUE);

  status_ = gtk_label_new(_("A quick low-resolution rendering of the current settings (the "
                            "Draft size). The image is not changed."));
  gtk_label_set_xalign(GTK_LABEL(status_), 0.0);
  gtk_label_set_line_wrap(GTK_LABEL(status_), TRUE);
  gtk_label_set_max_width_chars(GTK_LABEL(status_), 50);
  button_ = gtk_button_new_with_label("");
  gtk_widget_set_tooltip_text(button_, _("Renders the current settings at the Draft size; from "
                                         "then on the preview follows every change."));
  update_button();
  g_signal_connect(button_, "clicked", G_CALLBACK(button_clicked), this);

  GtkWidget *row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_pack_start(GTK_BOX(row), status_, TRUE, TRUE, 0);
  gtk_box_pack_end(GTK_BOX(row), button_, FALSE, FALSE, 0);
  gtk_widget_set_valign(button_, GTK_ALIGN_START);
  GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_pack_start(GTK_BOX(box), picture_frame_, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(box), row, FALSE, FALSE, 0);
  gtk_container_add(GTK_CONTAINER(frame_), box);
  gtk_widget_show_all(frame_);

  config_handler_ = g_signal_connect(config_, "notify", G_CALLBACK(config_changed), this);
}

PreviewPanel::~PreviewPanel() {
  g_signal_handler_disconnect(config_, config_handler_);
  if (poll_source_)
    g_source_remove(poll_source_);
  if (pause_source_)
    g_source_remove(pause_source_);
  if (rendering_)
    rendering_->cancel.request_cancel(); // the worker ends at its next step; joined here
  rendering_.reset();
  g_object_unref(frame_);
}

void PreviewPanel::start() {
  restart_pending_ = false;
  if (rendering_) { // the cancelled one has not ended yet: start after it
    restart_pending_ = true;
    return;
  }
  std::string problem;
  LiveJob job = maker_(problem);
  if (!job) {
    gtk_label_set_text(GTK_LABEL(status_), problem.c_str());
    update_button();
    return;
  }
  ++started_;
  gtk_widget_show(picture_frame_);
  rendering_ = std::make_unique<Rendering>();
  nst::CancelToken *cancel = &rendering_->cancel;
  rendering_->worker = std::make_unique<PreviewWorker>(
      [job, cancel](const LivePost &post) { return job(post, *cancel); },
      [](LiveUpdate &older, LiveUpdate &newer) { // a picture is kept until shown
        if (!newer.preview)
          newer.preview = std::move(older.preview);
      });
  gtk_label_set_text(GTK_LABEL(status_), _("Painting the preview..."));
  if (!poll_source_)
    poll_source_ = g_timeout_add(kPollMilliseconds, poll, this);
  update_button();
}

void PreviewPanel::cancel() {
  if (!rendering_ || rendering_->cancelled)
    return;
  rendering_->cancel.request_cancel();
  rendering_->cancelled = true;
  ++cancelled_;
}

void PreviewPanel::show(const LiveUpdate &update) {
  if (rendering_ && rendering_->cancelled)
    return; // the settings changed: this picture is not theirs
  if (!update.text.empty())
    gtk_label_set_text(GTK_LABEL(status_),
                       nst::format(_("Painting the preview: %s"), update.text.c_str()).c_str());
  if (update.preview && show_picture(picture_, *update.preview, kBoxWidth, kBoxHeight)) {
    picture_width_ = update.preview->width;
    picture_height_ = update.preview->height;
  }
}

void PreviewPanel::ended(const nst::Status &status) {
  const bool cancelled = rendering_->cancelled || status.code == nst::ErrorCode::cancelled;
  rendering_.reset();
  if (cancelled)
    gtk_label_set_text(GTK_LABEL(status_),
                       following_ ? _("The settings changed: the preview starts again when you "
                                      "pause.")
                                  : _("Preview stopped."));
  else if (!status.ok())
    gtk_label_set_text(GTK_LABEL(status_),
                       nst::format(_("The preview failed: %s"), status.message.c_str()).c_str());
  else {
    ++shown_;
    gtk_label_set_text(GTK_LABEL(status_),
                       _("Preview of the current settings at the Draft size. The image is not "
                         "changed."));
  }
  if (restart_pending_)
    start();
  update_button();
}

void PreviewPanel::update_button() {
  const bool running = rendering_ && !rendering_->cancelled;
  gtk_button_set_label(GTK_BUTTON(button_), running ? _("Stop Preview") : _("Preview"));
}

gboolean PreviewPanel::poll(gpointer data) {
  PreviewPanel *self = static_cast<PreviewPanel *>(data);
  if (!self->rendering_) {
    self->poll_source_ = 0;
    return G_SOURCE_REMOVE;
  }
  PreviewWorker &worker = *self->rendering_->worker;
  if (std::optional<LiveUpdate> update = worker.take(false))
    self->show(*update);
  if (!worker.done())
    return G_SOURCE_CONTINUE;
  self->poll_source_ = 0; // ended() may start a new rendering, with its own poll
  self->ended(worker.finish());
  return G_SOURCE_REMOVE;
}

gboolean PreviewPanel::pause_over(gpointer data) {
  PreviewPanel *self = static_cast<PreviewPanel *>(data);
  self->pause_source_ = 0;
  self->start();
  return G_SOURCE_REMOVE;
}

void PreviewPanel::button_clicked(GtkButton * /*button*/, gpointer data) {
  PreviewPanel *self = static_cast<PreviewPanel *>(data);
  if (self->rendering_ && !self->rendering_->cancelled) { // Stop Preview
    self->following_ = false;
    self->restart_pending_ = false;
    self->cancel();
    gtk_label_set_text(GTK_LABEL(self->status_), _("Preview stopped."));
    self->update_button();
    return;
  }
  self->following_ = true;
  if (self->pause_source_) {
    g_source_remove(self->pause_source_);
    self->pause_source_ = 0;
  }
  self->start();
}

void PreviewPanel::config_changed(GObject * /*config*/, GParamSpec * /*pspec*/, gpointer data) {
  PreviewPanel *self = static_cast<PreviewPanel *>(data);
  if (!self->following_)
    return;
  self->cancel();
  self->restart_pending_ = false;
  gtk_label_set_text(GTK_LABEL(self->status_),
                     _("The settings changed: the preview starts again when you pause."));
  self->update_button();
  if (self->pause_source_) // editing goes on: wait for the pause again
    g_source_remove(self->pause_source_);
  self->pause_source_ = g_timeout_add(kPreviewPauseMilliseconds, pause_over, self);
}

void PreviewPanel::register_test(TestDriver &driver) {
  driver.on_click("preview", [this] { gtk_button_clicked(GTK_BUTTON(button_)); });
  driver.on_text("preview", [this] {
    const char *state = !rendering_ ? "idle" : rendering_->cancelled ? "cancelling" : "running";
    return nst::format("state %s, started %d, cancelled %d, shown %d, picture %dx%d: %s", state,
                       started_, cancelled_, shown_, picture_width_, picture_height_,
                       gtk_label_get_text(GTK_LABEL(status_)));
  });
}

} // namespace nst_ui
