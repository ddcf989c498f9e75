// Bad requests fail before any work with the right code and a message that
// names the option; devices are listed and unavailable ones refused.
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace nst {
namespace {

using ::testing::HasSubstr;

class ValidationTest : public ::testing::Test {
protected:
  Status run(const std::function<void(Options &)> &change) {
    Options options = test::quick_options(2);
    change(options);
    Image result;
    result.width = 99; // must be cleared on failure
    const Status status = stylise(*model, content.view(), {{style.view(), 1.0f}}, options, result);
    if (!status.ok()) {
      EXPECT_EQ(result.width, 0);
    }
    return status;
  }

  std::shared_ptr<Model> model = test::narrow_model();
  Image content = test::synthetic_image(32, 32, 3, 0);
  Image style = test::synthetic_image(32, 32, 3, 1);
};

struct BadOption {
  const char *name;
  std::function<void(Options &)> change;
  const char *mentioned; // the message must name this
};

TEST_F(ValidationTest, BadOptionsAreInvalidArguments) {
  const std::vector<BadOption> cases = {
      {"negative size", [](Options &o) { o.size = -1; }, "size"},
      {"absurd size", [](Options &o) { o.size = 30001; }, "size"},
      {"tiny size", [](Options &o) { o.size = 3; }, "16 .. 30000"},
      {"NaN content weight", [](Options &o) { o.content_weight = NAN; }, "content-weight"},
      {"negative style weight", [](Options &o) { o.style_weight = -1; }, "style-weight"},
      {"infinite tv weight", [](Options &o) { o.tv_weight = INFINITY; }, "tv-weight"},
      {"unknown layer", [](Options &o) { o.style_layers = {{"conv6_1", 1}}; }, "conv6_1"},
      {"pool layer", [](Options &o) { o.content_layers = {{"pool4", 1}}; }, "content-layers"},
      {"NaN layer weight", [](Options &o) { o.style_layers[0].weight = NAN; }, "relu1_1"},
      {"no style layers", [](Options &o) { o.style_layers.clear(); }, "style-layers"},
      {"no iterations", [](Options &o) { o.iterations = 0; }, "iterations"},
      {"scales not growing", [](Options &o) { o.scales = {64, 32}; }, "scales"},
      {"steps without scales", [](Options &o) { o.iterations_per_scale = {3}; },
       "scale-iterations"},
      {"steps per scale count",
       [](Options &o) {
         o.scales = {16, 32};
         o.iterations_per_scale = {3};
       },
       "scale-iterations"},
      {"style scale", [](Options &o) { o.style_scale = 0; }, "style-scale"},
      {"learning rate", [](Options &o) { o.learning_rate = -2; }, "learning-rate"},
      {"memory limit", [](Options &o) { o.memory_limit_bytes = 1000; }, "memory-limit"},
      {"tile size", [](Options &o) { o.tile_size = 10; }, "tile-size"},
      {"preview", [](Options &o) { o.preview_every = -1; }, "preview_every"},
      {"preview side", [](Options &o) { o.preview_side = -1; }, "preview_side"},
      {"absurd style weight", [](Options &o) { o.style_weight = 1e30; }, "style-weight"},
      {"style weight times a layer weight beyond float32",
       [](Options &o) {
         o.style_weight = 1e12;
         o.style_layers[0].weight = 1e30f;
       },
       "float32"},
      {"seed beyond the procedure's", [](Options &o) { o.seed = 1ull << 40; }, "seed"},
  };
  for (const auto &c : cases) {
    const Status status = run(c.change);
    EXPECT_EQ(status.code, ErrorCode::invalid_argument) << c.name << ": " << status.message;
    EXPECT_THAT(status.message, HasSubstr(c.mentioned)) << c.name;
  }
}

TEST_F(ValidationTest, BadImagesAreInvalidArguments) {
  const Options options = test::quick_options(1);
  Image result;
  // No style image.
  Status status = stylise(*model, content.view(), {}, options, result);
  EXPECT_EQ(status.code, ErrorCode::invalid_argument);
  EXPECT_THAT(status.message, HasSubstr("style image"));
  // Empty content.
  status = stylise(*model, ImageView{}, {{style.view(), 1.0f}}, options, result);
  EXPECT_EQ(status.code, ErrorCode::invalid_argument);
  EXPECT_THAT(status.message, HasSubstr("content image"));
  // A NaN pixel, at the position named.
  Image with_nan = content;
  with_nan.pixels[(std::size_t(2) * content.width + 5) * content.channels + 1] = std::nanf("");
  status = stylise(*model, with_nan.view(), {{style.view(), 1.0f}}, options, result);
  EXPECT_EQ(status.code, ErrorCode::invalid_argument);
  EXPECT_THAT(status.message, HasSubstr("pixel 5, 2"));
  // Two channels.
  ImageView two = content.view();
  two.channels = 2;
  status = stylise(*model, two, {{style.view(), 1.0f}}, options, result);
  EXPECT_EQ(status.code, ErrorCode::invalid_argument);
  EXPECT_THAT(status.message, HasSubstr("channels"));
  // A stride shorter than a row.
  ImageView short_rows = content.view();
  short_rows.row_stride = 10;
  status = stylise(*model, short_rows, {{style.view(), 1.0f}}, options, result);
  EXPECT_EQ(status.code, ErrorCode::invalid_argument);
  EXPECT_THAT(status.message, HasSubstr("stride"));
  // Blend weights: negative, and all zero.
  status = stylise(*model, content.view(), {{style.view(), -1.0f}}, options, result);
  EXPECT_EQ(status.code, ErrorCode::invalid_argument);
  EXPECT_THAT(status.message, HasSubstr("style image 1"));
  status = stylise(*model, content.view(), {{style.view(), 0.0f}}, options, result);
  EXPECT_EQ(status.code, ErrorCode::invalid_argument);
  EXPECT_THAT(status.message, HasSubstr("add up to 0"));
  // A stroke size that takes the style beyond style-scale's range, or is NaN.
  for (float stroke : {20.0f, 0.0f, std::nanf("")}) {
    status = stylise(*model, content.view(), {{style.view(), 1.0f}, {style.view(), 1.0f, stroke}},
                     options, result);
    EXPECT_EQ(status.code, ErrorCode::invalid_argument) << stroke;
    EXPECT_THAT(status.message, HasSubstr("stroke size"));
    EXPECT_THAT(status.message, HasSubstr("style image 2"));
    EXPECT_THAT(status.message, HasSubstr("0.05 .. 8"));
  }
}

TEST(Devices, ListsTheCpuFirst) {
  const auto devices = list_devices();
  ASSERT_FALSE(devices.empty());
  EXPECT_EQ(devices[0].kind, DeviceKind::cpu);
  EXPECT_THAT(devices[0].name, HasSubstr("CPU ("));
  EXPECT_THAT(devices[0].name, HasSubstr("threads)"));
}

TEST(Devices, MissingCudaIsDeviceUnavailable) {
  bool has_cuda = false;
  for (const auto &d : list_devices())
    has_cuda = has_cuda || d.kind == DeviceKind::cuda;
  ModelOptions options;
  options.device = DeviceKind::cuda;
  options.device_index = has_cuda ? 1000 : 0; // a device that does not exist either way
  std::shared_ptr<Model> model;
  const Status status =
      probe::make_model(probe::random_vgg19({8, 16, 32, 64, 64}, 1), options, model);
  EXPECT_EQ(status.code, ErrorCode::device_unavailable) << status.message;
  EXPECT_THAT(status.message, HasSubstr("CUDA"));
  options.device = DeviceKind::cpu;
  options.threads = -1;
  EXPECT_EQ(probe::make_model(probe::random_vgg19({8, 16, 32, 64, 64}, 1), options, model).code,
            ErrorCode::invalid_argument);
}

} // namespace
} // namespace nst
