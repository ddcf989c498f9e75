// The Gatys losses. Features may be bfloat16/half; Gram matrices and every
// loss are computed in float32 (float64 when the features are, for tests).
#pragma once

namespace nst {

// float32, or float64 for float64 input.
torch::ScalarType loss_dtype(const torch::Tensor &t);

// G = F F^T / (C * H * W) for features 1 x C x H x W (any memory format),
// as a C x C float32 matrix; a single matrix product on the HW x C view of
// channels-last features, so nothing is copied but the float conversion.
torch::Tensor gram_matrix(const torch::Tensor &features);

// mean((gram_matrix(features) - target)^2), differentiable in `features`.
// Its backward pass is one matrix product, F (G - A) * 4 / (C^2 * CHW), in
// the features' dtype and layout, where autograd's would take two products,
// a transposed add and a dtype round trip.
torch::Tensor style_loss(const torch::Tensor &features, const torch::Tensor &target);

// The same loss for one part of a larger image: G = (F F^T + rest) / values,
// where `rest` is the fixed sum F F^T of the other parts and `values` the
// number of feature values of the whole image (channels x pixels).
torch::Tensor style_loss_of_part(const torch::Tensor &features, const torch::Tensor &target,
                                 const torch::Tensor &rest, double values);

// Mean squared error, in float32.
torch::Tensor mean_squared_error(const torch::Tensor &value, const torch::Tensor &target);

// Total variation of an image 1 x 3 x H x W: the mean squared difference
// between neighbours, horizontally plus vertically.
torch::Tensor total_variation(const torch::Tensor &image);

} // namespace nst
