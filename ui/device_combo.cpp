#include "device_combo.h"

#include "nst-i18n.h"
#include "test_driver.h"

#include "nst/parameters.h"

#include <string>

namespace nst_ui {

DeviceCombo::DeviceCombo(GimpProcedureConfig *config, const std::vector<nst::DeviceInfo> &devices)
    : config_(config) {
  combo_ = gtk_combo_box_text_new();
  GtkComboBoxText *combo = GTK_COMBO_BOX_TEXT(combo_);
  gtk_combo_box_text_append(combo, "auto", _("Automatic (an NVIDIA GPU when there is one)"));
  for (const nst::DeviceInfo &device : devices) {
    if (device.kind == nst::DeviceKind::cpu) {
      gtk_combo_box_text_append(combo, "cpu", _("CPU"));
    } else {
      gchar *label = g_strdup_printf(_("GPU %d: %s"), device.index, device.name.c_str());
      gtk_combo_box_text_append(combo, nst::device_id(device.kind, device.index).c_str(), label);
      g_free(label);
    }
  }
  gtk_widget_set_tooltip_text(combo_,
                              _("Where to compute. A GPU is many times faster than the "
                                "CPU; GPUs appear here when LibTorch was built with CUDA."));
  gtk_widget_set_hexpand(combo_, TRUE);

  label_ = gtk_label_new_with_mnemonic(_("_Device"));
  gtk_label_set_mnemonic_widget(GTK_LABEL(label_), combo_);
  gtk_label_set_xalign(GTK_LABEL(label_), 0.0);
  row_ = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_pack_start(GTK_BOX(row_), label_, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(row_), combo_, TRUE, TRUE, 0);

  show_config();
  gtk_widget_show_all(row_);
  g_signal_connect(combo_, "changed", G_CALLBACK(chosen), this);
  config_handler_ = g_signal_connect(config_, "notify", G_CALLBACK(config_changed), this);
}

DeviceCombo::~DeviceCombo() {
  g_signal_handler_disconnect(config_, config_handler_);
  g_signal_handlers_disconnect_by_data(combo_, this);
}

void DeviceCombo::show_config() {
  gchar *nick = nullptr;
  gint index = 0;
  g_object_get(config_, "device", &nick, "device-index", &index, nullptr);
  // Combo ids are device ids: "auto", "cpu", "cuda:N"; the config's choice
  // names ("cuda") are device ids too.
  nst::DeviceKind kind = nst::DeviceKind::automatic;
  int ignored = 0;
  std::string error;
  nst::parse_device_id(nick ? nick : "auto", kind, ignored, error);
  const std::string id = nst::device_id(kind, index);
  g_free(nick);

  updating_ = true;
  if (!gtk_combo_box_set_active_id(GTK_COMBO_BOX(combo_), id.c_str())) {
    // A GPU remembered from another machine: shown, not silently replaced.
    gchar *label = g_strdup_printf(_("GPU %d (not found)"), index);
    gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(combo_), id.c_str(), label);
    g_free(label);
    gtk_combo_box_set_active_id(GTK_COMBO_BOX(combo_), id.c_str());
  }
  updating_ = false;
}

void DeviceCombo::chosen(GtkComboBox *combo, gpointer self) {
  DeviceCombo *device = static_cast<DeviceCombo *>(self);
  const char *id = gtk_combo_box_get_active_id(combo);
  if (device->updating_ || !id)
    return;
  nst::DeviceKind kind = nst::DeviceKind::automatic;
  int index = 0;
  std::string error;
  if (!nst::parse_device_id(id, kind, index, error))
    return;
  nst::Settings settings; // the device's choice name, as the config holds it
  settings.model.device = kind;
  device->updating_ = true;
  g_object_set(device->config_, "device",
               nst::parameter_text(*nst::find_parameter("device"), settings).c_str(),
               "device-index", index, nullptr);
  device->updating_ = false;
}

void DeviceCombo::config_changed(GObject * /*config*/, GParamSpec *pspec, gpointer self) {
  DeviceCombo *device = static_cast<DeviceCombo *>(self);
  const char *name = g_param_spec_get_name(pspec);
  if (!device->updating_ &&
      (g_strcmp0(name, "device") == 0 || g_strcmp0(name, "device-index") == 0))
    device->show_config();
}

void DeviceCombo::register_test(TestDriver &driver) {
  driver.on_set("device",
                [this](const std::string &value) { return set_widget_value(combo_, value); });
}

} // namespace nst_ui
