// The Gatys losses. Features may be bfloat16/half; Gram matrices and every
// loss are computed in float32 (float64 when the features are, for tests).
#pragma once

#include <cstdint>

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
// The same with F F^T divided by `values` instead of the features' count:
// guided features F * g divide by C * sum(g^2), their region's weight.
torch::Tensor style_loss(const torch::Tensor &features, const torch::Tensor &target, double values);

// For one part of a larger image whose whole Gram matrix G is known: a zero
// whose gradient in the part's `features` is the style loss's, given
// `difference` = G - target and `values`, the whole image's number of feature
// values at the layer (G = sum of the parts' F F^T / values).
torch::Tensor style_loss_gradient_of_part(const torch::Tensor &features,
                                          const torch::Tensor &difference, double values);

// Mean squared error, in float32.
torch::Tensor mean_squared_error(const torch::Tensor &value, const torch::Tensor &target);

// Total variation of an image 1 x 3 x H x W: the mean squared difference
// between neighbours, horizontally plus vertically.
torch::Tensor total_variation(const torch::Tensor &image);

// Values of the image one strip of add_total_variation_gradient reads,
// whatever the image's size.
constexpr std::int64_t kTotalVariationStripValues = std::int64_t{1} << 20;
// The most a strip's float32 temporaries take: the differences, their
// squares and autograd's gradient of each slice, about fifteen floats per
// value read (measured: 58 MiB for 1 Mi values).
constexpr std::int64_t kTotalVariationStripBytes = 16 * 4 * kTotalVariationStripValues;

// total_variation(image) * weight, its gradient added into `gradient` (the
// image's size) strip by strip of about `strip_values` values: the value
// and gradient of total_variation's backward, without the several
// image-sized copies that takes. Returns total_variation(image).
double add_total_variation_gradient(const torch::Tensor &image, double weight,
                                    torch::Tensor &gradient,
                                    std::int64_t strip_values = kTotalVariationStripValues);

} // namespace nst
