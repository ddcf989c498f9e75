// The engine against PyTorch itself: tests/tools/reference_gatys.py runs
// the plain algorithm on the same weights file and images; the losses must
// agree at the first step within 1e-4 and over the next L-BFGS steps within
// 1e-3 (relative).
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace nst {
namespace {

namespace fs = std::filesystem;

// Writes a height x width x 3 float32 .npy file, or height x width for a
// one-channel image (a mask).
void write_npy(const fs::path &path, const Image &image) {
  std::ostringstream header;
  header << "{'descr': '<f4', 'fortran_order': False, 'shape': (" << image.height << ", "
         << image.width << (image.channels == 1 ? "), }" : ", 3), }");
  std::string text = header.str();
  const std::size_t total = 10 + text.size() + 1;
  text.append((64 - total % 64) % 64, ' ');
  text.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const std::uint16_t length = static_cast<std::uint16_t>(text.size());
  out.put(char(length & 0xff));
  out.put(char(length >> 8));
  out << text;
  const std::size_t written = image.channels == 1 ? 1 : 3;
  for (std::size_t i = 0; i < image.pixels.size(); i += image.channels)
    out.write(reinterpret_cast<const char *>(&image.pixels[i]), written * sizeof(float));
}

// Reads a float32 .npy file written by numpy (little-endian, C order).
std::vector<float> read_npy(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() < 10)
    return {};
  const std::size_t header =
      10 + std::size_t(std::uint8_t(bytes[8])) + (std::size_t(std::uint8_t(bytes[9])) << 8);
  std::vector<float> values((bytes.size() - header) / sizeof(float));
  std::memcpy(values.data(), bytes.data() + header, values.size() * sizeof(float));
  return values;
}

std::string run_command(const std::string &command, int &exit_code) {
  std::string output;
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe) {
    exit_code = -1;
    return output;
  }
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe))
    output += buffer;
  const int status = pclose(pipe);
  exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

double json_number(const std::string &line, const std::string &key) {
  const std::string quoted = "\"" + key + "\": ";
  const auto at = line.find(quoted);
  return at == std::string::npos ? NAN : std::strtod(line.c_str() + at + quoted.size(), nullptr);
}

std::string layer_list(const std::vector<LayerWeight> &layers) {
  std::string text;
  for (const auto &l : layers)
    text += (text.empty() ? "" : ",") + l.layer + ":" + std::to_string(l.weight);
  return text;
}

struct ReferenceCase {
  const char *name;
  Pooling pooling;
  std::vector<LayerWeight> content_layers, style_layers;
  double style_weight, tv_weight;
};

// Python with PyTorch, the reference script and a scratch folder.
template <typename Base> class WithReference : public Base {
protected:
  void SetUp() override {
    python_ = test::env_or_empty("NST_PYTHON");
    source_ = test::env_or_empty("NST_SOURCE_DIR");
    ASSERT_FALSE(python_.empty() || source_.empty())
        << "NST_PYTHON or NST_SOURCE_DIR is not set (run through meson test)";
    int code = 0;
    run_command(python_ + " -c 'import torch, safetensors, numpy' 2>&1", code);
    ASSERT_EQ(code, 0) << python_
                       << " cannot import torch, safetensors and numpy (python3-torch, "
                          "python3-safetensors and python3-numpy are in the Debian 13 root)";
    dir_ = fs::temp_directory_path() / ("nst-reference-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty())
      fs::remove_all(dir_);
  }

  std::string script() const { return source_ + "/tests/tools/reference_gatys.py"; }

  // A narrow random VGG19 written by the reference, loaded by the engine.
  std::shared_ptr<Model> write_and_load_vgg(Pooling pooling, fs::path &weights) {
    weights = dir_ / "vgg19-narrow.safetensors";
    int code = 0;
    const std::string output = run_command(
        python_ + " " + script() + " write-vgg " + weights.string() + " --seed 5 2>&1", code);
    EXPECT_EQ(code, 0) << output;
    ModelOptions model_options;
    model_options.weights_path = weights.string();
    model_options.device = DeviceKind::cpu;
    model_options.pooling = pooling;
    std::shared_ptr<Model> model;
    const Status status = load_model(model_options, model);
    EXPECT_TRUE(status.ok()) << status.message;
    return model;
  }

  std::string python_, source_;
  fs::path dir_;
};

using ReferenceTest = WithReference<::testing::TestWithParam<ReferenceCase>>;

TEST_P(ReferenceTest, LossesMatchPyTorch) {
  const ReferenceCase &c = GetParam();
  fs::path weights;
  const std::shared_ptr<Model> model = write_and_load_vgg(c.pooling, weights);
  ASSERT_TRUE(model);
  int code = 0;
  std::string output;

  // The style's longer side equals the content's, so neither is resampled.
  const Image content = test::synthetic_image(48, 40, 3, 2);
  const Image style = test::synthetic_image(40, 48, 3, 5);
  write_npy(dir_ / "content.npy", content);
  write_npy(dir_ / "style.npy", style);

  const int steps = 5;
  Options options = test::quick_options(steps);
  options.content_layers = c.content_layers;
  options.style_layers = c.style_layers;
  options.style_weight = c.style_weight;
  options.tv_weight = c.tv_weight;
  Image result;
  RunReport report;
  const Status status = stylise(*model, content.view(), {{style.view(), 1.0f}}, options, result, {},
                                nullptr, &report);
  ASSERT_TRUE(status.ok()) << status.message;
  ASSERT_EQ(report.steps.size(), std::size_t(steps));

  std::ostringstream command;
  command << python_ << " " << script() << " run --weights " << weights.string() << " --content "
          << (dir_ / "content.npy").string() << " --style " << (dir_ / "style.npy").string()
          << " --steps " << steps << " --history " << steps << " --pooling "
          << (c.pooling == Pooling::max ? "max" : "average") << " --content-layers "
          << layer_list(c.content_layers) << " --style-layers " << layer_list(c.style_layers)
          << " --style-weight " << c.style_weight << " --tv-weight " << c.tv_weight << " 2>&1";
  output = run_command(command.str(), code);
  ASSERT_EQ(code, 0) << output;
  std::istringstream lines(output);
  std::string line;
  int step = 0;
  while (std::getline(lines, line)) {
    if (line.find("\"step\"") == std::string::npos)
      continue;
    ASSERT_LT(step, steps);
    const StepRecord &engine = report.steps[step];
    const double tolerance = step == 0 ? 1e-4 : 1e-3;
    const std::pair<const char *, double> values[] = {{"content", engine.content_loss},
                                                      {"style", engine.style_loss},
                                                      {"tv", engine.tv_loss},
                                                      {"total", engine.total_loss}};
    for (const auto &[key, value] : values) {
      const double reference = json_number(line, key);
      EXPECT_NEAR(value, reference, tolerance * std::fabs(reference) + 1e-12)
          << key << " loss at step " << step + 1;
    }
    ++step;
  }
  EXPECT_EQ(step, steps) << output;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ReferenceTest,
    ::testing::Values(
        ReferenceCase{"Defaults", Pooling::max, Options{}.content_layers, Options{}.style_layers,
                      1e5, 1e-3},
        ReferenceCase{"PreActivationsAveragePooling",
                      Pooling::average,
                      {{"conv4_2", 1.0f}, {"relu2_2", 0.5f}},
                      {{"conv1_1", 0.5f}, {"relu2_1", 1.0f}, {"conv3_1", 2.0f}, {"relu5_4", 1.0f}},
                      1e4,
                      10.0}),
    [](const auto &info) { return std::string(info.param.name); });

// Styles by region (Gatys et al. 2017): guided Gram matrices, soft masks,
// a style's own region, several styles per term and a style everywhere; the
// loss and its gradient at one image against the reference's. Also with the
// mean-and-covariance loss, whose reference differentiates the matrix square
// root through torch.linalg.eigh.
struct GuidedCase {
  const char *name;
  MaskErosion erosion;
  StyleLossKind loss = StyleLossKind::gram;
};

using GuidedReferenceTest = WithReference<::testing::TestWithParam<GuidedCase>>;

TEST_P(GuidedReferenceTest, GuidedLossesAndGradientMatchPyTorch) {
  fs::path weights;
  const std::shared_ptr<Model> model = write_and_load_vgg(Pooling::max, weights);
  ASSERT_TRUE(model);
  const int width = 64, height = 48;
  const Image content = test::synthetic_image(width, height, 3, 2);
  const Image candidate = test::synthetic_image(width, height, 3, 9);
  const Image style_a = test::synthetic_image(40, 48, 3, 5);
  const Image style_b = test::synthetic_image(44, 36, 3, 6);
  const Image style_c = test::synthetic_image(40, 40, 3, 7);
  const Image left = test::ramp_mask(width, height, 0.3, 0.6);
  const Image right = test::ramp_mask(width, height, 0.4, 0.7, false);
  const Image a_part = test::ramp_mask(40, 48, 0.5, 0.8);
  // A and D share the left region; B paints the right; C everywhere.
  const Image style_d = test::synthetic_image(36, 36, 3, 8);
  std::vector<StyleImage> styles = {{style_a.view(), 1.0f},
                                    {style_b.view(), 0.5f},
                                    {style_c.view(), 0.25f},
                                    {style_d.view(), 0.75f}};
  styles[0].region = test::mask_view(left);
  styles[0].style_region = test::mask_view(a_part);
  styles[1].region = test::mask_view(right);
  styles[3].region = test::mask_view(left);

  Options options = test::quick_options(1);
  options.mask_erosion = GetParam().erosion;
  options.style_loss = GetParam().loss;
  std::vector<double> image(std::size_t(3) * width * height);
  for (int c = 0; c < 3; ++c)
    for (std::size_t p = 0; p < std::size_t(width) * height; ++p)
      image[std::size_t(c) * width * height + p] = candidate.pixels[p * 3 + std::size_t(c)];
  probe::Evaluation engine;
  const Status status = probe::evaluate(*model, content.view(), styles, options, image, engine);
  ASSERT_TRUE(status.ok()) << status.message;

  const std::pair<const char *, const Image *> files[] = {
      {"content", &content}, {"candidate", &candidate}, {"a", &style_a},
      {"b", &style_b},       {"c", &style_c},           {"d", &style_d},
      {"left", &left},       {"right", &right},         {"a_part", &a_part}};
  for (const auto &[name, picture] : files)
    write_npy(dir_ / (std::string(name) + ".npy"), *picture);
  const auto npy = [&](const char *name) { return "\"" + (dir_ / name).string() + ".npy\""; };
  std::ofstream(dir_ / "styles.json")
      << "[{\"image\": " << npy("a") << ", \"weight\": 1, \"region\": " << npy("left")
      << ", \"style_region\": " << npy("a_part") << "}, {\"image\": " << npy("b")
      << ", \"weight\": 0.5, \"region\": " << npy("right")
      << ", \"style_region\": null}, {\"image\": " << npy("c")
      << ", \"weight\": 0.25, \"region\": null, \"style_region\": null}, {\"image\": " << npy("d")
      << ", \"weight\": 0.75, \"region\": " << npy("left") << ", \"style_region\": null}]";
  const fs::path gradient = dir_ / "gradient.npy";
  std::ostringstream command;
  command << python_ << " " << script() << " evaluate --weights " << weights.string()
          << " --content " << (dir_ / "content.npy").string() << " --styles "
          << (dir_ / "styles.json").string() << " --image " << (dir_ / "candidate.npy").string()
          << " --gradient " << gradient.string() << " --erosion "
          << (GetParam().erosion == MaskErosion::inside ? "inside" : "none") << " --style-loss "
          << (GetParam().loss == StyleLossKind::gram ? "gram" : "mean-covariance") << " 2>&1";
  int code = 0;
  const std::string output = run_command(command.str(), code);
  ASSERT_EQ(code, 0) << output;
  const std::pair<const char *, double> values[] = {{"content", engine.content},
                                                    {"style", engine.style},
                                                    {"tv", engine.tv},
                                                    {"total", engine.total}};
  for (const auto &[key, value] : values) {
    const double reference = json_number(output, key);
    EXPECT_NEAR(value, reference, 1e-5 * std::fabs(reference) + 1e-12) << key << ": " << output;
  }
  EXPECT_GT(engine.style, 0);

  // The gradient: the reference's is height x width x 3, the engine's 3 x H x W.
  const std::vector<float> expected = read_npy(gradient);
  ASSERT_EQ(expected.size(), engine.gradient.size());
  double largest = 0, worst = 0;
  for (int c = 0; c < 3; ++c)
    for (std::size_t p = 0; p < std::size_t(width) * height; ++p) {
      const double e = expected[p * 3 + std::size_t(c)];
      largest = std::max(largest, std::fabs(e));
      worst = std::max(worst, std::fabs(engine.gradient[std::size_t(c) * width * height + p] - e));
    }
  ASSERT_GT(largest, 0);
  EXPECT_LT(worst / largest, 1e-4) << "largest " << largest;
}

INSTANTIATE_TEST_SUITE_P(Erosion, GuidedReferenceTest,
                         ::testing::Values(GuidedCase{"inside", MaskErosion::inside},
                                           GuidedCase{"none", MaskErosion::none},
                                           // the matrix square root's backward too
                                           GuidedCase{"mean_covariance", MaskErosion::inside,
                                                      StyleLossKind::mean_covariance}),
                         [](const auto &info) { return std::string(info.param.name); });

} // namespace
} // namespace nst
