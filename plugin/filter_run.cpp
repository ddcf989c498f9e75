#include "filter_run.h"

#include "error_messages.h"
#include "gobject_ptr.h"
#include "layer_output.h"
#include "nst-i18n.h"
#include "pixel_bridge.h"
#include "procedure_arguments.h"
#include "progress_display.h"
#include "progress_text.h"
#include "read_limits.h"
#include "style_name.h"
#include "style_regions.h"
#include "style_source.h"
#include "worker.h"

#ifdef NST_HAVE_UI
#include "dialog.h"
#include "live_run.h"
#endif

#include <memory>
#include <string>
#include <vector>

namespace nst_plugin {
namespace {

GimpValueArray *failure(GimpProcedure *procedure, GimpPDBStatusType status,
                        const std::string &message) {
  GError *error = g_error_new_literal(GIMP_PLUG_IN_ERROR, 0, message.c_str());
  return gimp_procedure_new_return_values(procedure, status, error);
}

std::string item_name(GimpDrawable *drawable) {
  GCharPtr name(gimp_item_get_name(GIMP_ITEM(drawable)));
  return name ? name.get() : "";
}

// Checks the drawables GIMP passed. Returns an empty string when they can
// be processed, otherwise the translated reason.
std::string check_drawables(GimpDrawable **drawables) {
  if (!drawables || !drawables[0])
    return _("No layer is selected: select the layer to stylise.");
  for (GimpDrawable **d = drawables; *d; ++d) {
    if (!GIMP_IS_LAYER(*d))
      return std::string(_("Neural Style Transfer works on layers only, not on channels or "
                           "layer masks:")) +
             " " + item_name(*d);
    if (gimp_drawable_is_indexed(*d))
      return std::string(_("Indexed images are not supported: convert the image to RGB first "
                           "(Image > Mode > RGB). Layer:")) +
             " " + item_name(*d);
  }
  return {};
}

// The processed area of each layer: its part inside the selection (all of it
// without a selection) and the selection's values there. Nothing is read
// before its size is known to fit (`refusal` says why not, translated).
std::vector<LayerTarget> find_targets(GimpImage *image, GimpDrawable **drawables,
                                      std::size_t memory_limit_bytes, std::uint64_t &read_total,
                                      std::string &refusal) {
  GimpDrawable *selection = nullptr;
  if (!gimp_selection_is_empty(image))
    selection = GIMP_DRAWABLE(gimp_image_get_selection(image));

  std::vector<LayerTarget> targets;
  for (GimpDrawable **d = drawables; *d; ++d) {
    LayerTarget target;
    target.source = GIMP_LAYER(*d);
    gint x = 0, y = 0, width = 0, height = 0;
    if (!gimp_drawable_mask_intersect(*d, &x, &y, &width, &height) || width <= 0 || height <= 0)
      continue; // the selection misses this layer: nothing to do for it
    target.area = {x, y, width, height};
    refusal = read_refusal(item_name(*d), width, height, memory_limit_bytes, read_total);
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

// What one run stylises: every target layer's pixels with the same styles,
// each painting in its region of that layer.
struct LayerImages {
  std::vector<StyleSource> styles;    // RGB, with their blend weights and stroke sizes
  std::vector<nst::Image> contents;   // one per target layer, RGB or RGBA
  std::vector<TargetRegions> regions; // one per target layer
};

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

// Runs the engine's job over every layer (on the worker thread).
nst::Status stylise_layers(const nst::Settings &settings, const LayerImages &images,
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
  nst::Job job;
  return job.run(settings, styles_of, contents, results, progress, cancel);
}

#ifdef NST_HAVE_UI
// Interactive runs: the live window shows the picture every few steps and
// offers Stop (keep the current result) and Cancel (add nothing).
nst::Status run_in_live_window(nst::Settings settings, const LayerImages &images,
                               std::vector<nst::Image> &results) {
  settings.options.preview_every = nst_ui::kLivePreviewEvery;
  return nst_ui::run_live(_("Neural Style Transfer"), [&](const nst_ui::LivePost &post,
                                                          const nst::CancelToken &cancel) {
    return stylise_layers(
        settings, images, results,
        [&post](const nst::JobProgress &update) {
          nst_ui::LiveUpdate live;
          live.text = progress_text(update, false); // the window shows the time itself
          live.fraction = update.fraction;
          live.stylising =
              update.stage == nst::JobProgress::Stage::stylise && update.step.steps_in_scale > 0;
          live.step = update.step;
          live.step.preview = nullptr;
          live.remaining_seconds = update.remaining_seconds;
          if (update.step.preview) // valid only during this call
            live.preview = std::make_shared<const nst_ui::LivePreview>(
                nst_ui::make_live_preview(*update.step.preview, nst_ui::kLivePreviewSide));
          post(std::move(live));
        },
        &cancel);
  });
}
#endif

} // namespace

GimpValueArray *run_filter(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                           GimpDrawable **drawables, GimpProcedureConfig *config) {
  gegl_init(nullptr, nullptr);

  const std::string drawables_problem = check_drawables(drawables);
  if (!drawables_problem.empty())
    return failure(procedure, GIMP_PDB_EXECUTION_ERROR, drawables_problem);

  if (run_mode == GIMP_RUN_INTERACTIVE) {
#ifdef NST_HAVE_UI
    // The estimate's size: the first layer's pixels inside the selection.
    gint x = 0, y = 0, width = 0, height = 0;
    gimp_drawable_mask_intersect(drawables[0], &x, &y, &width, &height);
    if (!nst_ui::run_dialog(procedure, config, image, nst::list_devices(), width, height))
      return gimp_procedure_new_return_values(procedure, GIMP_PDB_CANCEL, nullptr);
#endif
  }

  FilterSettings settings;
  std::string problem;
  if (!read_filter_settings(config, settings, problem))
    return failure(procedure, GIMP_PDB_EXECUTION_ERROR, problem);

  std::uint64_t read_total = 0; // what the layers and styles will take, bounded by the limit
  std::vector<LayerTarget> targets = find_targets(
      image, drawables, settings.engine.options.memory_limit_bytes, read_total, problem);
  if (!problem.empty())
    return failure(procedure, GIMP_PDB_EXECUTION_ERROR, problem);
  if (targets.empty())
    return failure(procedure, GIMP_PDB_EXECUTION_ERROR,
                   _("The selection does not overlap the selected layers."));

  ProgressDisplay progress;

  // Styles are read in the content's colour space, so both match.
  const Babl *space_of = gimp_drawable_get_format(GIMP_DRAWABLE(targets.front().source));
  LayerImages images;
  if (!load_styles(settings, space_of, read_total, images.styles, problem))
    return failure(procedure, GIMP_PDB_EXECUTION_ERROR, problem);
  std::vector<std::string> style_names;
  for (const StyleSource &style : images.styles)
    style_names.push_back(style.name);
  const std::string style_name = blended_style_name(style_names);

  if (!read_style_regions(image, settings.styles, targets,
                          settings.engine.options.memory_limit_bytes, read_total, images.regions,
                          problem))
    return failure(procedure, GIMP_PDB_EXECUTION_ERROR, problem);

  for (const LayerTarget &target : targets)
    images.contents.push_back(read_target(target));

  // Nothing is written to the image before every result is complete: GIMP
  // kills the plug-in when the user cancels its progress.
  std::vector<nst::Image> results;
  nst::Status status;
#ifdef NST_HAVE_UI
  if (run_mode == GIMP_RUN_INTERACTIVE)
    status = run_in_live_window(settings.engine, images, results);
  else
#endif
    status = run_on_worker(
        [&](const PostProgress &post) {
          return stylise_layers(settings.engine, images, results, post, nullptr);
        },
        [&progress](const nst::JobProgress &update) { progress.show(update); });
  // Non-interactive runs come from scripts, which name the arguments.
  const Reader reader = run_mode == GIMP_RUN_NONINTERACTIVE ? Reader::script : Reader::dialog;
  if (status.code == nst::ErrorCode::cancelled) // the live window's Cancel
    return gimp_procedure_new_return_values(procedure, GIMP_PDB_CANCEL, nullptr);
  if (!status.ok())
    return failure(procedure, GIMP_PDB_EXECUTION_ERROR, error_message(status, reader));
  if (!results_match(results, images))
    return failure(procedure, GIMP_PDB_EXECUTION_ERROR,
                   error_message(nst::Status::error(
                                     nst::ErrorCode::internal,
                                     "the engine returned results of another size than the layers"),
                                 reader));

  // All results or none: a layer GIMP refuses, or an exception while
  // adding one, takes the ones already added out again.
  std::vector<GimpLayer *> layers; // null-terminated for the return value
  gimp_image_undo_group_start(image);
  auto take_back = [&] {
    for (GimpLayer *layer : layers)
      gimp_image_remove_layer(image, layer);
    layers.clear();
  };
  try {
    for (std::size_t i = 0; i < targets.size() && layers.size() == i; ++i)
      if (GimpLayer *layer = add_result_layer(image, targets[i], results[i], style_name))
        layers.push_back(layer);
  } catch (...) {
    take_back();
    gimp_image_undo_group_end(image);
    throw; // to the run's exception boundary
  }
  const bool all_added = layers.size() == targets.size();
  if (!all_added)
    take_back();
  gimp_image_undo_group_end(image);
  progress.finish();

  if (!all_added)
    return failure(procedure, GIMP_PDB_EXECUTION_ERROR,
                   _("GIMP refused to add the stylised layer to the image."));

  if (run_mode != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush();

  layers.push_back(nullptr);
  GimpValueArray *values = gimp_procedure_new_return_values(procedure, GIMP_PDB_SUCCESS, nullptr);
  GIMP_VALUES_SET_CORE_OBJECT_ARRAY(values, 1, layers.data());
  return values;
}

} // namespace nst_plugin
