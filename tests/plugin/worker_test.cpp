// The worker thread: the job runs elsewhere, updates arrive on the caller's
// thread, the status comes back, exceptions become errors.
#include "worker.h"

#include <gtest/gtest.h>

#include <future>
#include <optional>
#include <stdexcept>
#include <thread>

namespace {

using nst_plugin::PostProgress;
using nst_plugin::run_on_worker;
using ProgressUpdate = nst::JobProgress;
using PostUpdate = PostProgress;

TEST(Worker, RunsTheJobOnAnotherThreadAndDeliversUpdatesOnTheCaller) {
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id job_thread;
  int updates = 0, last_step = 0;
  bool all_on_caller = true;

  const nst::Status status = run_on_worker(
      [&](const PostUpdate &post) {
        job_thread = std::this_thread::get_id();
        ProgressUpdate update;
        update.stage = nst::JobProgress::Stage::stylise;
        for (int step = 1; step <= 50; ++step) {
          update.step.step = step;
          post(update);
        }
        return nst::Status::success();
      },
      [&](const ProgressUpdate &update) {
        all_on_caller = all_on_caller && std::this_thread::get_id() == caller;
        EXPECT_GT(update.step.step, last_step) << "updates arrive in order";
        last_step = update.step.step;
        ++updates;
      });

  EXPECT_TRUE(status.ok());
  EXPECT_NE(job_thread, caller);
  EXPECT_TRUE(all_on_caller);
  EXPECT_GE(updates, 1);
  EXPECT_LE(updates, 50);
  EXPECT_EQ(last_step, 50) << "the newest update is always delivered";
}

TEST(Worker, ReturnsTheJobsError) {
  const nst::Status status = run_on_worker(
      [](const PostUpdate &) {
        return nst::Status::error(nst::ErrorCode::device_unavailable, "no CUDA device");
      },
      nullptr);
  EXPECT_EQ(status.code, nst::ErrorCode::device_unavailable);
  EXPECT_EQ(status.message, "no CUDA device");
}

TEST(Worker, AnEscapingExceptionBecomesAnInternalError) {
  const nst::Status status = run_on_worker(
      [](const PostUpdate &) -> nst::Status { throw std::runtime_error("boom"); }, nullptr);
  EXPECT_EQ(status.code, nst::ErrorCode::internal);
  EXPECT_NE(status.message.find("boom"), std::string::npos);
}

TEST(Worker, ClearsPreviewPointersThatOutliveTheCallback) {
  nst::Image preview;
  bool saw_preview = false;
  run_on_worker(
      [&](const PostUpdate &post) {
        ProgressUpdate update;
        update.step.preview = &preview;
        post(update);
        return nst::Status::success();
      },
      [&](const ProgressUpdate &update) { saw_preview = saw_preview || update.step.preview; });
  EXPECT_FALSE(saw_preview);
}

TEST(Worker, KeepCarriesPartsOfAReplacedUpdateOver) {
  // Updates that replace one not yet taken keep its picture when they have none.
  struct Update {
    int step = 0;
    int picture = 0;
  };
  std::promise<void> posted;
  std::future<void> all_posted = posted.get_future();
  nst_plugin::Worker<Update> worker(
      [&posted](const nst_plugin::Worker<Update>::Post &post) {
        post({1, 7});
        post({2, 0});
        post({3, 0});
        posted.set_value();
        return nst::Status::success();
      },
      [](Update &older, Update &newer) {
        if (!newer.picture)
          newer.picture = older.picture;
      });
  all_posted.wait(); // nothing was taken in between: each update replaced the last
  const std::optional<Update> update = worker.take(true);
  ASSERT_TRUE(update.has_value());
  EXPECT_EQ(update->step, 3);
  EXPECT_EQ(update->picture, 7) << "a picture is never lost to a later update without one";
  while (!worker.done())
    worker.take(true);
  EXPECT_TRUE(worker.finish().ok());
}

} // namespace
