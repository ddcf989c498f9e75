#include "live_run.h"

#include "live_window.h"

#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace nst_ui {
namespace {

constexpr guint kPollMilliseconds = 40;

// Between the worker and the main thread: the newest update, the newest
// picture (kept apart so that a later update without one does not drop
// it), and the end.
struct Mailbox {
  std::mutex mutex;
  std::optional<LiveUpdate> update;
  std::shared_ptr<const LivePreview> preview;
  bool done = false;
  nst::Status status;
};

struct Poll {
  Mailbox *box;
  LiveWindow *window;
  GMainLoop *loop;
};

gboolean poll(gpointer data) {
  Poll *poll = static_cast<Poll *>(data);
  std::optional<LiveUpdate> update;
  std::shared_ptr<const LivePreview> preview;
  bool done = false;
  {
    std::lock_guard<std::mutex> lock(poll->box->mutex);
    update.swap(poll->box->update);
    preview.swap(poll->box->preview);
    done = poll->box->done;
  }
  if (update) {
    update->preview = preview;
    poll->window->show(*update);
  }
  if (done) {
    g_main_loop_quit(poll->loop);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

nst::Status run_guarded(const LiveJob &job, const LivePost &post, LiveControl &control) {
  try {
    return job(post, control);
  } catch (const std::exception &e) {
    return nst::Status::error(nst::ErrorCode::internal,
                              std::string("unexpected exception in the worker: ") + e.what());
  } catch (...) {
    return nst::Status::error(nst::ErrorCode::internal, "unexpected exception in the worker");
  }
}

} // namespace

nst::Status run_live(const std::string &title, const LiveJob &job) {
  LiveControl control;
  LiveWindow window(title, control);
  Mailbox box;
  const LivePost post = [&box](LiveUpdate update) {
    std::lock_guard<std::mutex> lock(box.mutex);
    if (update.preview)
      box.preview = std::move(update.preview);
    box.update = std::move(update);
  };

  std::thread worker([&box, &job, &post, &control] {
    nst::Status status = run_guarded(job, post, control);
    std::lock_guard<std::mutex> lock(box.mutex);
    box.status = std::move(status);
    box.done = true;
  });

  GMainLoop *loop = g_main_loop_new(nullptr, FALSE);
  Poll state{&box, &window, loop};
  g_timeout_add(kPollMilliseconds, poll, &state);
  g_main_loop_run(loop); // until poll() sees the end
  g_main_loop_unref(loop);
  worker.join();
  return box.status;
}

} // namespace nst_ui
