#include "quality_controls.h"

#include "nst-i18n.h"
#include "quality_presets.h"
#include "strength.h"
#include "test_driver.h"

#include <string>

namespace nst_ui {

QualityControls::QualityControls(GimpProcedureConfig *config) : config_(config) {
  quality_combo_ = gtk_combo_box_text_new();
  GtkComboBoxText *combo = GTK_COMBO_BOX_TEXT(quality_combo_);
  gtk_combo_box_text_append(combo, quality_id(Quality::draft),
                            _("Draft: a 384 px preview, quickest"));
  gtk_combo_box_text_append(combo, quality_id(Quality::balanced), _("Balanced: every pixel"));
  gtk_combo_box_text_append(combo, quality_id(Quality::fine),
                            _("Fine: every pixel, twice the steps, slow"));
  gtk_combo_box_text_append(combo, quality_id(Quality::custom),
                            _("Custom (see Advanced Settings)"));
  gtk_widget_set_tooltip_text(
      quality_combo_,
      _("Sets the processing size, the scales and the number of steps. The result always has "
        "the layer's size; a larger processing size paints finer detail. On 2 CPU cores Draft "
        "takes about half a minute, Balanced about a minute and Fine about six minutes, "
        "whatever the layer's size; a GPU is many times faster."));
  gtk_widget_set_hexpand(quality_combo_, TRUE);

  quality_label_ = gtk_label_new_with_mnemonic(_("_Quality"));
  gtk_label_set_mnemonic_widget(GTK_LABEL(quality_label_), quality_combo_);
  gtk_label_set_xalign(GTK_LABEL(quality_label_), 0.0);
  quality_row_ = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_pack_start(GTK_BOX(quality_row_), quality_label_, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(quality_row_), quality_combo_, TRUE, TRUE, 0);

  strength_ = gimp_scale_entry_new(_("Strengt_h"), 50.0, kStrengthMinimum, kStrengthMaximum, 0);
  gtk_widget_set_tooltip_text(strength_,
                              _("How much of the style the result takes: low values keep more of "
                                "the layer, high values follow the style's textures more. 50 is "
                                "the default style weight; each 25 points multiply it by 10."));

  show_config();
  gtk_widget_show_all(quality_row_);
  gtk_widget_show_all(strength_);

  g_signal_connect(quality_combo_, "changed", G_CALLBACK(quality_chosen), this);
  g_signal_connect(strength_, "value-changed", G_CALLBACK(strength_moved), this);
  config_handler_ = g_signal_connect(config_, "notify", G_CALLBACK(config_changed), this);
}

QualityControls::~QualityControls() {
  g_signal_handler_disconnect(config_, config_handler_);
  g_signal_handlers_disconnect_by_data(quality_combo_, this);
  g_signal_handlers_disconnect_by_data(strength_, this);
}

GtkWidget *QualityControls::strength_label() const {
  return gimp_labeled_get_label(GIMP_LABELED(strength_));
}

void QualityControls::show_config() {
  gint size = 0, iterations = 0;
  gdouble style_weight = 0;
  gchar *scales = nullptr;
  g_object_get(config_, "size", &size, "iterations", &iterations, "scales", &scales, "style-weight",
               &style_weight, nullptr);
  const Quality quality = quality_of(size, iterations, scales ? scales : "");
  g_free(scales);

  updating_ = true;
  gtk_combo_box_set_active_id(GTK_COMBO_BOX(quality_combo_), quality_id(quality));
  gimp_label_spin_set_value(GIMP_LABEL_SPIN(strength_), strength_for_style_weight(style_weight));
  updating_ = false;
}

void QualityControls::quality_chosen(GtkComboBox *combo, gpointer self) {
  QualityControls *controls = static_cast<QualityControls *>(self);
  Quality quality = Quality::custom;
  const char *id = gtk_combo_box_get_active_id(combo);
  if (controls->updating_ || !id || !quality_from_id(id, quality) || quality == Quality::custom)
    return; // "Custom" keeps whatever the Advanced section says
  const QualitySettings settings = quality_settings(quality);
  controls->updating_ = true;
  g_object_set(controls->config_, "size", settings.size, "iterations", settings.iterations,
               "scales", settings.scales.c_str(), nullptr);
  controls->updating_ = false;
}

void QualityControls::strength_moved(GimpLabelSpin *spin, gpointer self) {
  QualityControls *controls = static_cast<QualityControls *>(self);
  if (controls->updating_)
    return;
  controls->updating_ = true;
  g_object_set(controls->config_, "style-weight",
               style_weight_for_strength(gimp_label_spin_get_value(spin)), nullptr);
  controls->updating_ = false;
}

void QualityControls::config_changed(GObject * /*config*/, GParamSpec *pspec, gpointer self) {
  QualityControls *controls = static_cast<QualityControls *>(self);
  const std::string name = g_param_spec_get_name(pspec);
  if (!controls->updating_ &&
      (name == "size" || name == "iterations" || name == "scales" || name == "style-weight"))
    controls->show_config();
}

void QualityControls::register_test(TestDriver &driver) {
  driver.on_set("quality", [this](const std::string &value) {
    return set_widget_value(quality_combo_, value);
  });
  driver.on_set("strength",
                [this](const std::string &value) { return set_widget_value(strength_, value); });
}

} // namespace nst_ui
