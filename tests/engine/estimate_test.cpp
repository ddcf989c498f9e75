// The time estimate the dialog shows before OK: the schedule's pixel-steps
// at the rate measured here, or at the built-in one before any run.
#include "nst/estimate.h"

#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace nst {
namespace {

// A cache folder of the test's own, so that no rate of a real run counts.
class Estimate : public ::testing::Test {
protected:
  void SetUp() override {
    folder_ =
        std::filesystem::temp_directory_path() / ("nst-estimate-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder_);
    const char *old = std::getenv("XDG_CACHE_HOME");
    old_ = old ? old : "";
    had_ = old != nullptr;
    setenv("XDG_CACHE_HOME", folder_.c_str(), 1);
  }
  void TearDown() override {
    if (had_)
      setenv("XDG_CACHE_HOME", old_.c_str(), 1);
    else
      unsetenv("XDG_CACHE_HOME");
    std::filesystem::remove_all(folder_);
  }
  std::filesystem::path folder_;
  std::string old_;
  bool had_ = false;
};

TEST_F(Estimate, GrowsWithThePixelsAndTheSteps) {
  Options options; // every pixel, 25 steps
  const double small = estimate_run_seconds(1000, 750, options);
  const double large = estimate_run_seconds(4000, 3000, options);
  EXPECT_GT(small, 10.0);
  EXPECT_GT(large, 2 * small);
  options.iterations = 50;
  EXPECT_GT(estimate_run_seconds(1000, 750, options), 1.9 * small);
  options.iterations = 25;
  options.precision = Precision::bf16;
  EXPECT_LT(estimate_run_seconds(1000, 750, options), small);
}

// Asked while the dialog's values are edited: nothing to paint, or steps per
// scale that do not match the scales, give an answer, not a crash.
TEST_F(Estimate, HalfEditedSettingsStillGiveAnAnswer) {
  Options options;
  EXPECT_EQ(estimate_run_seconds(0, 0, options), 0.0);
  options.iterations_per_scale = {10, 20};
  EXPECT_EQ(estimate_run_seconds(1000, 750, options), estimate_run_seconds(1000, 750, Options{}));
}

TEST_F(Estimate, UsesTheRateLastMeasuredHere) {
  Options options;
  const double built_in = estimate_run_seconds(2000, 1500, options);
  remember_step_rate(Precision::fp32, 1e-5);
  const double measured = estimate_run_seconds(2000, 1500, options);
  EXPECT_GT(measured, built_in);
  remember_step_rate(Precision::fp32, 2e-5);
  EXPECT_NEAR(estimate_run_seconds(2000, 1500, options), 2 * measured, 1e-6 * measured);
  // Another precision keeps its own rate.
  options.precision = Precision::bf16;
  EXPECT_LT(estimate_run_seconds(2000, 1500, options), built_in);
  // A damaged file is ignored.
  std::ofstream(folder_ / "neural-style-transfer" / "step-rate-fp32.txt") << "nan\n";
  options.precision = Precision::fp32;
  EXPECT_DOUBLE_EQ(estimate_run_seconds(2000, 1500, options), built_in);
}

} // namespace
} // namespace nst
