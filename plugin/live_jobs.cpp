#include "live_jobs.h"

#include "progress_text.h"
#include "quality_presets.h"

#include <memory>
#include <utility>

namespace nst_plugin {

nst_ui::LiveUpdate live_update(const nst::JobProgress &update, int picture_side) {
  nst_ui::LiveUpdate live;
  live.text = progress_text(update, false); // the windows show the time themselves
  live.fraction = update.fraction;
  live.stylising =
      update.stage == nst::JobProgress::Stage::stylise && update.step.steps_in_scale > 0;
  live.step = update.step;
  live.step.preview = nullptr;
  live.remaining_seconds = update.remaining_seconds;
  if (update.step.preview)
    live.preview = std::make_shared<const nst_ui::LivePreview>(
        nst_ui::make_live_preview(*update.step.preview, picture_side));
  return live;
}

nst_ui::PreviewMaker preview_maker(GimpImage *image, GimpDrawable *drawable,
                                   GimpProcedureConfig *config) {
  auto job = std::make_shared<nst::Job>(); // one rendering at a time uses it
  return [image, drawable, config, job](std::string &problem) -> nst_ui::LiveJob {
    FilterSettings settings;
    if (!read_filter_settings(config, settings, problem))
      return {};
    const nst_ui::QualitySettings draft = nst_ui::quality_settings(nst_ui::Quality::draft);
    nst::Options &options = settings.engine.options;
    options.size = draft.size;
    options.iterations = draft.iterations;
    options.scales.clear();
    options.iterations_per_scale.clear();
    nst_ui::ask_for_live_previews(options);
    auto images = std::make_shared<LayerImages>();
    GimpDrawable *layers[] = {drawable, nullptr};
    if (!read_layer_images(image, layers, 1, settings, *images, problem))
      return {};
    return [job, images, engine = settings.engine](const nst_ui::LivePost &post,
                                                   const nst::CancelToken &cancel) {
      std::vector<nst::Image> results;
      const nst::Status status = stylise_layers(
          *job, engine, *images, results,
          [&post](const nst::JobProgress &update) {
            post(live_update(update, nst_ui::kLivePreviewSide));
          },
          &cancel);
      if (status.ok() && !results.empty()) { // the finished look, colours preserved and all
        nst_ui::LiveUpdate last;
        last.fraction = 1.0;
        last.preview = std::make_shared<const nst_ui::LivePreview>(
            nst_ui::make_live_preview(results.front(), nst_ui::kLivePreviewSide));
        post(std::move(last));
      }
      return status;
    };
  };
}

} // namespace nst_plugin
