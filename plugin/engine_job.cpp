#include "engine_job.h"

#include "nst/weights.h"

#include <memory>

namespace nst_plugin {

nst::Status run_engine(const EngineRequest &request, std::vector<nst::Image> &results,
                       const PostUpdate &post) {
  results.clear();
  const int task_count = static_cast<int>(request.contents.size());

  ProgressUpdate update;
  update.task_count = task_count;

  update.stage = ProgressUpdate::Stage::download;
  std::string weights_path;
  nst::Status status = nst::ensure_weights(
      request.engine.model.weights_path, weights_path,
      [&](const nst::DownloadProgress &download) {
        update.download = download;
        post(update);
      },
      request.cancel_download);
  if (!status.ok())
    return status;
  if (request.cancel && request.cancel->cancel_requested())
    return nst::Status::error(nst::ErrorCode::cancelled, "cancelled before loading the network");

  update.stage = ProgressUpdate::Stage::load_model;
  post(update);
  nst::ModelOptions model_options = request.engine.model;
  model_options.weights_path = weights_path;
  std::shared_ptr<nst::Model> model;
  status = nst::load_model(model_options, model);
  if (!status.ok())
    return status;

  const std::vector<nst::StyleImage> styles = {{request.style.view(), 1.0f}};
  update.stage = ProgressUpdate::Stage::stylise;
  for (int task = 0; task < task_count; ++task) {
    update.task = task;
    update.step = nst::Progress{};
    post(update);

    nst::Image result;
    status = nst::stylise(
        *model, request.contents[static_cast<std::size_t>(task)].view(), styles,
        request.engine.options, result,
        [&](const nst::Progress &progress) {
          update.step = progress;
          post(update);
        },
        request.cancel);
    if (!status.ok()) {
      results.clear();
      return status;
    }
    results.push_back(std::move(result));
  }
  return status;
}

} // namespace nst_plugin
