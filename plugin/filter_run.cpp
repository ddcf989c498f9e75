#include "filter_run.h"

#include "error_messages.h"
#include "item_name.h"
#include "nst-i18n.h"
#include "procedure_arguments.h"
#include "progress_display.h"
#include "run_inputs.h"
#include "worker.h"

#ifdef NST_HAVE_UI
#include "dialog.h"
#include "live_jobs.h"
#endif

#include <cstdint>
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

// Checks the drawables GIMP passed. Returns an empty string when they can
// be processed, otherwise the translated reason.
std::string check_drawables(GimpDrawable **drawables) {
  if (!drawables || !drawables[0])
    return _("No layer is selected: select the layer to stylise.");
  for (GimpDrawable **d = drawables; *d; ++d) {
    if (!GIMP_IS_LAYER(*d))
      return std::string(_("Neural Style Transfer works on layers only, not on channels or "
                           "layer masks:")) +
             " " + item_name(GIMP_ITEM(*d));
    if (gimp_drawable_is_indexed(*d))
      return std::string(_("Indexed images are not supported: convert the image to RGB first "
                           "(Image > Mode > RGB). Layer:")) +
             " " + item_name(GIMP_ITEM(*d));
  }
  return {};
}

#ifdef NST_HAVE_UI
// Interactive runs: the live window shows the picture every few steps and
// offers Stop (keep the current result) and Cancel (add nothing).
nst::Status run_in_live_window(nst::Settings settings, const LayerImages &images,
                               std::vector<nst::Image> &results) {
  nst_ui::ask_for_live_previews(settings.options);
  return nst_ui::run_live(_("Neural Style Transfer"),
                          [&](const nst_ui::LivePost &post, const nst::CancelToken &cancel) {
                            nst::Job job;
                            return stylise_layers(
                                job, settings, images, results,
                                [&post](const nst::JobProgress &update) {
                                  post(live_update(update, nst_ui::kLivePreviewSide));
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
    if (!nst_ui::run_dialog(procedure, config, image, nst::list_devices(), width, height,
                            preview_maker(image, drawables[0], config)))
      return gimp_procedure_new_return_values(procedure, GIMP_PDB_CANCEL, nullptr);
#endif
  }

  FilterSettings settings;
  std::string problem;
  if (!read_filter_settings(config, settings, problem))
    return failure(procedure, GIMP_PDB_EXECUTION_ERROR, problem);

  LayerImages images;
  if (!read_layer_images(image, drawables, SIZE_MAX, settings, images, problem))
    return failure(procedure, GIMP_PDB_EXECUTION_ERROR, problem);
  const std::vector<LayerTarget> &targets = images.targets;

  ProgressDisplay progress;

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
          nst::Job job;
          return stylise_layers(job, settings.engine, images, results, post, nullptr);
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
      if (GimpLayer *layer = add_result_layer(image, targets[i], results[i], images.style_name))
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
