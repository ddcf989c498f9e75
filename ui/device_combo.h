// The dialog's Device choice: automatic, the CPU, or each CUDA GPU found
// (nst::list_devices), by name. It writes the "device" and "device-index"
// arguments. Main thread only; destroy it before the dialog.
#pragma once

#include "nst/engine.h"

#include <libgimp/gimpui.h>

#include <vector>

namespace nst_ui {

class TestDriver;

class DeviceCombo {
public:
  DeviceCombo(GimpProcedureConfig *config, const std::vector<nst::DeviceInfo> &devices);
  ~DeviceCombo();
  DeviceCombo(const DeviceCombo &) = delete;
  DeviceCombo &operator=(const DeviceCombo &) = delete;

  GtkWidget *row() const { return row_; }
  GtkWidget *label() const { return label_; }
  void register_test(TestDriver &driver);

private:
  static void chosen(GtkComboBox *combo, gpointer self);
  static void config_changed(GObject *config, GParamSpec *pspec, gpointer self);
  void show_config();

  GimpProcedureConfig *config_;
  GtkWidget *row_ = nullptr;
  GtkWidget *label_ = nullptr;
  GtkWidget *combo_ = nullptr;
  gulong config_handler_ = 0;
  bool updating_ = false;
};

} // namespace nst_ui
