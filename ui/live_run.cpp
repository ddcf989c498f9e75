#include "live_run.h"

#include "live_window.h"
#include "worker.h"

namespace nst_ui {
namespace {

constexpr guint kPollMilliseconds = 40;

using LiveWorker = nst_plugin::Worker<LiveUpdate>;

struct Poll {
  LiveWorker *worker;
  LiveWindow *window;
  GMainLoop *loop;
};

gboolean poll(gpointer data) {
  Poll *poll = static_cast<Poll *>(data);
  if (std::optional<LiveUpdate> update = poll->worker->take(false))
    poll->window->show(*update);
  if (poll->worker->done()) {
    g_main_loop_quit(poll->loop);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

} // namespace

nst::Status run_live(const std::string &title, const LiveJob &job) {
  nst::CancelToken cancel;
  LiveWindow window(title, cancel);
  // A picture is kept until shown, even when a later update has none.
  LiveWorker worker([&job, &cancel](const LivePost &post) { return job(post, cancel); },
                    [](LiveUpdate &older, LiveUpdate &newer) {
                      if (!newer.preview)
                        newer.preview = std::move(older.preview);
                    });
  GMainLoop *loop = g_main_loop_new(nullptr, FALSE);
  Poll state{&worker, &window, loop};
  g_timeout_add(kPollMilliseconds, poll, &state);
  g_main_loop_run(loop); // until poll() sees the end
  g_main_loop_unref(loop);
  return worker.finish();
}

} // namespace nst_ui
