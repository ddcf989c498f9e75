// The Gram matrix, the total variation and the gradient of the objective,
// each against a plain computation: loops, and finite differences.
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace nst {
namespace {

std::vector<float> random_values(std::size_t n, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> values(n);
  for (auto &v : values)
    v = uniform(random);
  return values;
}

std::vector<double> gram_by_loops(const std::vector<float> &f, int c, int h, int w) {
  std::vector<double> g(std::size_t(c) * c, 0.0);
  for (int i = 0; i < c; ++i)
    for (int j = 0; j < c; ++j) {
      double sum = 0;
      for (int p = 0; p < h * w; ++p)
        sum += double(f[i * h * w + p]) * f[j * h * w + p];
      g[i * c + j] = sum / (double(c) * h * w);
    }
  return g;
}

class GramTest : public ::testing::TestWithParam<bool> {};

TEST_P(GramTest, MatchesLoops) {
  const int c = 5, h = 4, w = 7;
  const auto f = random_values(std::size_t(c) * h * w, 3);
  const auto engine = probe::gram(f, c, h, w, GetParam());
  const auto expected = gram_by_loops(f, c, h, w);
  ASSERT_EQ(engine.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(engine[i], expected[i], 1e-6) << "entry " << i;
}

INSTANTIATE_TEST_SUITE_P(MemoryFormats, GramTest, ::testing::Values(false, true),
                         [](const auto &info) { return info.param ? "ChannelsLast" : "Nchw"; });

TEST(TotalVariation, MatchesLoops) {
  const int h = 6, w = 9;
  const auto image = random_values(std::size_t(3) * h * w, 5);
  double dy = 0, dx = 0;
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const float v = image[(c * h + y) * w + x];
        if (y + 1 < h)
          dy += std::pow(image[(c * h + y + 1) * w + x] - v, 2);
        if (x + 1 < w)
          dx += std::pow(image[(c * h + y) * w + x + 1] - v, 2);
      }
  const double expected = dy / (3.0 * (h - 1) * w) + dx / (3.0 * h * (w - 1));
  EXPECT_NEAR(probe::total_variation(image, h, w), expected, 1e-6);
}

// d loss / d image against central differences along random directions, in
// float64 with a step small enough that no ReLU or max-pool switches inside
// it (at steps of 1e-3 some did, and differences strayed by a few percent).
struct GradientCase {
  const char *name;
  Pooling pooling;
  StyleLossKind loss;
};

class GradientTest : public ::testing::TestWithParam<GradientCase> {};

TEST_P(GradientTest, MatchesFiniteDifferences) {
  auto model = test::narrow_model(7, GetParam().pooling);
  const int w = 24, h = 20;
  const Image content = test::synthetic_image(w, h, 3, 1);
  const Image style = test::synthetic_image(20, 24, 3, 4);
  Options options = test::quick_options(1);
  options.content_layers = {{"relu4_2", 1.0f}, {"conv2_2", 0.5f}};
  options.style_layers = {{"relu1_1", 1.0f}, {"conv3_1", 0.7f}, {"relu5_1", 1.0f}};
  options.style_weight = 1e3;
  options.tv_weight = 0.5;
  options.style_loss = GetParam().loss;

  // A point away from the content itself, so every term has a gradient.
  std::vector<double> image(std::size_t(3) * h * w);
  const auto noise = random_values(image.size(), 11);
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < h * w; ++i)
      image[c * h * w + i] = content.pixels[i * 3 + c] + 0.1f * noise[c * h * w + i];

  probe::Evaluation at;
  Status status =
      probe::evaluate(*model, content.view(), {{style.view(), 1.0f}}, options, image, at, true);
  ASSERT_TRUE(status.ok()) << status.message;
  ASSERT_GT(at.content, 0);
  ASSERT_GT(at.style, 0);
  ASSERT_GT(at.tv, 0);

  for (unsigned direction = 0; direction < 3; ++direction) {
    const auto v = random_values(image.size(), 100 + direction);
    double analytic = 0;
    for (std::size_t i = 0; i < image.size(); ++i)
      analytic += double(at.gradient[i]) * v[i];
    const double eps = 1e-6;
    std::vector<double> plus = image, minus = image;
    for (std::size_t i = 0; i < image.size(); ++i) {
      plus[i] += eps * v[i];
      minus[i] -= eps * v[i];
    }
    probe::Evaluation up, down;
    ASSERT_TRUE(
        probe::evaluate(*model, content.view(), {{style.view(), 1.0f}}, options, plus, up, true)
            .ok());
    ASSERT_TRUE(
        probe::evaluate(*model, content.view(), {{style.view(), 1.0f}}, options, minus, down, true)
            .ok());
    const double numeric = (up.total - down.total) / (2.0 * eps);
    EXPECT_NEAR(analytic, numeric, 1e-4 * std::fabs(numeric) + 1e-9) << "direction " << direction;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Poolings, GradientTest,
    ::testing::Values(GradientCase{"MaxPool", Pooling::max, StyleLossKind::gram},
                      GradientCase{"AveragePool", Pooling::average, StyleLossKind::gram},
                      GradientCase{"MeanCovariance", Pooling::max, StyleLossKind::mean_covariance}),
    [](const auto &info) { return std::string(info.param.name); });

} // namespace
} // namespace nst
