#include "style_regions.h"

#include "gobject_ptr.h"
#include "item_name.h"
#include "nst-i18n.h"
#include "pixel_bridge.h"
#include "read_limits.h"

#include "nst/text_format.h"

#include <algorithm>

namespace nst_plugin {
namespace {

// The drawable a style's mask names, or null with `error`.
GimpDrawable *mask_drawable(GimpImage *image, const StyleMask &mask, std::string &error) {
  if (mask.kind == StyleMask::Kind::selection) {
    if (gimp_selection_is_empty(image)) {
      error = _("style-masks names the selection, but the image has no selection.");
      return nullptr;
    }
    return GIMP_DRAWABLE(gimp_image_get_selection(image));
  }
  if (!gimp_item_id_is_channel(mask.item_id) && !gimp_item_id_is_layer_mask(mask.item_id)) {
    error = nst::format(_("style-masks: no channel or layer mask has the ID %d."), mask.item_id);
    return nullptr;
  }
  GimpItem *item = gimp_item_get_by_id(mask.item_id);
  if (gimp_item_get_image(item) != image) {
    error = nst::format(_("style-masks: the mask \"%s\" (ID %d) belongs to another image than the "
                          "layers being painted; a mask must be of their image."),
                        item_name(item).c_str(), mask.item_id);
    return nullptr;
  }
  return GIMP_DRAWABLE(item);
}

} // namespace

bool read_style_regions(GimpImage *image, const std::vector<StyleChoice> &styles,
                        const std::vector<LayerTarget> &targets, std::size_t memory_limit_bytes,
                        std::uint64_t &read_total, std::vector<TargetRegions> &regions,
                        std::string &error) {
  // The drawables first: every name is checked before anything is read.
  std::vector<GimpDrawable *> drawables; // distinct, in the order first named
  std::vector<int> mask_of_style;
  for (const StyleChoice &style : styles) {
    if (style.mask.kind == StyleMask::Kind::everywhere) {
      mask_of_style.push_back(-1);
      continue;
    }
    GimpDrawable *drawable = mask_drawable(image, style.mask, error);
    if (!drawable)
      return false;
    const auto found = std::find(drawables.begin(), drawables.end(), drawable);
    mask_of_style.push_back(int(found - drawables.begin()));
    if (found == drawables.end())
      drawables.push_back(drawable);
  }
  regions.clear();
  for (const LayerTarget &target : targets) {
    TargetRegions target_regions;
    target_regions.mask_of_style = mask_of_style;
    gint layer_x = 0, layer_y = 0;
    gimp_drawable_get_offsets(GIMP_DRAWABLE(target.source), &layer_x, &layer_y);
    for (GimpDrawable *drawable : drawables) {
      error = read_refusal(item_name(GIMP_ITEM(drawable)), target.area.width, target.area.height,
                           memory_limit_bytes, read_total, 1);
      if (!error.empty())
        return false;
      read_total += read_bytes(target.area.width, target.area.height, 1);
      // The target's area in the mask's own coordinates (a layer mask has
      // its layer's offsets; a channel the image's).
      gint mask_x = 0, mask_y = 0;
      gimp_drawable_get_offsets(drawable, &mask_x, &mask_y);
      GObjectPtr<GeglBuffer> buffer(gimp_drawable_get_buffer(drawable));
      target_regions.masks.push_back(read_coverage(
          buffer.get(), {layer_x + target.area.x - mask_x, layer_y + target.area.y - mask_y,
                         target.area.width, target.area.height}));
    }
    regions.push_back(std::move(target_regions));
  }
  return true;
}

} // namespace nst_plugin
