#include "picture.h"

#include <algorithm>

namespace nst_ui {

bool show_picture(GtkWidget *image, const LivePreview &preview, int box_width, int box_height) {
  if (preview.width <= 0 || preview.height <= 0)
    return false;
  GdkPixbuf *pixels =
      gdk_pixbuf_new_from_data(preview.rgb.data(), GDK_COLORSPACE_RGB, FALSE, 8, preview.width,
                               preview.height, preview.width * 3, nullptr, nullptr);
  const double factor = std::min(static_cast<double>(box_width) / preview.width,
                                 static_cast<double>(box_height) / preview.height);
  GdkPixbuf *shown = gdk_pixbuf_scale_simple(
      pixels, std::max(1, static_cast<int>(preview.width * factor)),
      std::max(1, static_cast<int>(preview.height * factor)), GDK_INTERP_BILINEAR);
  g_object_unref(pixels);
  if (!shown)
    return false;
  gtk_image_set_from_pixbuf(GTK_IMAGE(image), shown);
  g_object_unref(shown);
  return true;
}

} // namespace nst_ui
