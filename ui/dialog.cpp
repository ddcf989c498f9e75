#include "dialog.h"

#include "device_combo.h"
#include "nst-i18n.h"
#include "quality_controls.h"
#include "style_list.h"
#include "style_picker.h"
#include "test_driver.h"
#include "time_estimate_label.h"
#include "weights_panel.h"

#include "nst/parameters.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

// The main section's arguments, above the advanced ones.
constexpr const char *kMainArguments[] = {"preserve-colors", "size"};
// A main-section choice with a widget of our own: libgimpui's buttons (Reset,
// Load and Save Defaults, OK, Cancel) leave no mnemonic letter for its label.
constexpr const char *kOwnMainChoice = "match-style-colors";
// Arguments with widgets of their own elsewhere in the dialog.
constexpr const char *kPanelArguments[] = {"device", "device-index", "weights-file"};

bool listed(const char *key, std::initializer_list<const char *> names) {
  for (const char *name : names)
    if (g_strcmp0(key, name) == 0)
      return true;
  return false;
}

// Every other parameter of the table is an advanced setting: numbers and
// choices with libgimpui's widgets, in the table's order; lists as text
// entries of our own, after them, and so are rows without a mnemonic
// (libgimpui wants a mnemonic for each of its widgets, and the dialog has no
// free letter left for these).
std::vector<const nst::Parameter *> advanced_parameters(bool text) {
  std::vector<const nst::Parameter *> rows;
  for (const nst::Parameter &p : nst::parameters()) {
    if (listed(p.key, {kMainArguments[0], kMainArguments[1], kOwnMainChoice}) ||
        listed(p.key, {kPanelArguments[0], kPanelArguments[1], kPanelArguments[2]}))
      continue;
    const bool own = p.kind == nst::ParameterKind::text || !std::strchr(p.label, '_');
    if (own == text)
      rows.push_back(&p);
  }
  return rows;
}

// An argument as a label (the table's, without its mnemonic) and `widget`,
// one of libgimpui's for the config's property.
struct OwnRow {
  OwnRow(const char *key, GtkWidget *value_widget) : widget(value_widget) {
    const nst::Parameter *parameter = nst::find_parameter(key);
    std::string text = parameter ? _(parameter->label) : key;
    text.erase(std::remove(text.begin(), text.end(), '_'), text.end());
    label = gtk_label_new(text.c_str());
    gtk_label_set_xalign(GTK_LABEL(label), 0.0);
    gtk_widget_set_hexpand(widget, TRUE);
    gtk_label_set_mnemonic_widget(GTK_LABEL(label), widget);
    if (parameter)
      gtk_widget_set_tooltip_text(widget, _(parameter->help));
    row = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
    gtk_box_pack_start(GTK_BOX(row), label, FALSE, FALSE, 0);
    gtk_box_pack_start(GTK_BOX(row), widget, TRUE, TRUE, 0);
    gtk_widget_show_all(row);
  }
  GtkWidget *row = nullptr, *label = nullptr, *widget = nullptr;
};

// A choice's combo box, or a fraction's spin button: three digits, steps
// of 0.01 (GimpLabelSpin's own increments do not fit a range below 1).
GtkWidget *own_widget(GimpProcedureConfig *config, const nst::Parameter &parameter) {
  if (parameter.kind == nst::ParameterKind::choice)
    return gimp_prop_choice_combo_box_new(G_OBJECT(config), parameter.key);
  return gimp_prop_spin_button_new(G_OBJECT(config), parameter.key, 0.01, 0.1, 3);
}

// The sections made of our own widgets. Destroyed before the dialog, so
// that no handler of theirs runs while GTK takes the widgets down.
struct DialogParts {
  DialogParts(GimpProcedureDialog *dialog, GimpProcedureConfig *config, GimpImage *image,
              const std::vector<nst::DeviceInfo> &devices, int width, int height,
              nst_ui::PreviewMaker preview_maker)
      : style(config), more_styles(config, image), quality(config), estimate(config, width, height),
        device(config, devices), weights(dialog, config),
        style_colors(kOwnMainChoice,
                     gimp_prop_choice_combo_box_new(G_OBJECT(config), kOwnMainChoice)),
        preview(config, std::move(preview_maker)) {}
  nst_ui::StylePicker style;
  nst_ui::StyleList more_styles;
  nst_ui::QualityControls quality;
  nst_ui::TimeEstimateLabel estimate;
  nst_ui::DeviceCombo device;
  nst_ui::WeightsPanel weights;
  OwnRow style_colors;
  nst_ui::PreviewPanel preview;
  std::vector<std::pair<const char *, GtkWidget *>> text_entries;
  std::vector<std::unique_ptr<OwnRow>> own_rows; // advanced choices and fractions of our own
};

GtkWidget *argument_widget(GimpProcedureDialog *dialog, const char *name) {
  return gimp_procedure_dialog_get_widget(dialog, name, G_TYPE_NONE);
}

void fill_advanced(GimpProcedureDialog *dialog, GimpProcedureConfig *config, DialogParts &parts) {
  GList *names = nullptr;
  for (const nst::Parameter *p : advanced_parameters(false))
    names = g_list_append(names, const_cast<char *>(p->key));
  GtkWidget *box = gimp_procedure_dialog_fill_box_list(dialog, "advanced-box", names);
  g_list_free(names);
  // Our entries' labels in the same column as libgimpui's.
  GtkSizeGroup *labels = gtk_size_group_new(GTK_SIZE_GROUP_HORIZONTAL);
  for (const nst::Parameter *p : advanced_parameters(false)) {
    GtkWidget *widget = argument_widget(dialog, p->key);
    if (GIMP_IS_LABELED(widget))
      gtk_size_group_add_widget(labels, gimp_labeled_get_label(GIMP_LABELED(widget)));
  }
  for (const nst::Parameter *p : advanced_parameters(true)) {
    if (p->kind == nst::ParameterKind::choice || p->kind == nst::ParameterKind::number) {
      parts.own_rows.push_back(std::make_unique<OwnRow>(p->key, own_widget(config, *p)));
      const OwnRow &row = *parts.own_rows.back();
      gtk_size_group_add_widget(labels, row.label);
      gtk_box_pack_start(GTK_BOX(box), row.row, FALSE, FALSE, 0);
      parts.text_entries.emplace_back(p->key, row.widget);
      continue;
    }
    GtkWidget *entry = p->kind == nst::ParameterKind::text
                           ? gimp_prop_label_entry_new(G_OBJECT(config), p->key, -1)
                           : gimp_prop_label_spin_new(G_OBJECT(config), p->key, 0);
    gtk_size_group_add_widget(labels, gimp_labeled_get_label(GIMP_LABELED(entry)));
    gtk_box_pack_start(GTK_BOX(box), entry, FALSE, FALSE, 0);
    gtk_widget_show(entry);
    parts.text_entries.emplace_back(p->key, entry);
  }
  g_object_unref(labels); // the labels keep it
  gimp_procedure_dialog_get_label(dialog, "advanced-label", _("Advanced Settings"), FALSE, FALSE);
  gimp_procedure_dialog_fill_expander(dialog, "advanced-expander", "advanced-label", FALSE,
                                      "advanced-box");

  // Small weights would show as 0.0 with the spin button's default digits.
  GtkWidget *tv_weight = argument_widget(dialog, "tv-weight");
  if (GIMP_IS_LABEL_SPIN(tv_weight))
    gimp_label_spin_set_digits(GIMP_LABEL_SPIN(tv_weight), 4);
}

// Top to bottom: style, more styles, quality, strength, estimate, preview, colours, size,
// device, weights, advanced. libgimpui packs its widgets first; ours join and all are sorted.
void lay_out(GimpProcedureDialog *dialog, DialogParts &parts) {
  gimp_procedure_dialog_fill(dialog, kMainArguments[0], kMainArguments[1], "advanced-expander",
                             nullptr);
  GtkBox *content = GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(dialog)));
  GtkWidget *order[] = {parts.style.widget(),
                        parts.more_styles.widget(),
                        parts.quality.quality_row(),
                        parts.quality.strength_row(),
                        parts.estimate.widget(),
                        parts.preview.widget(),
                        argument_widget(dialog, kMainArguments[0]),
                        parts.style_colors.row,
                        argument_widget(dialog, kMainArguments[1]),
                        parts.device.row(),
                        parts.weights.widget(),
                        argument_widget(dialog, "advanced-expander")};
  for (GtkWidget *widget :
       {parts.style.widget(), parts.more_styles.widget(), parts.quality.quality_row(),
        parts.quality.strength_row(), parts.estimate.widget(), parts.preview.widget(),
        parts.style_colors.row, parts.device.row(), parts.weights.widget()})
    gtk_box_pack_start(content, widget, FALSE, FALSE, 0);
  for (int position = 0; position < static_cast<int>(G_N_ELEMENTS(order)); ++position)
    if (order[position])
      gtk_box_reorder_child(content, order[position], position);

  // One column of labels for our rows and libgimpui's.
  GtkSizeGroup *labels = gtk_size_group_new(GTK_SIZE_GROUP_HORIZONTAL);
  gtk_size_group_add_widget(labels, parts.quality.quality_label());
  gtk_size_group_add_widget(labels, parts.quality.strength_label());
  gtk_size_group_add_widget(labels, parts.device.label());
  gtk_size_group_add_widget(labels, parts.style_colors.label);
  for (const char *name : kMainArguments) {
    GtkWidget *widget = argument_widget(dialog, name);
    if (GIMP_IS_LABELED(widget))
      gtk_size_group_add_widget(labels, gimp_labeled_get_label(GIMP_LABELED(widget)));
  }
  g_object_unref(labels); // the widgets keep it
}

// TEST-ONLY (test_script.h): what the GUI tests may set, click and read.
std::unique_ptr<nst_ui::TestDriver> test_driver(GimpProcedureDialog *dialog,
                                                GimpProcedureConfig *config, DialogParts &parts) {
  std::unique_ptr<nst_ui::TestDriver> driver =
      nst_ui::TestDriver::from_environment(nst_ui::TestCommand::Phase::dialog);
  if (!driver)
    return driver;
  parts.style.register_test(*driver);
  parts.more_styles.register_test(*driver);
  parts.quality.register_test(*driver);
  parts.estimate.register_test(*driver);
  parts.preview.register_test(*driver);
  parts.device.register_test(*driver);
  parts.weights.register_test(*driver);
  auto generic = [dialog](const char *name) {
    return [dialog, name](const std::string &value) {
      return nst_ui::set_widget_value(argument_widget(dialog, name), value);
    };
  };
  for (const char *name : kMainArguments)
    driver->on_set(name, generic(name));
  GtkWidget *style_colors = parts.style_colors.widget;
  driver->on_set(kOwnMainChoice, [style_colors](const std::string &value) {
    return nst_ui::set_widget_value(style_colors, value);
  });
  for (const nst::Parameter *p : advanced_parameters(false))
    driver->on_set(p->key, generic(p->key));
  for (const auto &[key, entry] : parts.text_entries) {
    GtkWidget *widget = entry;
    driver->on_set(key, [widget](const std::string &value) {
      return nst_ui::set_widget_value(widget, value);
    });
  }
  driver->on_set("weights-file", generic("weights-file"));
  driver->on_click("ok", [dialog] { gtk_dialog_response(GTK_DIALOG(dialog), GTK_RESPONSE_OK); });
  driver->on_click("advanced", [dialog] {
    GtkWidget *expander = argument_widget(dialog, "advanced-expander");
    if (GTK_IS_EXPANDER(expander))
      gtk_expander_set_expanded(GTK_EXPANDER(expander), TRUE);
  });
  driver->on_click("cancel",
                   [dialog] { gtk_dialog_response(GTK_DIALOG(dialog), GTK_RESPONSE_CANCEL); });
  driver->on_text("title",
                  [dialog] { return std::string(gtk_window_get_title(GTK_WINDOW(dialog))); });
  driver->set_config(G_OBJECT(config));
  driver->start();
  return driver;
}

} // namespace

namespace nst_ui {

bool run_dialog(GimpProcedure *procedure, GimpProcedureConfig *config, GimpImage *image,
                const std::vector<nst::DeviceInfo> &devices, int width, int height,
                PreviewMaker preview) {
  gimp_ui_init(NST_PLUGIN_NAME);

  GtkWidget *dialog = gimp_procedure_dialog_new(procedure, config, _("Neural Style Transfer"));
  GimpProcedureDialog *procedure_dialog = GIMP_PROCEDURE_DIALOG(dialog);
  bool run = false;
  {
    DialogParts parts(procedure_dialog, config, image, devices, width, height, std::move(preview));
    fill_advanced(procedure_dialog, config, parts);
    lay_out(procedure_dialog, parts);

    // OK needs a style.
    auto update_ok = [dialog, &parts] {
      gtk_dialog_set_response_sensitive(GTK_DIALOG(dialog), GTK_RESPONSE_OK,
                                        parts.style.has_style());
    };
    parts.style.on_changed(update_ok);
    update_ok();

    std::unique_ptr<nst_ui::TestDriver> test = test_driver(procedure_dialog, config, parts);
    run = gimp_procedure_dialog_run(procedure_dialog);
    if (run) {
      parts.style.commit();
      parts.more_styles.commit();
    }
    test.reset();
  }
  gtk_widget_destroy(dialog);
  return run;
}

} // namespace nst_ui
