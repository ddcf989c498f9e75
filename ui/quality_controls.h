// The dialog's Quality preset and Strength slider. Both are views of
// procedure arguments (quality_presets.h, strength.h): choosing a preset
// writes "size", "iterations" and "scales"; the slider writes
// "style-weight". Changes of those arguments elsewhere (the Advanced
// section, Reset) update both. Main thread only; destroy it before the dialog.
#pragma once

#include <libgimp/gimpui.h>

namespace nst_ui {

class TestDriver;

class QualityControls {
public:
  explicit QualityControls(GimpProcedureConfig *config);
  ~QualityControls();
  QualityControls(const QualityControls &) = delete;
  QualityControls &operator=(const QualityControls &) = delete;

  // The rows to pack (owned by the dialog once packed) and their labels,
  // for aligning them with the dialog's other labels.
  GtkWidget *quality_row() const { return quality_row_; }
  GtkWidget *strength_row() const { return strength_; }
  GtkWidget *quality_label() const { return quality_label_; }
  GtkWidget *strength_label() const;
  void register_test(TestDriver &driver);

private:
  static void quality_chosen(GtkComboBox *combo, gpointer self);
  static void strength_moved(GimpLabelSpin *spin, gpointer self);
  static void config_changed(GObject *config, GParamSpec *pspec, gpointer self);
  void show_config();

  GimpProcedureConfig *config_;
  GtkWidget *quality_row_ = nullptr;
  GtkWidget *quality_label_ = nullptr;
  GtkWidget *quality_combo_ = nullptr;
  GtkWidget *strength_ = nullptr;
  gulong config_handler_ = 0;
  bool updating_ = false;
};

} // namespace nst_ui
