#include "layer_output.h"

#include "gobject_ptr.h"
#include "nst-i18n.h"
#include "pixel_bridge.h"

namespace nst_plugin {
namespace {

GimpImageType result_type(GimpLayer *source, bool needs_alpha) {
  const GimpImageType type = gimp_drawable_type(GIMP_DRAWABLE(source));
  const bool gray = type == GIMP_GRAY_IMAGE || type == GIMP_GRAYA_IMAGE;
  if (gray)
    return needs_alpha ? GIMP_GRAYA_IMAGE : GIMP_GRAY_IMAGE;
  return needs_alpha ? GIMP_RGBA_IMAGE : GIMP_RGB_IMAGE;
}

std::string result_name(GimpLayer *source, const std::string &style_name) {
  GCharPtr source_name(gimp_item_get_name(GIMP_ITEM(source)));
  // TRANSLATORS: the new layer's name: the source layer's name, then the style's.
  GCharPtr name(
      g_strdup_printf(_("%s (%s)"), source_name ? source_name.get() : "", style_name.c_str()));
  return name.get();
}

} // namespace

nst::Image read_target(const LayerTarget &target) {
  GimpDrawable *drawable = GIMP_DRAWABLE(target.source);
  GObjectPtr<GeglBuffer> buffer(gimp_drawable_get_buffer(drawable));
  return read_pixels(buffer.get(), target.area, gimp_drawable_get_format(drawable),
                     gimp_drawable_has_alpha(drawable));
}

GimpLayer *add_result_layer(GimpImage *image, const LayerTarget &target, const nst::Image &result,
                            const std::string &style_name) {
  GimpDrawable *source = GIMP_DRAWABLE(target.source);
  const bool needs_alpha = gimp_drawable_has_alpha(source) || !target.coverage.empty();
  GimpLayer *layer = gimp_layer_new(
      image, result_name(target.source, style_name).c_str(), target.area.width, target.area.height,
      result_type(target.source, needs_alpha), 100.0, gimp_image_get_default_new_layer_mode(image));
  if (!layer)
    return nullptr;

  gint offset_x = 0, offset_y = 0;
  gimp_drawable_get_offsets(source, &offset_x, &offset_y);
  gimp_layer_set_offsets(layer, offset_x + target.area.x, offset_y + target.area.y);

  GimpItem *parent = gimp_item_get_parent(GIMP_ITEM(target.source));
  const gint position = gimp_image_get_item_position(image, GIMP_ITEM(target.source));
  // Inserting at the source's position puts the new layer right above it.
  if (!gimp_image_insert_layer(image, layer, parent ? GIMP_LAYER(parent) : nullptr, position)) {
    gimp_item_delete(GIMP_ITEM(layer));
    return nullptr;
  }

  GimpDrawable *drawable = GIMP_DRAWABLE(layer);
  {
    GObjectPtr<GeglBuffer> buffer(gimp_drawable_get_buffer(drawable));
    const GeglRectangle whole = {0, 0, target.area.width, target.area.height};
    write_pixels(buffer.get(), whole, gimp_drawable_get_format(drawable), result, target.coverage);
  } // releasing the buffer flushes it to GIMP
  gimp_drawable_update(drawable, 0, 0, target.area.width, target.area.height);
  return layer;
}

} // namespace nst_plugin
