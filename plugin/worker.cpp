#include "worker.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace nst_plugin {
namespace {

// The mailbox between the two threads: one pending update and a done flag.
struct Mailbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<ProgressUpdate> pending;
  bool done = false;
  nst::Status status;
};

nst::Status run_guarded(const WorkerJob &job, const PostUpdate &post) {
  try {
    return job(post);
  } catch (const std::exception &e) {
    return nst::Status::error(nst::ErrorCode::internal,
                              std::string("unexpected exception in the worker: ") + e.what());
  } catch (...) {
    return nst::Status::error(nst::ErrorCode::internal, "unexpected exception in the worker");
  }
}

} // namespace

nst::Status run_on_worker(const WorkerJob &job, const UpdateHandler &on_update) {
  Mailbox box;
  const PostUpdate post = [&box](const ProgressUpdate &update) {
    ProgressUpdate copy = update;
    copy.step.preview = nullptr; // only valid during the engine's callback
    {
      std::lock_guard<std::mutex> lock(box.mutex);
      box.pending = copy;
    }
    box.changed.notify_one();
  };

  std::thread worker([&box, &job, &post] {
    nst::Status status = run_guarded(job, post);
    {
      std::lock_guard<std::mutex> lock(box.mutex);
      box.status = std::move(status);
      box.done = true;
    }
    box.changed.notify_one();
  });

  for (;;) {
    std::optional<ProgressUpdate> update;
    bool done = false;
    {
      std::unique_lock<std::mutex> lock(box.mutex);
      box.changed.wait(lock, [&box] { return box.pending.has_value() || box.done; });
      update.swap(box.pending);
      done = box.done;
    }
    if (update && on_update)
      on_update(*update);
    if (done)
      break;
  }
  worker.join();
  return box.status;
}

} // namespace nst_plugin
