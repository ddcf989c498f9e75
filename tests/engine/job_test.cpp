// The one job every front end runs: weights found, the network loaded once
// and reused, every content stylised, progress with one estimate, and
// settings checked before anything is loaded.
#include "nst/job.h"

#include "nst/estimate.h"

#include "fixture_dirs.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace nst {
namespace {

// The narrow VGG19 of ../shared, or one written with $NST_PYTHON.
std::string narrow_weights() {
  std::string why_not;
  const auto dir = fixtures::narrow_vgg19_dir(why_not);
  EXPECT_TRUE(dir) << why_not;
  return dir ? *dir + "/vgg19-narrow.safetensors" : "";
}

Settings quick_settings() {
  Settings settings;
  settings.options = test::quick_options(4);
  settings.model.weights_path = narrow_weights();
  settings.model.device = DeviceKind::cpu;
  return settings;
}

class JobTest : public ::testing::Test {
protected:
  Image style = test::synthetic_image(40, 32, 3, 2);
  Image first = test::synthetic_image(48, 36, 3, 0);
  Image second = test::synthetic_image(36, 40, 4, 1);
};

TEST_F(JobTest, StylisesEveryContentWithProgressAndOneEstimate) {
  Job job;
  std::vector<Image> results;
  std::vector<RunReport> reports;
  std::vector<JobProgress> seen;
  const Status status = job.run(
      quick_settings(), {{style.view(), 1.0f}}, {first.view(), second.view()}, results,
      [&seen](const JobProgress &p) { seen.push_back(p); }, nullptr, &reports);
  ASSERT_TRUE(status.ok()) << status.message;
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].width, 48);
  EXPECT_EQ(results[1].height, 40);
  EXPECT_EQ(results[1].channels, 4);
  EXPECT_EQ(reports.size(), 2u);
  EXPECT_EQ(job.loads(), 1);

  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().stage, JobProgress::Stage::load_model);
  double fraction = 0;
  bool estimated = false, second_layer = false;
  for (const JobProgress &p : seen) {
    EXPECT_EQ(p.layer_count, 2);
    EXPECT_GE(p.fraction, fraction) << "the fraction never goes back";
    fraction = p.fraction;
    if (p.stage == JobProgress::Stage::stylise && p.step.steps_in_scale > 0) {
      EXPECT_FALSE(p.step.plan.empty());
      estimated = estimated || p.remaining_seconds >= 0;
      // While the first layer runs, the estimate includes the second one's work.
      if (p.layer == 0 && p.step.remaining_seconds >= 0) {
        EXPECT_GT(p.remaining_seconds, p.step.remaining_seconds);
      }
    }
    second_layer = second_layer || p.layer == 1;
  }
  EXPECT_TRUE(estimated);
  EXPECT_TRUE(second_layer);
  EXPECT_LE(fraction, 1.0);
}

// The run's measured speed prices the next estimate on the same device, and
// only there: a CPU run leaves a GPU's rate unknown.
TEST_F(JobTest, KeepsTheRunsSpeedForItsDevice) {
  const test::ScopedCacheFolder cache;
  Settings settings = quick_settings();
  settings.options.iterations = 3;
  // Only steps of 512 x 512 pixels or more are timed for the rate.
  const Image large = test::synthetic_image(640, 480, 3, 0);
  Job job;
  std::vector<Image> results;
  std::vector<RunReport> reports;
  ASSERT_TRUE(
      job.run(settings, {{style.view(), 1.0f}}, {large.view()}, results, nullptr, nullptr, &reports)
          .ok());
  ASSERT_EQ(reports.size(), 1u);
  const double measured = reports[0].seconds_per_pixel_step;
  ASSERT_GT(measured, 0.0);
  EXPECT_EQ(reports[0].device, "cpu");
  EXPECT_NEAR(step_rate("cpu", settings.options.precision), measured, 1e-5 * measured);
  EXPECT_NEAR(step_rate(settings), measured, 1e-5 * measured);
  EXPECT_EQ(step_rate("cuda:0", settings.options.precision), 0.0);
}

TEST_F(JobTest, KeepsTheNetworkForTheNextRunWithTheSameModel) {
  Job job;
  std::vector<Image> results;
  Settings settings = quick_settings();
  ASSERT_TRUE(job.run(settings, {{style.view(), 1.0f}}, {first.view()}, results).ok());
  settings.options.iterations = 2; // a run setting: the same network serves
  ASSERT_TRUE(job.run(settings, {{style.view(), 1.0f}}, {first.view()}, results).ok());
  EXPECT_EQ(job.loads(), 1);
  settings.model.pooling = Pooling::average; // another network
  ASSERT_TRUE(job.run(settings, {{style.view(), 1.0f}}, {first.view()}, results).ok());
  EXPECT_EQ(job.loads(), 2);
}

TEST_F(JobTest, SettingsAreCheckedBeforeTheWeightsAreLookedFor) {
  Job job;
  std::vector<Image> results;
  Settings settings = quick_settings();
  settings.model.weights_path = "/no/such/weights.pth";
  settings.options.style_weight = -1;
  Status status = job.run(settings, {{style.view(), 1.0f}}, {first.view()}, results);
  EXPECT_EQ(status.code, ErrorCode::invalid_argument);
  EXPECT_NE(status.message.find("style-weight"), std::string::npos) << status.message;

  settings = quick_settings();
  settings.model.threads = -3;
  status = job.run(settings, {{style.view(), 1.0f}}, {first.view()}, results);
  EXPECT_EQ(status.code, ErrorCode::invalid_argument);

  status = job.run(quick_settings(), {{style.view(), 1.0f}}, {}, results);
  EXPECT_EQ(status.code, ErrorCode::invalid_argument);
  EXPECT_EQ(job.loads(), 0);
}

TEST_F(JobTest, ACancelBeforeTheRunAddsNothing) {
  Job job;
  CancelToken cancel;
  cancel.request_cancel();
  EXPECT_TRUE(cancel.download_cancel()->load()) << "a download stops too";
  std::vector<Image> results;
  const Status status =
      job.run(quick_settings(), {{style.view(), 1.0f}}, {first.view()}, results, {}, &cancel);
  EXPECT_EQ(status.code, ErrorCode::cancelled);
  EXPECT_TRUE(results.empty());
  cancel.reset();
  EXPECT_FALSE(cancel.download_cancel()->load());
}

TEST_F(JobTest, ACancelWhileTheNetworkLoadsStopsTheLoading) {
  // Cancel pressed when the window says "Loading the VGG19 network": the
  // load stops between the file's tensors instead of finishing first.
  Job job;
  CancelToken cancel;
  std::vector<Image> results;
  const Status status = job.run(
      quick_settings(), {{style.view(), 1.0f}}, {first.view()}, results,
      [&](const JobProgress &update) {
        if (update.stage == JobProgress::Stage::load_model)
          cancel.request_cancel();
      },
      &cancel);
  EXPECT_EQ(status.code, ErrorCode::cancelled);
  EXPECT_NE(status.message.find("while loading the network"), std::string::npos) << status.message;
  EXPECT_EQ(job.loads(), 0) << "the network was loaded all the same";
  EXPECT_TRUE(results.empty());
  cancel.reset();
  ASSERT_TRUE(
      job.run(quick_settings(), {{style.view(), 1.0f}}, {first.view()}, results, {}, &cancel).ok());
  EXPECT_EQ(job.loads(), 1);
}

} // namespace
} // namespace nst
