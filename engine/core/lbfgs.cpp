#include "core/lbfgs.h"

#include <cmath>

namespace nst {
namespace {

// torch.optim.LBFGS's defaults, kept so that runs match it.
constexpr double kGradientTolerance = 1e-7;
constexpr double kChangeTolerance = 1e-9;
constexpr double kSmallestCurvature = 1e-10;

double dot_product(const torch::Tensor &a, const torch::Tensor &b) {
  return a.dot(b).item<double>();
}

} // namespace

Lbfgs::Lbfgs(torch::Tensor parameter, double learning_rate, int history, double inverse_curvature)
    : parameter_(std::move(parameter)), learning_rate_(learning_rate),
      history_(static_cast<std::size_t>(std::max(history, 1))),
      inverse_curvature_(
          inverse_curvature > 0 && std::isfinite(inverse_curvature) ? inverse_curvature : 0.0),
      warm_start_(inverse_curvature_ > 0) {}

torch::Tensor Lbfgs::direction(const torch::Tensor &gradient) {
  if (steps_ > 1) {
    torch::Tensor change = gradient - previous_gradient_;
    const double curvature = dot_product(change, previous_step_);
    if (curvature > kSmallestCurvature) {
      if (gradient_changes_.size() == history_) {
        gradient_changes_.pop_front();
        steps_taken_.pop_front();
        inverse_products_.pop_front();
      }
      inverse_curvature_ = curvature / dot_product(change, change);
      gradient_changes_.push_back(std::move(change));
      steps_taken_.push_back(previous_step_);
      inverse_products_.push_back(1.0 / curvature);
    }
  }
  // The two-loop recursion over the remembered pairs.
  torch::Tensor q = gradient.neg();
  const std::size_t count = gradient_changes_.size();
  std::vector<double> alpha(count);
  for (std::size_t i = count; i-- > 0;) {
    alpha[i] = dot_product(steps_taken_[i], q) * inverse_products_[i];
    q.add_(gradient_changes_[i], -alpha[i]);
  }
  const double initial = inverse_curvature_ > 0 ? inverse_curvature_ : 1.0;
  torch::Tensor r = q.mul_(initial);
  for (std::size_t i = 0; i < count; ++i) {
    const double beta = dot_product(gradient_changes_[i], r) * inverse_products_[i];
    r.add_(steps_taken_[i], alpha[i] - beta);
  }
  return r;
}

void Lbfgs::step(const std::function<torch::Tensor()> &closure) {
  {
    torch::AutoGradMode with_gradients(true);
    closure();
  }
  torch::NoGradGuard no_grad;
  if (!parameter_.grad().defined())
    return; // a loss that does not depend on the parameter: nothing to follow
  const torch::Tensor gradient = parameter_.grad().reshape(-1).clone();
  if (gradient.abs().max().item<double>() <= kGradientTolerance)
    return; // at a stationary point: nothing to do
  ++steps_;
  const torch::Tensor d = direction(gradient);
  // PyTorch's cold start: a first step of length lr / |g|_1. A warm start
  // trusts the curvature it was given.
  const double length =
      steps_ == 1 && !warm_start_
          ? std::min(1.0, 1.0 / gradient.abs().sum().item<double>()) * learning_rate_
          : learning_rate_;
  previous_gradient_ = gradient;
  previous_step_ = d.mul_(length);
  // A step that would change the loss by less than the tolerance is not
  // taken (PyTorch's rule); the next step then sees no change of gradient
  // and keeps its curvature pairs.
  if (dot_product(gradient, previous_step_) > -kChangeTolerance * length)
    return;
  parameter_.view(-1).add_(previous_step_);
}

double inverse_curvature_at(double inverse_curvature, double from_pixels, double to_pixels) {
  if (!(inverse_curvature > 0) || !(from_pixels > 0))
    return 0.0;
  return inverse_curvature * to_pixels / from_pixels;
}

} // namespace nst
