// The time estimate the dialog shows before OK: the schedule's pixel-steps,
// in the blocks the run will read, at the rate measured here, or at the
// built-in one before any run.
#include "nst/estimate.h"

#include "core/blocks.h"
#include "core/devices.h"
#include "core/memory_plan.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>

namespace nst {
namespace {

// A cache folder of the test's own, so that no rate of a real run counts.
class Estimate : public ::testing::Test {
protected:
  test::ScopedCacheFolder cache_;
};

TEST_F(Estimate, GrowsWithThePixelsAndTheSteps) {
  Settings settings; // every pixel, 25 steps
  const double small = estimate_run_seconds(1000, 750, settings);
  const double large = estimate_run_seconds(4000, 3000, settings);
  EXPECT_GT(small, 10.0);
  EXPECT_GT(large, 2 * small);
  settings.options.iterations = 50;
  EXPECT_GT(estimate_run_seconds(1000, 750, settings), 1.9 * small);
  settings.options.iterations = 25;
  settings.options.precision = Precision::bf16;
  EXPECT_LT(estimate_run_seconds(1000, 750, settings), small);
}

// Asked while the dialog's values are edited: nothing to paint, or steps per
// scale that do not match the scales, give an answer, not a crash.
TEST_F(Estimate, HalfEditedSettingsStillGiveAnAnswer) {
  Settings settings;
  EXPECT_EQ(estimate_run_seconds(0, 0, settings), 0.0);
  settings.options.iterations_per_scale = {10, 20};
  EXPECT_EQ(estimate_run_seconds(1000, 750, settings), estimate_run_seconds(1000, 750, Settings{}));
}

TEST_F(Estimate, UsesTheRateLastMeasuredHere) {
  Settings settings;
  settings.model.device = DeviceKind::cpu;
  const double built_in = estimate_run_seconds(2000, 1500, settings);
  remember_step_rate("cpu", Precision::fp32, 1e-5);
  const double measured = estimate_run_seconds(2000, 1500, settings);
  EXPECT_GT(measured, built_in);
  remember_step_rate("cpu", Precision::fp32, 2e-5);
  EXPECT_NEAR(estimate_run_seconds(2000, 1500, settings), 2 * measured, 1e-6 * measured);
  // Another precision keeps its own rate.
  settings.options.precision = Precision::bf16;
  EXPECT_LT(estimate_run_seconds(2000, 1500, settings), built_in);
  // A damaged file is ignored.
  std::ofstream(cache_.plugin_folder() + "/step-rate-cpu-fp32.txt") << "nan\n";
  settings.options.precision = Precision::fp32;
  EXPECT_DOUBLE_EQ(estimate_run_seconds(2000, 1500, settings), built_in);
}

// A GPU's steps and a CPU's differ many times over: each device keeps its
// own rate, and a GPU has none before its first run here (this project
// measured no GPU), where a CPU's would price its run many times too long.
TEST_F(Estimate, KeepsARatePerDevice) {
  Settings settings;
  settings.model.device = DeviceKind::cpu;
  settings.options.precision = Precision::bf16;
  const double on_the_cpu = estimate_run_seconds(2000, 1500, settings);
  EXPECT_GT(step_rate("cpu", Precision::bf16), 0.0);
  EXPECT_EQ(step_rate("cuda:0", Precision::bf16), 0.0);
  remember_step_rate("cuda:0", Precision::bf16, 1e-9);
  EXPECT_DOUBLE_EQ(step_rate("cuda:0", Precision::bf16), 1e-9);
  EXPECT_EQ(step_rate("cuda:1", Precision::bf16), 0.0);
  EXPECT_EQ(step_rate("cuda:0", Precision::fp32), 0.0);
  EXPECT_DOUBLE_EQ(estimate_run_seconds(2000, 1500, settings), on_the_cpu);
  remember_step_rate("cpu", Precision::bf16, 3e-6);
  EXPECT_DOUBLE_EQ(step_rate("cuda:0", Precision::bf16), 1e-9);

  // The settings' rate is that of the device the run will have: CUDA where
  // the automatic choice finds it, else the CPU.
  settings.model.device = DeviceKind::automatic;
  const std::string device = device_string(planned_device(DeviceKind::automatic, 0));
  EXPECT_DOUBLE_EQ(step_rate(settings), device == "cpu" ? 3e-6 : 1e-9) << device;
  // Without any rate for the device, no estimate (the dialog says so).
  settings.options.precision = Precision::fp16;
  if (device != "cpu") {
    EXPECT_EQ(estimate_run_seconds(2000, 1500, settings), 0.0);
  }
}

// A step in blocks reads their margins, and its first pass reads them once
// more: the estimate prices the pixels read, as the run's own report does.
TEST_F(Estimate, PricesTheBlocksAStepReads) {
  Settings settings;
  settings.options.scales = {2000};
  settings.options.iterations_per_scale = {4};
  settings.options.memory_limit_bytes = std::size_t{64} << 30; // the whole image fits
  const double whole = estimate_run_seconds(2000, 1500, settings);
  settings.options.tile_size = 512;
  const double in_blocks = estimate_run_seconds(2000, 1500, settings);
  // relu5_1 is the deepest default layer: VGG19's convolution 13.
  const std::vector<Block> blocks = plan_blocks(2000, 1500, 512, 12);
  ASSERT_GT(blocks.size(), 4u);
  const double read = total_read_pixels(blocks);
  const double first_pass = read - blocks.back().read.pixels(); // the last one serves both
  // With memory to spare the first pass keeps conv3_1 to relu5_1 for the
  // second, which skips their share of VGG19's multiply-adds in the blocks
  // it computes anew (all but the last).
  double macs = 0, kept = 0;
  int in_channels = 3;
  for (int conv = 0; conv <= 12; ++conv) {
    const double factor = pooling_factor(conv);
    const double conv_macs = 9.0 * in_channels * vgg::channels(conv) / (factor * factor);
    macs += conv_macs;
    kept += conv >= 4 ? conv_macs : 0;
    in_channels = vgg::channels(conv);
  }
  const double step = read + 0.5 * first_pass - 0.5 * (kept / macs) * first_pass;
  // Before its steps the scale computes the content's features (in blocks:
  // their reads) and the style's, priced as one of the content's size.
  const double pixels = 2000.0 * 1500;
  EXPECT_NEAR(in_blocks / whole, (4 * step + 0.5 * (read + pixels)) / (4 * pixels + pixels), 1e-9);
}

// Each scale's setup, the content's and the styles' features, is a forward
// pass each: half a step's pixels. The style is priced as one of the
// content's shape at the settings' style-scale.
TEST_F(Estimate, CountsEachScalesFeatures) {
  Settings settings;
  settings.options.scales = {1000};
  settings.options.iterations_per_scale = {4};
  const double rate = step_rate(settings);
  const double pixels = 1000.0 * 750;
  const double steps = 4 * pixels;
  EXPECT_NEAR(estimate_run_seconds(1000, 750, settings), rate * (steps + 0.5 * (pixels + pixels)),
              1e-9 * rate * steps);
  settings.options.style_scale = 2; // twice the side: four times the pixels
  EXPECT_NEAR(estimate_run_seconds(1000, 750, settings),
              rate * (steps + 0.5 * (pixels + 4 * pixels)), 1e-9 * rate * steps);
}

// A 12 MP photo at the default 4 GiB is painted in blocks at its finer
// scales: they cost more than their pixels, and the estimate says so.
TEST_F(Estimate, CountsTheBlocksOfAFullSizePhoto) {
  Settings settings;
  const double in_blocks = estimate_run_seconds(4000, 3000, settings);
  settings.options.memory_limit_bytes = std::size_t{1} << 40;
  const double whole = estimate_run_seconds(4000, 3000, settings);
  EXPECT_GT(in_blocks, 1.2 * whole);
}

// The estimate plans VGG19 as the run's loaded model will compute it: the
// same widths, Winograd on the same layers, the same compute dtype.
TEST(EstimateNetwork, IsTheShapeOfALoadedVgg19) {
  const auto model = test::model_of_widths({64, 128, 256, 512, 512}, 3);
  for (Precision precision : {Precision::fp32, Precision::bf16}) {
    Settings settings;
    settings.model.device = DeviceKind::cpu;
    settings.options.precision = precision;
    const NetworkShape planned = vgg19_shape(settings);
    const NetworkShape loaded =
        network_shape(*model, compute_dtype(precision, torch::Device(torch::kCPU)));
    EXPECT_EQ(planned.convs, loaded.convs);
    EXPECT_EQ(planned.value_bytes, loaded.value_bytes);
    int winograd = 0;
    for (const NetworkShape::Conv &conv : planned.convs)
      winograd += conv.winograd ? 1 : 0;
    if (precision == Precision::fp32) {
      EXPECT_GT(winograd, 8); // the rule is exercised, not vacuously equal
    }
  }
}

} // namespace
} // namespace nst
