#include "worker.h"

namespace nst_plugin {

nst::Status run_on_worker(const ProgressJob &job, const ProgressHandler &on_update) {
  Worker<nst::JobProgress> worker([&job](const Worker<nst::JobProgress>::Post &post) {
    return job([&post](const nst::JobProgress &progress) {
      nst::JobProgress copy = progress;
      copy.step.preview = nullptr;
      post(std::move(copy));
    });
  });
  while (!worker.done()) {
    std::optional<nst::JobProgress> update = worker.take(true);
    if (update && on_update)
      on_update(*update);
  }
  return worker.finish();
}

} // namespace nst_plugin
