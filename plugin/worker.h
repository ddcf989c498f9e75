// Runs the engine off the main thread while the main thread alone talks to
// GIMP: libgimp's connection to GIMP is not thread-safe, so the worker only
// posts progress and the calling thread turns it into gimp_progress calls.
// No GIMP types here.
#pragma once

#include "nst/engine.h"
#include "nst/weights.h"

#include <functional>

namespace nst_plugin {

struct ProgressUpdate {
  enum class Stage { download, load_model, stylise };
  Stage stage = Stage::load_model;
  int task = 0;                   // 0-based index of the layer being stylised
  int task_count = 1;             // layers in this run
  nst::Progress step;             // for Stage::stylise; its `preview` is always null
  nst::DownloadProgress download; // for Stage::download
};

using PostUpdate = std::function<void(const ProgressUpdate &)>;
using WorkerJob = std::function<nst::Status(const PostUpdate &post)>;
using UpdateHandler = std::function<void(const ProgressUpdate &)>;

// Runs `job` on a new thread and waits for it. While it runs, the calling
// thread receives the job's updates through `on_update`; when updates come
// faster than they are handled only the newest is delivered. Returns the
// job's status; an exception escaping the job becomes ErrorCode::internal.
nst::Status run_on_worker(const WorkerJob &job, const UpdateHandler &on_update);

} // namespace nst_plugin
