// The one worker thread of the plug-in and its dialog: the engine works on
// it while the calling (main) thread alone talks to GIMP and GTK, since
// libgimp's connection is not thread-safe. Between the two threads: a
// mailbox with the newest update (older ones are dropped when updates come
// faster than they are shown) and the job's end; an exception escaping the
// job becomes ErrorCode::internal. No GIMP types here.
#pragma once

#include "exception_boundary.h"
#include "nst/job.h"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace nst_plugin {

template <typename Update> class Worker {
public:
  using Post = std::function<void(Update)>;
  using Job = std::function<nst::Status(const Post &post)>;
  // When an update replaces one not yet taken, `keep` may carry parts of the
  // older one over (a preview picture the newer one lacks).
  using Keep = std::function<void(Update &older, Update &newer)>;

  explicit Worker(const Job &job, Keep keep = {}) : keep_(std::move(keep)) {
    thread_ = std::thread([this, job] {
      nst::Status status = guarded(job);
      std::lock_guard<std::mutex> lock(mutex_);
      status_ = std::move(status);
      done_ = true;
      changed_.notify_one();
    });
  }
  ~Worker() {
    if (thread_.joinable())
      thread_.join();
  }
  Worker(const Worker &) = delete;
  Worker &operator=(const Worker &) = delete;

  // The newest update not yet taken, if any; `wait` blocks until there is
  // one or the job has ended.
  std::optional<Update> take(bool wait) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (wait)
      changed_.wait(lock, [this] { return pending_.has_value() || done_; });
    std::optional<Update> update;
    update.swap(pending_);
    return update;
  }
  bool done() {
    std::lock_guard<std::mutex> lock(mutex_);
    return done_ && !pending_;
  }
  // The job's status, once done() (joins the thread).
  nst::Status finish() {
    if (thread_.joinable())
      thread_.join();
    return status_;
  }

private:
  nst::Status guarded(const Job &job) {
    const Post post = [this](Update update) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (pending_ && keep_)
        keep_(*pending_, update);
      pending_ = std::move(update);
      changed_.notify_one();
    };
    return exception_boundary(
        "the worker", [&] { return job(post); },
        [](nst::ErrorCode code, const std::string &message) {
          return nst::Status::error(code, message);
        });
  }

  Keep keep_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Update> pending_;
  bool done_ = false;
  nst::Status status_;
  std::thread thread_;
};

using PostProgress = std::function<void(const nst::JobProgress &)>;
using ProgressJob = std::function<nst::Status(const PostProgress &post)>;
using ProgressHandler = std::function<void(const nst::JobProgress &)>;

// Runs `job` on a worker and waits for it; the calling thread receives the
// job's progress through `on_update` (the preview pointer cleared: it is only
// valid during the engine's callback). Returns the job's status.
nst::Status run_on_worker(const ProgressJob &job, const ProgressHandler &on_update);

} // namespace nst_plugin
