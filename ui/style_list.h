// The dialog's further styles, blended with the first one (StylePicker's):
// rows of a layer of any open image or an image file, each with its blend
// weight, stroke size and region (everywhere, the selection, a channel or a
// layer mask of `image`), added and removed by the user, and the first
// style's. It keeps the config's "style-layer-ids", "style-file-list",
// "style-blend-weights", "style-stroke-sizes" and "style-masks". Main thread
// only; destroy it before the dialog.
#pragma once

#include <libgimp/gimpui.h>

#include <memory>
#include <vector>

namespace nst_ui {

class TestDriver;

class StyleList {
public:
  StyleList(GimpProcedureConfig *config, GimpImage *image);
  ~StyleList();
  StyleList(const StyleList &) = delete;
  StyleList &operator=(const StyleList &) = delete;

  // The frame to pack into the dialog (owned by the dialog once packed).
  GtkWidget *widget() const { return frame_; }
  // Writes the rows and weights into the config.
  void commit();
  // Makes the rows settable by the test script (test_script.h).
  void register_test(TestDriver &driver);

private:
  struct Row {
    StyleList *list = nullptr;
    bool layer = true;
    GtkWidget *box = nullptr, *chooser = nullptr, *weight = nullptr, *stroke = nullptr,
              *mask = nullptr, *remove = nullptr;
  };

  void add_row(bool layer, GimpLayer *initial_layer, GFile *initial_file, double weight,
               double stroke_size, int mask);
  // A combo of kEverywhere, kSelection and the image's channels and layer masks.
  GtkWidget *mask_combo(int active) const;
  void remove_row(Row *row);
  void remove_all_rows();
  void show_config(); // the config changed from elsewhere (Reset, last values)
  void update_first_weight();

  static void row_changed(GtkWidget *widget, gpointer row);
  static void file_changed(GObject *chooser, GParamSpec *pspec, gpointer row);
  static void remove_clicked(GtkButton *button, gpointer row);
  static void add_layer_clicked(GtkButton *button, gpointer self);
  static void add_file_clicked(GtkButton *button, gpointer self);
  static void first_style_changed(GtkSpinButton *spin, gpointer self);
  static void first_mask_changed(GtkComboBox *combo, gpointer self);
  static void config_changed(GObject *config, GParamSpec *pspec, gpointer self);

  GimpProcedureConfig *config_;
  GimpImage *image_;
  GtkWidget *frame_ = nullptr;
  GtkWidget *rows_box_ = nullptr;
  GtkWidget *first_weight_row_ = nullptr;
  GtkWidget *first_weight_ = nullptr;
  GtkWidget *first_stroke_ = nullptr;
  GtkWidget *first_numbers_ = nullptr; // the first style's weight and stroke size
  GtkWidget *first_mask_ = nullptr;
  GtkWidget *add_layer_ = nullptr;
  GtkWidget *add_file_ = nullptr;
  std::vector<std::unique_ptr<Row>> rows_;
  gulong config_handler_ = 0;
  bool updating_ = false; // our own writes: do not react to them
};

} // namespace nst_ui
