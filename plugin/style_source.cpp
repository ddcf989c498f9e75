#include "style_source.h"

#include "nst-i18n.h"
#include "pixel_bridge.h"
#include "read_limits.h"
#include "style_name.h"

namespace nst_plugin {
namespace {

// What a run may still read: the memory limit bounds all of it.
struct ReadBudget {
  std::size_t memory_limit_bytes;
  std::uint64_t &read_total;
};

// Reads the drawable's pixels when their size fits (else `error` says why).
bool read_drawable(GimpDrawable *drawable, const std::string &what, const Babl *space_of,
                   ReadBudget budget, nst::Image &pixels, std::string &error) {
  const GeglRectangle area = {0, 0, gimp_drawable_get_width(drawable),
                              gimp_drawable_get_height(drawable)};
  error = read_refusal(what, area.width, area.height, budget.memory_limit_bytes, budget.read_total);
  if (!error.empty())
    return false;
  budget.read_total += read_bytes(area.width, area.height);
  GObjectPtr<GeglBuffer> buffer(gimp_drawable_get_buffer(drawable));
  pixels = read_pixels_over_white(buffer.get(), area, space_of);
  return true;
}

std::string file_display_name(GFile *file) {
  GCharPtr name(g_file_get_parse_name(file));
  return name ? name.get() : "";
}

bool load_style_file(GFile *file, const Babl *space_of, ReadBudget budget, StyleSource &style,
                     std::string &error) {
  GimpImage *image = gimp_file_load(GIMP_RUN_NONINTERACTIVE, file);
  if (!image) {
    const char *detail = gimp_pdb_get_last_error(gimp_get_pdb());
    error = std::string(_("The style image could not be read:")) + " " + file_display_name(file);
    if (detail && *detail)
      error += "\n" + std::string(detail);
    return false;
  }

  // A style file may have several layers: use what is visible, image-sized.
  GimpLayer *merged = gimp_image_merge_visible_layers(image, GIMP_CLIP_TO_IMAGE);
  const bool read = merged && read_drawable(GIMP_DRAWABLE(merged), file_display_name(file),
                                            space_of, budget, style.pixels, error);
  gimp_image_delete(image);
  if (!merged) {
    error = std::string(_("The style image has no visible layer:")) + " " + file_display_name(file);
    return false;
  }
  if (!read)
    return false;

  GCharPtr base(g_file_get_basename(file));
  style.name = style_name_from_path(base ? base.get() : "");
  return true;
}

bool load_style(const StyleChoice &choice, const Babl *space_of, ReadBudget budget,
                StyleSource &style, std::string &error) {
  style.weight = choice.weight;
  style.stroke_size = choice.stroke_size;
  if (choice.file)
    return load_style_file(choice.file.get(), space_of, budget, style, error);

  GimpDrawable *layer = GIMP_DRAWABLE(choice.layer.get());
  GCharPtr name(gimp_item_get_name(GIMP_ITEM(layer)));
  style.name = name ? name.get() : "";
  if (!read_drawable(layer, style.name, space_of, budget, style.pixels, error))
    return false;
  if (style.pixels.width <= 0 || style.pixels.height <= 0) {
    error = _("The style layer is empty.");
    return false;
  }
  return true;
}

} // namespace

bool load_styles(const FilterSettings &settings, const Babl *space_of, std::uint64_t &read_total,
                 std::vector<StyleSource> &styles, std::string &error) {
  const ReadBudget budget{settings.engine.options.memory_limit_bytes, read_total};
  styles.clear();
  for (const StyleChoice &choice : settings.styles) {
    styles.emplace_back();
    if (!load_style(choice, space_of, budget, styles.back(), error)) {
      styles.clear();
      return false;
    }
  }
  return true;
}

} // namespace nst_plugin
