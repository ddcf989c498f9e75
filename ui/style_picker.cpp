#include "style_picker.h"

#include "nst-i18n.h"
#include "test_driver.h"

#include <cstdlib>

namespace nst_ui {
namespace {

constexpr int kThumbnailSize = 96;

GdkPixbuf *file_thumbnail(GFile *file) {
  gchar *path = g_file_get_path(file);
  GdkPixbuf *pixbuf =
      path ? gdk_pixbuf_new_from_file_at_scale(path, kThumbnailSize, kThumbnailSize, TRUE, nullptr)
           : nullptr;
  g_free(path);
  return pixbuf; // null for formats only GIMP reads (the run still loads them)
}

} // namespace

StylePicker::StylePicker(GimpProcedureConfig *config) : config_(config) {
  GimpLayer *layer = nullptr;
  GFile *file = nullptr;
  g_object_get(config_, "style-layer", &layer, "style-file", &file, nullptr);

  layer_button_ = gtk_radio_button_new_with_mnemonic(nullptr, _("A la_yer of an open image:"));
  file_button_ = gtk_radio_button_new_with_mnemonic_from_widget(GTK_RADIO_BUTTON(layer_button_),
                                                                _("An image _file:"));
  layer_combo_ = gimp_layer_combo_box_new(nullptr, nullptr, nullptr);
  file_chooser_ = gimp_file_chooser_new(GIMP_FILE_CHOOSER_ACTION_OPEN, nullptr,
                                        _("Choose the Style Image"), file);
  gtk_widget_set_hexpand(layer_combo_, TRUE);
  gtk_widget_set_hexpand(file_chooser_, TRUE);
  thumbnail_ = gtk_image_new();
  gtk_widget_set_size_request(thumbnail_, kThumbnailSize, kThumbnailSize);
  gtk_widget_set_tooltip_text(thumbnail_, _("Preview of the chosen style"));

  if (layer)
    gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(layer_combo_),
                                  gimp_item_get_id(GIMP_ITEM(layer)));
  gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(layer ? layer_button_ : file_button_), TRUE);
  if (layer)
    g_object_unref(layer);
  if (file)
    g_object_unref(file);

  GtkWidget *grid = gtk_grid_new();
  gtk_grid_set_row_spacing(GTK_GRID(grid), 4);
  gtk_grid_set_column_spacing(GTK_GRID(grid), 6);
  gtk_grid_attach(GTK_GRID(grid), layer_button_, 0, 0, 1, 1);
  gtk_grid_attach(GTK_GRID(grid), layer_combo_, 1, 0, 1, 1);
  gtk_grid_attach(GTK_GRID(grid), file_button_, 0, 1, 1, 1);
  gtk_grid_attach(GTK_GRID(grid), file_chooser_, 1, 1, 1, 1);
  gtk_grid_attach(GTK_GRID(grid), thumbnail_, 2, 0, 1, 2);

  frame_ = gimp_frame_new(_("Style"));
  gtk_container_add(GTK_CONTAINER(frame_), grid);
  gtk_widget_show_all(frame_);

  g_signal_connect(layer_button_, "toggled", G_CALLBACK(source_toggled), this);
  g_signal_connect(layer_combo_, "changed", G_CALLBACK(layer_changed), this);
  g_signal_connect(layer_combo_, "notify::popup-shown", G_CALLBACK(layer_popup), this);
  g_signal_connect(file_chooser_, "notify::file", G_CALLBACK(file_changed), this);
  config_handler_ = g_signal_connect(config_, "notify", G_CALLBACK(config_changed), this);
  commit(); // the config now names exactly the shown source
}

StylePicker::~StylePicker() {
  // Before the dialog destroys the widgets: nothing may write the config then.
  g_signal_handler_disconnect(config_, config_handler_);
  for (GtkWidget *widget : {layer_button_, layer_combo_, file_chooser_})
    g_signal_handlers_disconnect_by_data(widget, this);
}

bool StylePicker::layer_mode() const {
  return gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(layer_button_));
}

GimpLayer *StylePicker::chosen_layer() const {
  gint id = 0;
  if (!gimp_int_combo_box_get_active(GIMP_INT_COMBO_BOX(layer_combo_), &id))
    return nullptr;
  return gimp_layer_get_by_id(id); // owned by libgimp
}

GFile *StylePicker::chosen_file() const {
  GFile *file = gimp_file_chooser_get_file(GIMP_FILE_CHOOSER(file_chooser_));
  return file ? G_FILE(g_object_ref(file)) : nullptr;
}

bool StylePicker::has_style() const {
  if (layer_mode())
    return chosen_layer() != nullptr;
  GFile *file = chosen_file();
  if (file)
    g_object_unref(file);
  return file != nullptr;
}

void StylePicker::commit() {
  updating_ = true;
  if (layer_mode()) {
    g_object_set(config_, "style-layer", chosen_layer(), "style-file", nullptr, nullptr);
  } else {
    GFile *file = chosen_file();
    g_object_set(config_, "style-file", file, "style-layer", nullptr, nullptr);
    if (file)
      g_object_unref(file);
  }
  updating_ = false;
  update_thumbnail();
  if (changed_)
    changed_();
}

void StylePicker::show_config() {
  GimpLayer *layer = nullptr;
  GFile *file = nullptr;
  g_object_get(config_, "style-layer", &layer, "style-file", &file, nullptr);
  updating_ = true;
  if (layer) {
    gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(layer_combo_),
                                  gimp_item_get_id(GIMP_ITEM(layer)));
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(layer_button_), TRUE);
  } else {
    gimp_file_chooser_set_file(GIMP_FILE_CHOOSER(file_chooser_), file);
    if (file)
      gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(file_button_), TRUE);
  }
  updating_ = false;
  if (layer)
    g_object_unref(layer);
  if (file)
    g_object_unref(file);
  update_thumbnail();
  if (changed_)
    changed_();
}

void StylePicker::update_thumbnail() {
  GdkPixbuf *pixbuf = nullptr;
  if (layer_mode()) {
    if (GimpLayer *layer = chosen_layer())
      pixbuf = gimp_drawable_get_thumbnail(GIMP_DRAWABLE(layer), kThumbnailSize, kThumbnailSize,
                                           GIMP_PIXBUF_SMALL_CHECKS);
  } else if (GFile *file = chosen_file()) {
    pixbuf = file_thumbnail(file);
    g_object_unref(file);
  }
  if (pixbuf) {
    gtk_image_set_from_pixbuf(GTK_IMAGE(thumbnail_), pixbuf);
    g_object_unref(pixbuf);
  } else {
    gtk_image_set_from_icon_name(GTK_IMAGE(thumbnail_), "image-x-generic", GTK_ICON_SIZE_DIALOG);
  }
}

void StylePicker::source_toggled(GtkToggleButton * /*button*/, gpointer self) {
  StylePicker *picker = static_cast<StylePicker *>(self);
  if (!picker->updating_)
    picker->commit();
}

// Choosing a layer or a file also chooses that kind of source.
void StylePicker::layer_changed(GtkComboBox * /*combo*/, gpointer self) {
  StylePicker *picker = static_cast<StylePicker *>(self);
  if (picker->updating_)
    return;
  if (!picker->layer_mode())
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(picker->layer_button_), TRUE); // commits
  else
    picker->commit();
}

// Opening the layer list chooses a layer as the source, even when the user
// then keeps the layer it already showed (no "changed" then).
void StylePicker::layer_popup(GObject *combo, GParamSpec * /*pspec*/, gpointer self) {
  StylePicker *picker = static_cast<StylePicker *>(self);
  gboolean shown = FALSE;
  g_object_get(combo, "popup-shown", &shown, nullptr);
  if (shown && !picker->updating_ && !picker->layer_mode())
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(picker->layer_button_), TRUE); // commits
}

void StylePicker::file_changed(GObject * /*chooser*/, GParamSpec * /*pspec*/, gpointer self) {
  StylePicker *picker = static_cast<StylePicker *>(self);
  if (picker->updating_)
    return;
  GFile *file = picker->chosen_file();
  if (file && picker->layer_mode())
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(picker->file_button_), TRUE); // commits
  else
    picker->commit();
  if (file)
    g_object_unref(file);
}

void StylePicker::config_changed(GObject * /*config*/, GParamSpec *pspec, gpointer self) {
  StylePicker *picker = static_cast<StylePicker *>(self);
  const char *name = g_param_spec_get_name(pspec);
  if (!picker->updating_ &&
      (g_strcmp0(name, "style-layer") == 0 || g_strcmp0(name, "style-file") == 0))
    picker->show_config();
}

void StylePicker::register_test(TestDriver &driver) {
  driver.on_set("style-source", [this](const std::string &value) {
    if (value != "layer" && value != "file")
      return false;
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(value == "layer" ? layer_button_ : file_button_),
                                 TRUE);
    return true;
  });
  // As a user would: open the list, pick the layer.
  driver.on_set("style-layer", [this](const std::string &value) {
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(layer_button_), TRUE);
    return gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(layer_combo_),
                                         std::atoi(value.c_str())) != FALSE;
  });
  driver.on_set("style-file", [this](const std::string &value) {
    return set_widget_value(file_chooser_, value);
  });
}

} // namespace nst_ui
