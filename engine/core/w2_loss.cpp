#include "core/w2_loss.h"

#include "core/losses.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace nst {
namespace {

torch::Tensor symmetric(const torch::Tensor &m) {
  return (m + m.t()) * 0.5;
}

// V f(lambda) V^T of a symmetric positive semi-definite matrix.
torch::Tensor matrix_function(const torch::Tensor &vectors, const torch::Tensor &values) {
  return torch::mm(vectors * values.unsqueeze(0), vectors.t());
}

// C x positions view of 1 x C x h x w features, in the losses' dtype.
torch::Tensor positions_matrix(const torch::Tensor &part) {
  return part.reshape({part.size(1), part.size(2) * part.size(3)}).to(loss_dtype(part));
}

} // namespace

GaussianTarget gaussian_target(const torch::Tensor &second_moment, const torch::Tensor &mean) {
  torch::NoGradGuard no_grad;
  const torch::Tensor m = mean.to(torch::kFloat64);
  const torch::Tensor covariance =
      symmetric(second_moment.to(torch::kFloat64) - torch::outer(m, m));
  const auto c = covariance.size(0);
  GaussianTarget target;
  target.mean = m;
  target.epsilon = kW2Epsilon * std::max(covariance.trace().item<double>() / double(c), 1e-12);
  const torch::Tensor shifted = covariance + target.epsilon * torch::eye(c, covariance.options());
  const auto [values, vectors] = torch::linalg_eigh(shifted);
  target.root = symmetric(matrix_function(vectors, values.clamp_min(0).sqrt()));
  target.trace = shifted.trace().item<double>();
  return target;
}

W2Value w2_value(const torch::Tensor &second_moment, const torch::Tensor &mean,
                 const GaussianTarget &target) {
  torch::NoGradGuard no_grad;
  const torch::Tensor m = mean.to(torch::kFloat64);
  const auto c = m.size(0);
  const torch::Tensor eye = torch::eye(c, m.options());
  const torch::Tensor covariance =
      symmetric(second_moment.to(torch::kFloat64) - torch::outer(m, m)) + target.epsilon * eye;
  const torch::Tensor &t = target.root;
  const torch::Tensor product = symmetric(torch::mm(torch::mm(t, covariance), t));
  const auto [values, vectors] = torch::linalg_eigh(product);
  // Both covariances are positive definite: so is T S T, but for rounding.
  const torch::Tensor roots = values.clamp_min(values.max().item<double>() * 1e-15).sqrt();
  const double root_trace = roots.sum().item<double>();
  const torch::Tensor difference = m - target.mean;
  W2Value value;
  value.loss = (difference.square().sum().item<double>() + covariance.trace().item<double>() +
                target.trace - 2.0 * root_trace) /
               double(c);
  const torch::Tensor inverse_root = matrix_function(vectors, roots.reciprocal());
  const torch::Tensor d_covariance =
      symmetric(eye - torch::mm(torch::mm(t, inverse_root), t)) / double(c);
  const torch::ScalarType dtype = loss_dtype(second_moment);
  value.d_second_moment = d_covariance.to(dtype);
  value.d_mean = (2.0 * difference / double(c) - 2.0 * torch::mv(d_covariance, m)).to(dtype);
  return value;
}

MomentSums exact_moment_sums(const torch::Tensor &part, const torch::Tensor &guidance) {
  torch::NoGradGuard no_grad;
  const auto c = part.size(1);
  const torch::Tensor rows = part.permute({0, 2, 3, 1}).reshape({-1, c}); // positions x C
  const torch::Tensor weights = guidance.defined() ? guidance.reshape({-1}) : torch::Tensor();
  const auto f64 = part.options().dtype(torch::kFloat64);
  MomentSums sums{torch::zeros({c, c}, f64), torch::zeros({c}, f64)};
  constexpr std::int64_t kChunkValues = std::int64_t{1} << 21; // 16 MB of float64
  const std::int64_t n = rows.size(0), chunk = std::max<std::int64_t>(1, kChunkValues / c);
  for (std::int64_t start = 0; start < n; start += chunk) {
    const std::int64_t end = std::min(n, start + chunk);
    const torch::Tensor x = rows.slice(0, start, end).to(torch::kFloat64);
    sums.products.addmm_(x.t(), x);
    sums.features.add_(weights.defined()
                           ? torch::mv(x.t(), weights.slice(0, start, end).to(torch::kFloat64))
                           : x.sum(0));
  }
  return sums;
}

torch::Tensor w2_gradient_of_part(const torch::Tensor &part, const torch::Tensor &guidance,
                                  const W2Value &value, double weight) {
  const torch::Tensor x = positions_matrix(part); // C x positions
  // sum_p x_p^T D x_p + d_mean . sum_p g_p x_p, over the whole image's weight.
  const torch::Tensor quadratic =
      (torch::mm(value.d_second_moment.to(x.scalar_type()), x) * x).sum();
  const torch::Tensor weighted_sum =
      guidance.defined() ? torch::mv(x, guidance.reshape({-1}).to(x.scalar_type())) : x.sum(1);
  const torch::Tensor linear = torch::dot(value.d_mean.to(x.scalar_type()), weighted_sum);
  const torch::Tensor surrogate = (quadratic + linear) / weight;
  return surrogate - surrogate.detach();
}

} // namespace nst
