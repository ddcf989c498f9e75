// The mean-and-covariance (W2) style loss's value and gradients on their
// own: a closed form and finite differences (its place in the objective is
// checked against PyTorch in reference_test.cpp, and in blocks in
// regions_test.cpp).
#include "core/torch_api.h"

#include "core/w2_loss.h"

#include <gtest/gtest.h>

#include <cmath>
#include <utility>

namespace nst {
namespace {

// One channel: the 2-Wasserstein distance between two normal distributions
// is (m - m_s)^2 + (s - s_s)^2, their standard deviations s (eps added to
// both variances).
TEST(W2Loss, OneChannelIsTheDistanceOfTwoNormalDistributions) {
  const auto f64 = torch::kFloat64;
  const double m = 0.7, s = 1.5, target_m = -0.2, target_s = 0.8;
  const GaussianTarget target =
      gaussian_target(torch::full({1, 1}, target_s * target_s + target_m * target_m, f64),
                      torch::full({1}, target_m, f64));
  const double eps = kW2Epsilon * target_s * target_s;
  EXPECT_NEAR(target.epsilon, eps, 1e-15);
  const W2Value value =
      w2_value(torch::full({1, 1}, s * s + m * m, f64), torch::full({1}, m, f64), target);
  const double expected =
      (m - target_m) * (m - target_m) +
      std::pow(std::sqrt(s * s + eps) - std::sqrt(target_s * target_s + eps), 2);
  EXPECT_NEAR(value.loss, expected, 1e-12);
}

// Against central differences of its own value, in float64, for a random
// pair of 6-channel statistics; and zero with no gradient at the target.
TEST(W2Loss, GradientsMatchFiniteDifferences) {
  torch::manual_seed(3);
  const auto f64 = torch::kFloat64;
  auto moments = [&](const torch::Tensor &x) { // x: C x N samples
    return std::make_pair(torch::mm(x, x.t()) / double(x.size(1)), x.mean(1));
  };
  const auto [target_second, target_mean] = moments(torch::randn({6, 40}, f64) + 0.5);
  const auto [second, mean] = moments(torch::randn({6, 40}, f64) * 1.3);
  const GaussianTarget target = gaussian_target(target_second, target_mean);
  const W2Value at = w2_value(second, mean, target);
  EXPECT_GT(at.loss, 0);
  const double h = 1e-6;
  for (int i = 0; i < 6; ++i) {
    torch::Tensor up = mean.clone(), down = mean.clone();
    up[i] += h;
    down[i] -= h;
    // The mean also moves the covariance P - m m^T: P stays, so m's own
    // gradient includes that path, as d_mean does.
    const double numeric =
        (w2_value(second, up, target).loss - w2_value(second, down, target).loss) / (2 * h);
    EXPECT_NEAR(at.d_mean[i].item<double>(), numeric, 1e-6 * (1 + std::fabs(numeric))) << i;
    for (int j = 0; j < 6; ++j) {
      torch::Tensor plus = second.clone(), minus = second.clone();
      plus[i][j] += h; // a symmetric change, split over both entries
      plus[j][i] += i == j ? 0.0 : h;
      minus[i][j] -= h;
      minus[j][i] -= i == j ? 0.0 : h;
      const double change =
          (w2_value(plus, mean, target).loss - w2_value(minus, mean, target).loss) / (2 * h);
      const double analytic = at.d_second_moment[i][j].item<double>() * (i == j ? 1 : 2);
      EXPECT_NEAR(analytic, change, 1e-6 * (1 + std::fabs(change))) << i << "," << j;
    }
  }
  const W2Value same = w2_value(target_second, target_mean, target);
  EXPECT_NEAR(same.loss, 0, 1e-10);
  EXPECT_LT(same.d_second_moment.abs().max().item<double>(), 1e-7);
  EXPECT_LT(same.d_mean.abs().max().item<double>(), 1e-7);
}

} // namespace
} // namespace nst
