// The CUDA path against the CPU: the same network and problem give the same
// losses and gradient, and a short run finishes with the same picture size;
// steps in blocks equal whole steps on the GPU too; the devices have their
// names, the plan the device's room and the report the device's peak.
// Skipped, saying why, where LibTorch sees no CUDA device (a CPU LibTorch,
// or no GPU); run on a machine with one (README: "A CUDA LibTorch").
#include "core/torch_api.h"

#include "base/cuda_driver.h"
#include "core/devices.h"
#include "core/memory_plan.h"
#include "core/probe.h"
#include "nst/engine.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace nst {
namespace {

bool has_cuda() {
  for (const auto &device : list_devices()) {
    if (device.kind == DeviceKind::cuda)
      return true;
  }
  return false;
}

std::shared_ptr<Model> model_on(DeviceKind device) {
  ModelOptions options;
  options.device = device;
  std::shared_ptr<Model> model;
  const Status status =
      probe::make_model(probe::random_vgg19({8, 16, 32, 64, 64}, 3), options, model);
  EXPECT_TRUE(status.ok()) << status.message;
  return model;
}

TEST(Cuda, GivesTheCpuLossesAndGradient) {
  if (!has_cuda())
    GTEST_SKIP() << "no CUDA device visible to LibTorch";
  const int w = 32, h = 24;
  const Image content = test::synthetic_image(w, h, 3, 1);
  const Image style = test::synthetic_image(28, 30, 3, 4);
  const Options options = test::quick_options(1);
  std::vector<double> image(std::size_t(3) * h * w);
  for (std::size_t i = 0; i < image.size(); ++i)
    image[i] = 0.5 + 0.3 * std::sin(0.41 * double(i));

  probe::Evaluation cpu, cuda;
  ASSERT_TRUE(probe::evaluate(*model_on(DeviceKind::cpu), content.view(), {{style.view(), 1.0f}},
                              options, image, cpu)
                  .ok());
  ASSERT_TRUE(probe::evaluate(*model_on(DeviceKind::cuda), content.view(), {{style.view(), 1.0f}},
                              options, image, cuda)
                  .ok());
  EXPECT_NEAR(cuda.content, cpu.content, 1e-3 * cpu.content);
  EXPECT_NEAR(cuda.style, cpu.style, 1e-3 * cpu.style);
  double largest = 0, difference = 0;
  for (std::size_t i = 0; i < cpu.gradient.size(); ++i) {
    largest = std::max(largest, double(std::fabs(cpu.gradient[i])));
    difference = std::max(difference, double(std::fabs(cuda.gradient[i] - cpu.gradient[i])));
  }
  EXPECT_LT(difference / largest, 1e-3);
}

TEST(Cuda, StylisesInEveryPrecision) {
  if (!has_cuda())
    GTEST_SKIP() << "no CUDA device visible to LibTorch";
  auto model = model_on(DeviceKind::cuda);
  const Image content = test::synthetic_image(40, 30, 4, 1);
  const Image style = test::synthetic_image(32, 32, 3, 2);
  for (const Precision precision : {Precision::fp32, Precision::bf16, Precision::fp16}) {
    Options options = test::quick_options(3);
    options.precision = precision;
    Image result;
    const Status status =
        stylise(*model, content.view(), {{style.view(), 1.0f}}, options, result, {}, nullptr);
    ASSERT_TRUE(status.ok()) << status.message;
    EXPECT_EQ(result.width, 40);
    EXPECT_EQ(result.height, 30);
    EXPECT_EQ(result.channels, 4);
    for (std::size_t i = 3; i < result.pixels.size(); i += 4)
      ASSERT_EQ(result.pixels[i], content.pixels[i]); // alpha untouched
  }
}

TEST(Cuda, DevicesHaveTheirNamesAndRoom) {
  if (!has_cuda())
    GTEST_SKIP() << "no CUDA device visible to LibTorch";
  for (const DeviceInfo &device : list_devices()) {
    if (device.kind != DeviceKind::cuda)
      continue;
    EXPECT_EQ(device.name, cuda_driver::device_name(device.index));
    EXPECT_FALSE(device.name.empty());
    const auto room = device_room_bytes(torch::Device(torch::kCUDA, device.index));
    ASSERT_TRUE(room.has_value());
    EXPECT_GT(*room, std::size_t{64} << 20);
  }
}

// The estimate plans within the GPU's free memory, as the run does: with a
// limit far above it, a photo whose activations need twice the room is
// planned in blocks at its full size; on the CPU the limit stands.
TEST(Cuda, EstimatePlansWithinTheDevicesRoom) {
  if (!has_cuda())
    GTEST_SKIP() << "no CUDA device visible to LibTorch";
  const auto room = device_room_bytes(torch::Device(torch::kCUDA, 0));
  ASSERT_TRUE(room.has_value());
  Settings settings;
  settings.model.device = DeviceKind::cuda;
  settings.options.memory_limit_bytes = std::size_t{1} << 50;
  // At least 1 KB of activations a pixel (VGG19 to relu5_1 takes about 3).
  const int side = std::min(kMaximumSide, int(std::ceil(std::sqrt(2.0 * double(*room) / 1024.0))));
  const std::vector<PlannedScale> plan = expected_plan(side, side, settings);
  ASSERT_FALSE(plan.empty());
  EXPECT_GT(plan.back().tiles, 1) << side << " px, " << *room << " bytes free";
  settings.model.device = DeviceKind::cpu;
  EXPECT_EQ(expected_plan(side, side, settings).back().tiles, 1);
}

// Ten Adam steps in blocks (forced to 64 px) against ten on the whole image,
// on the GPU: the first two to float rounding, the rest within 1e-4; the
// report gives the device's peak, which the limit bounds.
TEST(Cuda, StepsInBlocksMatchTheWholeImage) {
  if (!has_cuda())
    GTEST_SKIP() << "no CUDA device visible to LibTorch";
  auto model = model_on(DeviceKind::cuda);
  const Image content = test::synthetic_image(301, 231, 3, 0);
  const Image style = test::synthetic_image(64, 64, 3, 3);
  Options options = test::quick_options(10);
  options.optimizer = Optimizer::adam;
  options.learning_rate = 5.0;
  options.memory_limit_bytes = std::size_t{1} << 30;
  Image whole, in_blocks;
  RunReport whole_report, blocks_report;
  ASSERT_TRUE(stylise(*model, content.view(), {{style.view(), 1.0f}}, options, whole, {}, nullptr,
                      &whole_report)
                  .ok());
  options.tile_size = 64;
  int tiles = 0;
  ASSERT_TRUE(stylise(
                  *model, content.view(), {{style.view(), 1.0f}}, options, in_blocks,
                  [&](const Progress &p) { tiles = p.plan.back().tiles; }, nullptr, &blocks_report)
                  .ok());
  EXPECT_EQ(tiles, 3 * 2);
  ASSERT_EQ(blocks_report.steps.size(), whole_report.steps.size());
  for (std::size_t i = 0; i < whole_report.steps.size(); ++i) {
    const double a = blocks_report.steps[i].total_loss, b = whole_report.steps[i].total_loss;
    EXPECT_LT(std::fabs(a - b) / std::fabs(b), i < 2 ? 1e-5 : 1e-4) << "step " << i + 1;
  }
  double difference = 0;
  for (std::size_t i = 0; i < whole.pixels.size(); ++i)
    difference += std::fabs(in_blocks.pixels[i] - whole.pixels[i]);
  EXPECT_LT(difference / double(whole.pixels.size()), 1e-3);
  EXPECT_GT(blocks_report.run_peak_memory_bytes, 0u);
  EXPECT_LE(blocks_report.run_peak_memory_bytes, options.memory_limit_bytes);
  EXPECT_EQ(blocks_report.device, "cuda:0");
}

} // namespace
} // namespace nst
