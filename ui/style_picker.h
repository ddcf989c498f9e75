// The dialog's style source: a layer of any open image (GIMP's layer combo
// box) or an image file, with a thumbnail of the chosen style. It keeps the
// config's "style-layer" and "style-file" such that at most one is set: the
// one the user chose last. Main thread only; destroy it before the dialog.
#pragma once

#include <libgimp/gimpui.h>

#include <functional>

namespace nst_ui {

class TestDriver;

class StylePicker {
public:
  explicit StylePicker(GimpProcedureConfig *config);
  ~StylePicker();
  StylePicker(const StylePicker &) = delete;
  StylePicker &operator=(const StylePicker &) = delete;

  // The frame to pack into the dialog (owned by the dialog once packed).
  GtkWidget *widget() const { return frame_; }
  // Whether a style is chosen, and a call whenever that may have changed.
  bool has_style() const;
  void on_changed(std::function<void()> callback) { changed_ = std::move(callback); }
  // Writes the shown source into the config, clearing the other one.
  void commit();
  // Makes the widgets' values settable by the test script (test_script.h).
  void register_test(TestDriver &driver);

private:
  static void source_toggled(GtkToggleButton *button, gpointer self);
  static void layer_changed(GtkComboBox *combo, gpointer self);
  static void layer_popup(GObject *combo, GParamSpec *pspec, gpointer self);
  static void file_changed(GObject *chooser, GParamSpec *pspec, gpointer self);
  static void config_changed(GObject *config, GParamSpec *pspec, gpointer self);

  bool layer_mode() const;
  GimpLayer *chosen_layer() const;
  GFile *chosen_file() const; // new reference or null
  void show_config();         // the config changed from elsewhere (Reset)
  void update_thumbnail();

  GimpProcedureConfig *config_;
  GtkWidget *frame_ = nullptr;
  GtkWidget *layer_button_ = nullptr;
  GtkWidget *file_button_ = nullptr;
  GtkWidget *layer_combo_ = nullptr;
  GtkWidget *file_chooser_ = nullptr;
  GtkWidget *thumbnail_ = nullptr;
  gulong config_handler_ = 0;
  bool updating_ = false; // our own writes: do not react to them
  std::function<void()> changed_;
};

} // namespace nst_ui
