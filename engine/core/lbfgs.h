// L-BFGS as torch.optim.LBFGS runs it with max_iter 1 and no line search
// (one loss evaluation per step, the same steps to float rounding), plus a
// warm start: a finer scale can begin with the curvature the coarser scale
// ended with. PyTorch's first step has length lr / |g|_1, which on millions
// of pixels barely moves, and the curvature pair it yields is then too small
// to keep: two or three of a large scale's few steps were lost that way.
#pragma once

#include <deque>
#include <functional>

namespace nst {

class Lbfgs {
public:
  // `inverse_curvature` > 0 starts with that scalar inverse Hessian and a
  // full step (a warm start); 0 starts as PyTorch does.
  Lbfgs(torch::Tensor parameter, double learning_rate, int history, double inverse_curvature = 0);

  // Evaluates `closure` once (it sets the parameter's gradient and returns
  // the loss) and moves the parameter along the L-BFGS direction.
  void step(const std::function<torch::Tensor()> &closure);

  // s'y / y'y of the latest kept curvature pair (or the warm start's value);
  // 0 when no pair was kept yet.
  double inverse_curvature() const { return inverse_curvature_; }

private:
  torch::Tensor direction(const torch::Tensor &gradient);

  torch::Tensor parameter_;
  double learning_rate_;
  std::size_t history_;
  double inverse_curvature_;
  bool warm_start_;
  int steps_ = 0;
  torch::Tensor previous_gradient_, previous_step_;
  std::deque<torch::Tensor> gradient_changes_, steps_taken_; // y and s
  std::deque<double> inverse_products_;                      // 1 / y's
};

// The inverse curvature for a scale of `to_pixels` from one measured at
// `from_pixels`: every loss is a mean over its positions, so a pixel's share
// of the curvature shrinks as the pixels grow.
double inverse_curvature_at(double inverse_curvature, double from_pixels, double to_pixels);

} // namespace nst
