// The mean-and-covariance style loss (the 2-Wasserstein distance between
// Gaussians that crowsonkb/style-transfer-pytorch uses): at a style layer,
// the features' mean m and covariance S against the style's m_s and S_s,
//
//   L = (|m - m_s|^2 + tr(S) + tr(S_s) - 2 tr(sqrt(T S T))) / C,  T = sqrt(S_s),
//
// with eps I added to both covariances (eps: kW2Epsilon times the style's
// mean variance) so that the square roots stay differentiable. Its gradient
// is computed here in closed form from one eigendecomposition (float64):
// dL/dS = (I - T (T S T)^(-1/2) T) / C, dL/dm = 2 (m - m_s) / C - 2 dL/dS m.
// Guided features (a region's guidance g per position) weigh each position
// by g^2, as guided Gram matrices do.
#pragma once

namespace nst {

constexpr double kW2Epsilon = 1e-3;

// A style layer's target: the Gaussian of the style's features.
struct GaussianTarget {
  torch::Tensor mean; // C, float64
  torch::Tensor root; // T = sqrt(S_s + eps I), C x C, float64
  double trace = 0;   // tr(S_s + eps I)
  double epsilon = 0;
};

// The target from the style's second moment E[f f^T] (C x C) and mean (C).
GaussianTarget gaussian_target(const torch::Tensor &second_moment, const torch::Tensor &mean);

// The loss at the image's statistics (second moment P = E[f f^T] and mean m
// over its positions, weighted) and its gradients in P and m, in the
// losses' dtype (loss_dtype: float32, float64 for float64 statistics).
struct W2Value {
  double loss = 0;
  torch::Tensor d_second_moment; // dL/dP (= dL/dS), C x C
  torch::Tensor d_mean;          // dL/dm, through S = P - m m^T too, C
};
W2Value w2_value(const torch::Tensor &second_moment, const torch::Tensor &mean,
                 const GaussianTarget &target);

// For features `part` (1 x C x h x w, times `guidance` when guided) of one
// part of an image whose statistics gave `value`: a zero whose gradient in
// `part` is the loss's. `guidance` (1 x 1 x h x w, undefined: 1 everywhere)
// weighs the mean's sum; `weight` is the whole image's sum of g^2 (its
// number of positions when not guided).
torch::Tensor w2_gradient_of_part(const torch::Tensor &part, const torch::Tensor &guidance,
                                  const W2Value &value, double weight);

// What a part adds to its image's statistics, in float64 (the loss's square
// roots amplify float32's rounding of the sums): over its positions, the sum
// of part part^T (C x C) and of part * guidance (C). Computed a few
// thousand positions at a time: a float64 copy of a large part's features
// would take more memory than the plan counts.
struct MomentSums {
  torch::Tensor products, features;
};
MomentSums exact_moment_sums(const torch::Tensor &part, const torch::Tensor &guidance);

} // namespace nst
