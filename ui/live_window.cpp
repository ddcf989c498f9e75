#include "live_window.h"

#include "nst-i18n.h"
#include "nst/text_format.h"
#include "picture.h"
#include "test_driver.h"

#include "nst/units.h"

#include <libgimp/gimpui.h>

#include <algorithm>
#include <string>

namespace nst_ui {
namespace {

constexpr gint kResponseStop = 1;
constexpr int kPictureWidth = kLivePreviewSide;
constexpr int kPictureHeight = kLivePreviewSide * 3 / 4;
constexpr guint kClockMilliseconds = 500;

} // namespace

LiveWindow::LiveWindow(const std::string &title, nst::CancelToken &cancel) : cancel_(cancel) {
  window_ = gimp_dialog_new(title.c_str(), "nst-live-progress", nullptr, GtkDialogFlags(0), nullptr,
                            nullptr, _("_Stop and Keep Result"), kResponseStop, _("_Cancel"),
                            GTK_RESPONSE_CANCEL, nullptr);
  gtk_dialog_set_response_sensitive(GTK_DIALOG(window_), kResponseStop, FALSE);
  gtk_widget_set_tooltip_text(
      gtk_dialog_get_widget_for_response(GTK_DIALOG(window_), kResponseStop),
      _("Ends the run after the current step and adds the picture as it is now."));
  gtk_widget_set_tooltip_text(
      gtk_dialog_get_widget_for_response(GTK_DIALOG(window_), GTK_RESPONSE_CANCEL),
      _("Ends the run and adds nothing to the image."));

  picture_ = gtk_image_new_from_icon_name("image-x-generic", GTK_ICON_SIZE_DIALOG);
  gtk_widget_set_size_request(picture_, kPictureWidth, kPictureHeight);
  GtkWidget *frame = gtk_frame_new(nullptr);
  gtk_frame_set_shadow_type(GTK_FRAME(frame), GTK_SHADOW_IN);
  gtk_container_add(GTK_CONTAINER(frame), picture_);

  progress_ = gtk_progress_bar_new();
  gtk_progress_bar_set_show_text(GTK_PROGRESS_BAR(progress_), TRUE);
  gtk_progress_bar_set_text(GTK_PROGRESS_BAR(progress_), _("Starting..."));
  losses_ = gtk_label_new(nullptr);
  times_ = gtk_label_new(nullptr);
  state_ = gtk_label_new(nullptr);
  for (GtkWidget *label : {losses_, times_, state_}) {
    gtk_label_set_xalign(GTK_LABEL(label), 0.0);
    gtk_label_set_line_wrap(GTK_LABEL(label), TRUE);
  }

  GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 6);
  gtk_container_set_border_width(GTK_CONTAINER(box), 12);
  gtk_box_pack_start(GTK_BOX(box), frame, TRUE, TRUE, 0);
  gtk_box_pack_start(GTK_BOX(box), progress_, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(box), losses_, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(box), times_, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(box), state_, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(window_))), box, TRUE, TRUE, 0);

  g_signal_connect(window_, "response", G_CALLBACK(responded), this);
  g_signal_connect(window_, "delete-event", G_CALLBACK(delete_requested), this);
  gimp_window_set_transient(GTK_WINDOW(window_));
  gtk_widget_show_all(window_);

  clock_ = g_timer_new();
  clock_source_ = g_timeout_add(kClockMilliseconds, clock_ticked, this);
  show_times();

  test_ = TestDriver::from_environment(TestCommand::Phase::live);
  if (test_)
    register_test();
}

LiveWindow::~LiveWindow() {
  test_.reset();
  g_source_remove(clock_source_);
  g_timer_destroy(clock_);
  gtk_widget_destroy(window_);
}

void LiveWindow::show(const LiveUpdate &update) {
  GtkProgressBar *bar = GTK_PROGRESS_BAR(progress_);
  gtk_progress_bar_set_text(bar, update.text.c_str());
  if (update.fraction >= 0.0)
    gtk_progress_bar_set_fraction(bar, std::min(update.fraction, 1.0));
  else
    gtk_progress_bar_pulse(bar);

  stylising_ = update.stylising;
  if (update.stylising) {
    const nst::Progress &step = update.step;
    remaining_ = update.remaining_seconds;
    estimate_at_ = g_timer_elapsed(clock_, nullptr);
    // TRANSLATORS: the losses the optimisation lowers, in the live window.
    const std::string losses =
        nst::format(_("Losses: content %.4g, style %.4g, smoothness %.4g (total %.4g)"),
                    step.content_loss, step.style_loss, step.tv_loss, step.total_loss);
    gtk_label_set_text(GTK_LABEL(losses_), losses.c_str());
  }
  if (!ending_)
    gtk_dialog_set_response_sensitive(GTK_DIALOG(window_), kResponseStop, update.stylising);
  if (update.preview)
    show_preview(*update.preview);
  show_times();
}

void LiveWindow::show_preview(const LivePreview &preview) {
  if (!show_picture(picture_, preview, kPictureWidth, kPictureHeight))
    return;
  ++previews_;
  if (test_)
    test_->previews_shown(previews_);
}

void LiveWindow::show_times() {
  const double now = g_timer_elapsed(clock_, nullptr);
  const double remaining = remaining_;
  std::string text;
  if (stylising_ && remaining >= 0.0)
    text = nst::format(_("Elapsed %s, about %s left"), nst::duration_text(now).c_str(),
                       nst::duration_text(std::max(0.0, remaining - (now - estimate_at_))).c_str());
  else
    text = nst::format(_("Elapsed %s"), nst::duration_text(now).c_str());
  gtk_label_set_text(GTK_LABEL(times_), text.c_str());
}

gboolean LiveWindow::clock_ticked(gpointer self) {
  static_cast<LiveWindow *>(self)->show_times();
  return G_SOURCE_CONTINUE;
}

void LiveWindow::request_stop() {
  if (ending_)
    return;
  ending_ = true;
  cancel_.request_stop();
  gtk_dialog_set_response_sensitive(GTK_DIALOG(window_), kResponseStop, FALSE);
  gtk_label_set_text(GTK_LABEL(state_),
                     _("Stopping after the current step; the picture as it is now will be added."));
}

void LiveWindow::request_cancel() {
  ending_ = true;
  cancel_.request_cancel(); // a download too
  gtk_dialog_set_response_sensitive(GTK_DIALOG(window_), kResponseStop, FALSE);
  gtk_dialog_set_response_sensitive(GTK_DIALOG(window_), GTK_RESPONSE_CANCEL, FALSE);
  gtk_label_set_text(GTK_LABEL(state_), _("Cancelling; nothing will be added to the image."));
}

void LiveWindow::responded(GtkDialog * /*dialog*/, gint response, gpointer self) {
  LiveWindow *window = static_cast<LiveWindow *>(self);
  if (response == kResponseStop)
    window->request_stop();
  else
    window->request_cancel(); // Cancel, Escape
}

gboolean LiveWindow::delete_requested(GtkWidget * /*widget*/, GdkEvent * /*event*/, gpointer self) {
  static_cast<LiveWindow *>(self)->request_cancel();
  return TRUE; // the window stays until the run has ended
}

void LiveWindow::register_test() {
  test_->on_click("stop", [this] { gtk_dialog_response(GTK_DIALOG(window_), kResponseStop); });
  test_->on_click("cancel",
                  [this] { gtk_dialog_response(GTK_DIALOG(window_), GTK_RESPONSE_CANCEL); });
  test_->on_text("title",
                 [this] { return std::string(gtk_window_get_title(GTK_WINDOW(window_))); });
  test_->on_text("status", [this] {
    return std::string(gtk_progress_bar_get_text(GTK_PROGRESS_BAR(progress_))) + "\n" +
           gtk_label_get_text(GTK_LABEL(losses_)) + "\n" + gtk_label_get_text(GTK_LABEL(times_));
  });
}

} // namespace nst_ui
