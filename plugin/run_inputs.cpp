#include "run_inputs.h"

#include "gobject_ptr.h"
#include "item_name.h"
#include "nst-i18n.h"
#include "pixel_bridge.h"
#include "read_limits.h"
#include "style_name.h"

#include <cstdint>

namespace nst_plugin {
namespace {

// The processed area of each layer: its part inside the selection (all of it
// without a selection) and the selection's values there. Nothing is read
// before its size is known to fit (`refusal` says why not, translated).
std::vector<LayerTarget> find_targets(GimpImage *image, GimpDrawable **drawables,
                                      std::size_t layer_count, std::size_t memory_limit_bytes,
                                      std::uint64_t &read_total, std::string &refusal) {
  GimpDrawable *selection = nullptr;
  if (!gimp_selection_is_empty(image))
    selection = GIMP_DRAWABLE(gimp_image_get_selection(image));

  std::vector<LayerTarget> targets;
  for (GimpDrawable **d = drawables; *d && std::size_t(d - drawables) < layer_count; ++d) {
    LayerTarget target;
    target.source = GIMP_LAYER(*d);
    gint x = 0, y = 0, width = 0, height = 0;
    if (!gimp_drawable_mask_intersect(*d, &x, &y, &width, &height) || width <= 0 || height <= 0)
      continue; // the selection misses this layer: nothing to do for it
    target.area = {x, y, width, height};
    refusal = read_refusal(item_name(GIMP_ITEM(*d)), width, height, memory_limit_bytes, read_total);
    if (!refusal.empty())
      return {};
    read_total += read_bytes(width, height);
    if (selection) {
      gint offset_x = 0, offset_y = 0;
      gimp_drawable_get_offsets(*d, &offset_x, &offset_y);
      GObjectPtr<GeglBuffer> mask(gimp_drawable_get_buffer(selection));
      target.coverage = read_coverage(mask.get(), {offset_x + x, offset_y + y, width, height});
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

} // namespace

bool read_layer_images(GimpImage *image, GimpDrawable **drawables, std::size_t layer_count,
                       const FilterSettings &settings, LayerImages &images, std::string &problem) {
  const std::size_t memory_limit = settings.engine.options.memory_limit_bytes;
  std::uint64_t read_total = 0; // what the layers and styles will take, bounded by the limit
  images.targets = find_targets(image, drawables, layer_count, memory_limit, read_total, problem);
  if (!problem.empty())
    return false;
  if (images.targets.empty()) {
    problem = _("The selection does not overlap the selected layers.");
    return false;
  }

  // Styles are read in the content's colour space, so both match.
  const Babl *space_of = gimp_drawable_get_format(GIMP_DRAWABLE(images.targets.front().source));
  if (!load_styles(settings, space_of, read_total, images.styles, problem))
    return false;
  std::vector<std::string> style_names;
  for (const StyleSource &style : images.styles)
    style_names.push_back(style.name);
  images.style_name = blended_style_name(style_names);

  if (!read_style_regions(image, settings.styles, images.targets, memory_limit, read_total,
                          images.regions, problem))
    return false;

  for (const LayerTarget &target : images.targets)
    images.contents.push_back(read_target(target));
  return true;
}

bool results_match(const std::vector<nst::Image> &results, const LayerImages &images) {
  if (results.size() != images.contents.size())
    return false;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const nst::Image &in = images.contents[i], &out = results[i];
    if (out.width != in.width || out.height != in.height || out.channels != in.channels ||
        out.pixels.size() != in.pixels.size())
      return false;
  }
  return true;
}

nst::Status stylise_layers(nst::Job &job, const nst::Settings &settings, const LayerImages &images,
                           std::vector<nst::Image> &results, const nst::JobCallback &progress,
                           const nst::CancelToken *cancel) {
  std::vector<nst::ImageView> contents;
  for (const nst::Image &content : images.contents)
    contents.push_back(content.view());
  std::vector<std::vector<nst::StyleImage>> styles_of;
  for (std::size_t t = 0; t < images.contents.size(); ++t) {
    const TargetRegions &regions = images.regions[t];
    std::vector<nst::StyleImage> styles;
    for (std::size_t s = 0; s < images.styles.size(); ++s) {
      const StyleSource &style = images.styles[s];
      nst::StyleImage image{style.pixels.view(), style.weight, style.stroke_size};
      if (const int mask = regions.mask_of_style[s]; mask >= 0)
        image.region = {regions.masks[std::size_t(mask)].data(), images.contents[t].width,
                        images.contents[t].height, 0};
      styles.push_back(image);
    }
    styles_of.push_back(std::move(styles));
  }
  return job.run(settings, styles_of, contents, results, progress, cancel);
}

} // namespace nst_plugin
