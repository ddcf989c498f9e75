#include "style_list.h"

#include "blend_weights.h"
#include "gobject_ptr.h"
#include "nst-i18n.h"
#include "test_driver.h"

#include "style_mask_text.h"

#include "nst/parameters.h"
#include "nst/text_format.h"

#include <cstdlib>
#include <string>

namespace nst_ui {
namespace {

using nst_plugin::GCharPtr;
using nst_plugin::StyleMask;

constexpr double kMaximumWeight = 1000.0;
// Rows the test script can reach by number (style-weight-2 is the first row).
constexpr int kScriptedRows = 8;

// Stroke sizes from a quarter to four times style-scale's.
constexpr double kSmallestStroke = 0.25, kLargestStroke = 4.0;

GtkWidget *spin(double minimum, double maximum, double value, const char *tooltip) {
  GtkWidget *spin = gtk_spin_button_new_with_range(minimum, maximum, 0.05);
  gtk_spin_button_set_digits(GTK_SPIN_BUTTON(spin), 2);
  gtk_spin_button_set_value(GTK_SPIN_BUTTON(spin), value);
  gtk_widget_set_tooltip_text(spin, tooltip);
  return spin;
}

GtkWidget *weight_spin(double weight) {
  return spin(0.0, kMaximumWeight, weight, _("Blend weight of this style"));
}

GtkWidget *stroke_spin(double stroke_size) {
  return spin(kSmallestStroke, kLargestStroke, stroke_size,
              _("Stroke size of this style, relative to the style scale: 2 paints its brush "
                "strokes twice as large"));
}

void pack_labelled(GtkWidget *row, const char *label, GtkWidget *widget) {
  gtk_box_pack_start(GTK_BOX(row), gtk_label_new(label), FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(row), widget, FALSE, FALSE, 0);
}

// "Weight [ ] Stroke size [ ]" packed into a row.
void pack_numbers(GtkWidget *row, GtkWidget *weight, GtkWidget *stroke) {
  pack_labelled(row, _("Weight"), weight);
  pack_labelled(row, _("Stroke size"), stroke);
}

StyleMask style_mask(int code) {
  StyleMask mask;
  if (code == kSelection)
    mask.kind = StyleMask::Kind::selection;
  else if (code > 0)
    mask = {StyleMask::Kind::item, code};
  return mask;
}

int mask_code(const StyleMask &mask) {
  switch (mask.kind) {
  case StyleMask::Kind::selection: return kSelection;
  case StyleMask::Kind::item: return mask.item_id;
  case StyleMask::Kind::everywhere: break;
  }
  return kEverywhere;
}

int active_value(GtkWidget *combo) {
  gint value = kEverywhere;
  gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(combo), &value);
  return value;
}

std::string item_name(GimpItem *item) {
  GCharPtr name(gimp_item_get_name(item));
  return name ? name.get() : "";
}

// The per-style numbers of `key` in the config, or `count` ones when the
// text does not give one per style (a closed image, a script's mistake).
std::vector<float> per_style_numbers(const gchar *text, std::size_t count) {
  std::vector<float> numbers;
  std::string error;
  if (!nst::parse_weights(text ? text : "", numbers, error) || numbers.size() != count)
    numbers.assign(count, 1.0f);
  return numbers;
}

// A path where the file is local, else its URI: what style-file-list takes.
std::string file_argument(GFile *file) {
  GCharPtr path(g_file_get_path(file));
  if (path)
    return path.get();
  GCharPtr uri(g_file_get_uri(file));
  return uri ? uri.get() : "";
}

} // namespace

StyleList::StyleList(GimpProcedureConfig *config, GimpImage *image)
    : config_(config), image_(image) {
  first_weight_ = weight_spin(1.0);
  first_stroke_ = stroke_spin(1.0);
  first_mask_ = mask_combo(kEverywhere);
  GtkWidget *first_label = gtk_label_new(_("The first style:"));
  gtk_label_set_xalign(GTK_LABEL(first_label), 0.0);
  first_numbers_ = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
  pack_numbers(first_numbers_, first_weight_, first_stroke_);
  first_weight_row_ = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_pack_start(GTK_BOX(first_weight_row_), first_label, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(first_weight_row_), first_numbers_, FALSE, FALSE, 0);
  pack_labelled(first_weight_row_, _("Paints"), first_mask_);

  rows_box_ = gtk_box_new(GTK_ORIENTATION_VERTICAL, 4);
  add_layer_ = gtk_button_new_with_label(_("Add a style layer"));
  add_file_ = gtk_button_new_with_label(_("Add a style file"));
  GtkWidget *buttons = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_pack_start(GTK_BOX(buttons), add_layer_, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(buttons), add_file_, FALSE, FALSE, 0);

  GtkWidget *box = gtk_box_new(GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_pack_start(GTK_BOX(box), first_weight_row_, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(box), rows_box_, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(box), buttons, FALSE, FALSE, 0);
  frame_ = gimp_frame_new(_("More styles, and where each paints"));
  gtk_container_add(GTK_CONTAINER(frame_), box);
  gtk_widget_show_all(frame_);

  for (GtkWidget *number : {first_weight_, first_stroke_})
    g_signal_connect(number, "value-changed", G_CALLBACK(first_style_changed), this);
  g_signal_connect(first_mask_, "changed", G_CALLBACK(first_mask_changed), this);
  g_signal_connect(add_layer_, "clicked", G_CALLBACK(add_layer_clicked), this);
  g_signal_connect(add_file_, "clicked", G_CALLBACK(add_file_clicked), this);
  config_handler_ = g_signal_connect(config_, "notify", G_CALLBACK(config_changed), this);
  show_config();
}

StyleList::~StyleList() {
  // Before the dialog destroys the widgets: nothing may write the config then.
  g_signal_handler_disconnect(config_, config_handler_);
  for (GtkWidget *widget : {first_weight_, first_stroke_, first_mask_, add_layer_, add_file_})
    g_signal_handlers_disconnect_by_data(widget, this);
  for (const auto &row : rows_)
    for (GtkWidget *widget : {row->chooser, row->weight, row->stroke, row->mask, row->remove})
      g_signal_handlers_disconnect_by_data(widget, row.get());
}

GtkWidget *StyleList::mask_combo(int active) const {
  GtkWidget *combo =
      gimp_int_combo_box_new(_("Everywhere"), kEverywhere, _("The selection"), kSelection, nullptr);
  const auto append = [combo](GimpItem *item, const std::string &label) {
    gimp_int_combo_box_append(GIMP_INT_COMBO_BOX(combo), GIMP_INT_STORE_VALUE,
                              gimp_item_get_id(item), GIMP_INT_STORE_LABEL, label.c_str(), -1);
  };
  if (image_) {
    GimpChannel **channels = gimp_image_get_channels(image_);
    for (GimpChannel **c = channels; c && *c; ++c)
      append(GIMP_ITEM(*c), item_name(GIMP_ITEM(*c)));
    g_free(channels);
    GimpLayer **layers = gimp_image_get_layers(image_);
    for (GimpLayer **l = layers; l && *l; ++l)
      if (GimpLayerMask *mask = gimp_layer_get_mask(*l))
        append(GIMP_ITEM(mask), nst::format(_("Mask of %s"), item_name(GIMP_ITEM(*l)).c_str()));
    g_free(layers);
  }
  if (!gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(combo), active))
    gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(combo), kEverywhere); // a closed channel
  gtk_widget_set_tooltip_text(combo, _("Where this style paints: everywhere, in the selection, or "
                                       "in a channel or layer mask of the image (soft masks "
                                       "blend)"));
  return combo;
}

void StyleList::add_row(bool layer, GimpLayer *initial_layer, GFile *initial_file, double weight,
                        double stroke_size, int mask) {
  auto row = std::make_unique<Row>();
  row->list = this;
  row->layer = layer;
  if (layer) {
    row->chooser = gimp_layer_combo_box_new(nullptr, nullptr, nullptr);
    if (initial_layer)
      gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(row->chooser),
                                    gimp_item_get_id(GIMP_ITEM(initial_layer)));
    g_signal_connect(row->chooser, "changed", G_CALLBACK(row_changed), row.get());
  } else {
    row->chooser = gimp_file_chooser_new(GIMP_FILE_CHOOSER_ACTION_OPEN, nullptr,
                                         _("Choose the Style Image"), initial_file);
    g_signal_connect(row->chooser, "notify::file", G_CALLBACK(file_changed), row.get());
  }
  gtk_widget_set_hexpand(row->chooser, TRUE);
  row->weight = weight_spin(weight);
  row->stroke = stroke_spin(stroke_size);
  for (GtkWidget *number : {row->weight, row->stroke})
    g_signal_connect(number, "value-changed", G_CALLBACK(row_changed), row.get());
  row->mask = mask_combo(mask);
  g_signal_connect(row->mask, "changed", G_CALLBACK(row_changed), row.get());
  row->remove = gtk_button_new_from_icon_name("list-remove", GTK_ICON_SIZE_BUTTON);
  gtk_widget_set_tooltip_text(row->remove, _("Remove this style"));
  g_signal_connect(row->remove, "clicked", G_CALLBACK(remove_clicked), row.get());

  row->box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_pack_start(GTK_BOX(row->box), row->chooser, TRUE, TRUE, 0);
  pack_numbers(row->box, row->weight, row->stroke);
  pack_labelled(row->box, _("Paints"), row->mask);
  gtk_box_pack_start(GTK_BOX(row->box), row->remove, FALSE, FALSE, 0);
  gtk_box_pack_start(GTK_BOX(rows_box_), row->box, FALSE, FALSE, 0);
  gtk_widget_show_all(row->box);
  rows_.push_back(std::move(row));
  update_first_weight();
}

void StyleList::remove_row(Row *row) {
  for (auto it = rows_.begin(); it != rows_.end(); ++it) {
    if (it->get() != row)
      continue;
    for (GtkWidget *widget : {row->chooser, row->weight, row->stroke, row->mask, row->remove})
      g_signal_handlers_disconnect_by_data(widget, row);
    gtk_widget_destroy(row->box);
    rows_.erase(it);
    break;
  }
  update_first_weight();
}

void StyleList::remove_all_rows() {
  while (!rows_.empty())
    remove_row(rows_.back().get());
}

void StyleList::update_first_weight() {
  // One style needs no weight or stroke size (style-scale is its size).
  gtk_widget_set_visible(first_numbers_, !rows_.empty());
}

void StyleList::commit() {
  std::vector<int> layer_ids;
  std::vector<std::string> files;
  std::vector<ExtraStyle> extra;
  for (const auto &row : rows_) {
    const double weight = gtk_spin_button_get_value(GTK_SPIN_BUTTON(row->weight));
    const double stroke = gtk_spin_button_get_value(GTK_SPIN_BUTTON(row->stroke));
    const int mask = active_value(row->mask);
    if (row->layer) {
      gint id = 0;
      if (!gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(row->chooser), &id) || id <= 0)
        continue; // a row not chosen yet is no style
      layer_ids.push_back(id);
      extra.push_back({true, weight, stroke, mask});
    } else {
      GFile *file = gimp_file_chooser_get_file(GIMP_FILE_CHOOSER(row->chooser));
      if (!file)
        continue;
      files.push_back(file_argument(file));
      extra.push_back({false, weight, stroke, mask});
    }
  }
  std::vector<const gchar *> file_names;
  for (const std::string &name : files)
    file_names.push_back(name.c_str());
  file_names.push_back(nullptr);

  updating_ = true;
  const std::string weights_text =
      blend_weights_text(gtk_spin_button_get_value(GTK_SPIN_BUTTON(first_weight_)), extra);
  const std::string strokes_text =
      stroke_sizes_text(gtk_spin_button_get_value(GTK_SPIN_BUTTON(first_stroke_)), extra);
  std::vector<StyleMask> masks = {style_mask(active_value(first_mask_))};
  for (const ExtraStyle *style : in_procedure_order(extra))
    masks.push_back(style_mask(style->mask));
  g_object_set(config_, "style-layer-ids", nst::numbers_text(layer_ids).c_str(), "style-file-list",
               file_names.data(), "style-blend-weights", weights_text.c_str(), "style-stroke-sizes",
               strokes_text.c_str(), "style-masks", nst_plugin::style_masks_text(masks).c_str(),
               nullptr);
  updating_ = false;
}

void StyleList::show_config() {
  gchar *ids_text = nullptr;
  gchar **files = nullptr;
  gchar *weights_text = nullptr;
  gchar *strokes_text = nullptr;
  gchar *masks_text = nullptr;
  g_object_get(config_, "style-layer-ids", &ids_text, "style-file-list", &files,
               "style-blend-weights", &weights_text, "style-stroke-sizes", &strokes_text,
               "style-masks", &masks_text, nullptr);
  GCharPtr owned_ids(ids_text), owned_weights(weights_text), owned_strokes(strokes_text),
      owned_masks(masks_text);

  std::vector<int> ids;
  std::string error;
  std::vector<GimpLayer *> layer_list;
  if (nst::parse_numbers(ids_text ? ids_text : "", 1, G_MAXINT32, ids, error))
    for (int id : ids)
      if (gimp_item_id_is_layer(id))
        layer_list.push_back(gimp_layer_get_by_id(id)); // owned by libgimp
  std::vector<GFile *> file_list;
  for (gchar **f = files; f && *f; ++f)
    if (**f)
      file_list.push_back(g_file_new_for_commandline_arg(*f));
  g_strfreev(files);

  // The first style's numbers, then the layers', then the files'.
  const std::size_t count = 1 + layer_list.size() + file_list.size();
  const std::vector<float> weights = per_style_numbers(weights_text, count);
  const std::vector<float> strokes = per_style_numbers(strokes_text, count);
  std::vector<StyleMask> masks;
  if (!nst_plugin::parse_style_masks(masks_text ? masks_text : "", masks, error) ||
      masks.size() != count)
    masks.assign(count, StyleMask{});

  updating_ = true;
  remove_all_rows();
  gtk_spin_button_set_value(GTK_SPIN_BUTTON(first_weight_), weights[0]);
  gtk_spin_button_set_value(GTK_SPIN_BUTTON(first_stroke_), strokes[0]);
  if (!gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(first_mask_), mask_code(masks[0])))
    gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(first_mask_), kEverywhere);
  std::size_t next = 1;
  for (GimpLayer *layer : layer_list) {
    add_row(true, layer, nullptr, weights[next], strokes[next], mask_code(masks[next]));
    ++next;
  }
  for (GFile *file : file_list) {
    add_row(false, nullptr, file, weights[next], strokes[next], mask_code(masks[next]));
    ++next;
    g_object_unref(file);
  }
  update_first_weight(); // also when there is no row at all
  updating_ = false;
}

void StyleList::row_changed(GtkWidget * /*widget*/, gpointer row) {
  StyleList *list = static_cast<Row *>(row)->list;
  if (!list->updating_)
    list->commit();
}

void StyleList::file_changed(GObject * /*chooser*/, GParamSpec * /*pspec*/, gpointer row) {
  row_changed(nullptr, row);
}

void StyleList::remove_clicked(GtkButton * /*button*/, gpointer row) {
  StyleList *list = static_cast<Row *>(row)->list;
  list->remove_row(static_cast<Row *>(row));
  list->commit();
}

void StyleList::add_layer_clicked(GtkButton * /*button*/, gpointer self) {
  StyleList *list = static_cast<StyleList *>(self);
  list->add_row(true, nullptr, nullptr, 1.0, 1.0, kEverywhere);
  list->commit();
}

void StyleList::add_file_clicked(GtkButton * /*button*/, gpointer self) {
  StyleList *list = static_cast<StyleList *>(self);
  list->add_row(false, nullptr, nullptr, 1.0, 1.0, kEverywhere);
  list->commit();
}

void StyleList::first_style_changed(GtkSpinButton * /*spin*/, gpointer self) {
  StyleList *list = static_cast<StyleList *>(self);
  if (!list->updating_)
    list->commit();
}

void StyleList::first_mask_changed(GtkComboBox * /*combo*/, gpointer self) {
  StyleList *list = static_cast<StyleList *>(self);
  if (!list->updating_)
    list->commit();
}

void StyleList::config_changed(GObject * /*config*/, GParamSpec *pspec, gpointer self) {
  StyleList *list = static_cast<StyleList *>(self);
  const char *name = g_param_spec_get_name(pspec);
  if (!list->updating_ &&
      (g_strcmp0(name, "style-layer-ids") == 0 || g_strcmp0(name, "style-file-list") == 0 ||
       g_strcmp0(name, "style-blend-weights") == 0 || g_strcmp0(name, "style-stroke-sizes") == 0 ||
       g_strcmp0(name, "style-masks") == 0))
    list->show_config();
}

void StyleList::register_test(TestDriver &driver) {
  // As a user would: add a row, then choose its layer or file.
  driver.on_set("add-style-layer", [this](const std::string &value) {
    add_row(true, nullptr, nullptr, 1.0, 1.0, kEverywhere);
    const bool set = gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(rows_.back()->chooser),
                                                   std::atoi(value.c_str())) != FALSE;
    commit();
    return set;
  });
  driver.on_set("add-style-file", [this](const std::string &value) {
    add_row(false, nullptr, nullptr, 1.0, 1.0, kEverywhere);
    return set_widget_value(rows_.back()->chooser, value); // commits
  });
  driver.on_set("style-weight-1", [this](const std::string &value) {
    return set_widget_value(first_weight_, value);
  });
  driver.on_set("style-stroke-1", [this](const std::string &value) {
    return set_widget_value(first_stroke_, value);
  });
  driver.on_set("style-mask-1",
                [this](const std::string &value) { return set_widget_value(first_mask_, value); });
  for (int number = 2; number <= kScriptedRows + 1; ++number) {
    const std::size_t index = std::size_t(number - 2);
    driver.on_set("style-weight-" + std::to_string(number), [this, index](const std::string &v) {
      return index < rows_.size() && set_widget_value(rows_[index]->weight, v);
    });
    driver.on_set("style-stroke-" + std::to_string(number), [this, index](const std::string &v) {
      return index < rows_.size() && set_widget_value(rows_[index]->stroke, v);
    });
    driver.on_set("style-mask-" + std::to_string(number), [this, index](const std::string &v) {
      return index < rows_.size() && set_widget_value(rows_[index]->mask, v);
    });
    driver.on_click("remove-style-" + std::to_string(number), [this, index] {
      if (index < rows_.size())
        gtk_button_clicked(GTK_BUTTON(rows_[index]->remove));
    });
  }
}

} // namespace nst_ui
