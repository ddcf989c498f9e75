#include "nst/job.h"

#include "nst/estimate.h"

#include "base/time_left.h"
#include "core/api_guard.h"
#include "core/memory_plan.h"
#include "core/validation.h"

namespace nst {
namespace {

bool same_model(const ModelOptions &a, const ModelOptions &b) {
  return a.weights_path == b.weights_path && a.preprocessing == b.preprocessing &&
         a.device == b.device && a.device_index == b.device_index && a.pooling == b.pooling &&
         a.threads == b.threads;
}

Status cancelled(const char *when) {
  return Status::error(ErrorCode::cancelled, std::string("cancelled ") + when);
}

} // namespace

Status Job::run(const Settings &settings, const std::vector<StyleImage> &styles,
                const std::vector<ImageView> &contents, std::vector<Image> &results,
                const JobCallback &progress, const CancelToken *cancel,
                std::vector<RunReport> *reports) {
  return run(settings, std::vector<std::vector<StyleImage>>(contents.size(), styles), contents,
             results, progress, cancel, reports);
}

Status Job::run(const Settings &settings, const std::vector<std::vector<StyleImage>> &styles_of,
                const std::vector<ImageView> &contents, std::vector<Image> &results,
                const JobCallback &progress, const CancelToken *cancel,
                std::vector<RunReport> *reports) {
  results.clear();
  if (reports)
    reports->clear();
  const int layer_count = static_cast<int>(contents.size());
  JobProgress update;
  update.layer_count = layer_count;
  auto post = [&progress, &update] {
    if (progress)
      progress(update);
  };

  // Settings that cannot work fail now, not after a download.
  std::vector<double> work(contents.size());
  Status status = guard_api("run", [&] {
    if (contents.empty())
      throw Error(ErrorCode::invalid_argument, "no image to stylise was given");
    if (styles_of.size() != contents.size())
      throw Error(ErrorCode::invalid_argument,
                  std::to_string(styles_of.size()) + " lists of styles were given for " +
                      std::to_string(contents.size()) + " images; expected one per image");
    validate_model_options(settings.model);
    for (std::size_t i = 0; i < contents.size(); ++i) {
      validate_request(contents[i], styles_of[i], settings.options);
      work[i] = planned_work(expected_plan(contents[i].width, contents[i].height, settings));
    }
  });
  if (!status.ok())
    return status;

  update.stage = JobProgress::Stage::download;
  std::string weights_path;
  status = ensure_weights(
      settings.model.weights_path, weights_path,
      [&](const DownloadProgress &download) {
        update.download = download;
        update.fraction = download.total_bytes ? static_cast<double>(download.received_bytes) /
                                                     static_cast<double>(download.total_bytes)
                                               : -1.0;
        post();
      },
      cancel ? cancel->download_cancel() : nullptr);
  if (cancel && cancel->cancel_requested())
    return cancelled("before loading the network");
  if (!status.ok())
    return status;

  ModelOptions model_options = settings.model;
  model_options.weights_path = weights_path;
  if (!model_ || !same_model(model_options, loaded_)) {
    update.stage = JobProgress::Stage::load_model;
    update.fraction = 0;
    post();
    model_.reset();
    status = load_model(model_options, model_, cancel);
    if (!status.ok())
      return status;
    loaded_ = model_options;
    ++loads_;
  }
  if (cancel && cancel->cancel_requested())
    return cancelled("before stylising");

  update.stage = JobProgress::Stage::stylise;
  for (int layer = 0; layer < layer_count; ++layer) {
    update.layer = layer;
    update.step = Progress{};
    post();
    double later_work = 0;
    for (int k = layer + 1; k < layer_count; ++k)
      later_work += work[static_cast<std::size_t>(k)];

    Image result;
    RunReport report;
    // estimate_run_seconds's answer: the content's planned work (the same
    // plan, the settings validated) at the rate before this run's is kept.
    const ImageView &content = contents[static_cast<std::size_t>(layer)];
    const double estimated_seconds = work[static_cast<std::size_t>(layer)] * step_rate(settings);
    status = stylise(
        *model_, content, styles_of[static_cast<std::size_t>(layer)], settings.options, result,
        [&](const Progress &step) {
          update.step = step;
          const double within =
              step.total_steps > 0 ? static_cast<double>(step.total_step) / step.total_steps : 0.0;
          update.fraction = (layer + within) / layer_count;
          // The later contents at this content's measured cost per pixel-step.
          update.remaining_seconds = -1;
          const double this_work = planned_work(step.plan);
          if (step.remaining_seconds >= 0 && this_work > 0)
            update.remaining_seconds =
                step.remaining_seconds +
                later_work * (step.elapsed_seconds + step.remaining_seconds) / this_work;
          post();
        },
        cancel, &report);
    report.estimated_seconds = estimated_seconds;
    if (reports)
      reports->push_back(report);
    if (!status.ok()) {
      results.clear();
      return status;
    }
    remember_step_rate(report.device, settings.options.precision, report.seconds_per_pixel_step);
    results.push_back(std::move(result));
  }
  return status;
}

} // namespace nst
