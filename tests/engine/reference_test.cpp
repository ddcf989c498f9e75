// The engine against PyTorch itself: tests/tools/reference_gatys.py runs
// the plain algorithm on the same weights file and images; the losses must
// agree at the first step within 1e-4 and over the next L-BFGS steps within
// 1e-3 (relative).
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace nst {
namespace {

namespace fs = std::filesystem;

// Writes a height x width x 3 float32 .npy file.
void write_npy(const fs::path &path, const Image &image) {
  std::ostringstream header;
  header << "{'descr': '<f4', 'fortran_order': False, 'shape': (" << image.height << ", "
         << image.width << ", 3), }";
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
  for (std::size_t i = 0; i < image.pixels.size(); i += image.channels)
    out.write(reinterpret_cast<const char *>(&image.pixels[i]), 3 * sizeof(float));
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

class ReferenceTest : public ::testing::TestWithParam<ReferenceCase> {
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

  std::string python_, source_;
  fs::path dir_;
};

TEST_P(ReferenceTest, LossesMatchPyTorch) {
  const ReferenceCase &c = GetParam();
  const fs::path weights = dir_ / "vgg19-narrow.safetensors";
  int code = 0;
  std::string output = run_command(
      python_ + " " + script() + " write-vgg " + weights.string() + " --seed 5 2>&1", code);
  ASSERT_EQ(code, 0) << output;

  // The style's longer side equals the content's, so neither is resampled.
  const Image content = test::synthetic_image(48, 40, 3, 2);
  const Image style = test::synthetic_image(40, 48, 3, 5);
  write_npy(dir_ / "content.npy", content);
  write_npy(dir_ / "style.npy", style);

  ModelOptions model_options;
  model_options.weights_path = weights.string();
  model_options.device = DeviceKind::cpu;
  model_options.pooling = c.pooling;
  std::shared_ptr<Model> model;
  Status status = load_model(model_options, model);
  ASSERT_TRUE(status.ok()) << status.message;

  const int steps = 5;
  Options options = test::quick_options(steps);
  options.content_layers = c.content_layers;
  options.style_layers = c.style_layers;
  options.style_weight = c.style_weight;
  options.tv_weight = c.tv_weight;
  Image result;
  RunReport report;
  status = stylise(*model, content.view(), {{style.view(), 1.0f}}, options, result, {}, nullptr,
                   &report);
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

} // namespace
} // namespace nst
