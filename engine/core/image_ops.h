// Between the caller's pixels and tensors, and the colour operations of the
// colour-preserving modes. Images are 1 x 3 x H x W float32 RGB in 0..1.
#pragma once

#include "nst/engine.h"

namespace nst {

// The RGB channels of `view` on `device` (alpha is left out).
torch::Tensor rgb_tensor(const ImageView &view, const torch::Device &device);

// `view` as a 1 x 1 x H x W float32 tensor on `device`.
torch::Tensor mask_tensor(const MaskView &view, const torch::Device &device);

// A mask resized as resize_image does, kept in 0..1.
torch::Tensor resize_mask(const torch::Tensor &mask, int64_t height, int64_t width);

// Resized to height x width: antialiased bilinear when shrinking, bicubic
// when enlarging.
torch::Tensor resize_image(const torch::Tensor &image, int64_t height, int64_t width);

// Where a finer scale starts from: `coarser` (a coarser scale's result)
// resized to `content`'s size, plus the detail of `content` that the coarser
// size cannot hold (content less content through the coarser size).
// Resizing alone leaves a finer scale without the texture its shallow
// layers see, and its few steps cannot repaint it (README, Performance).
// Where `coarser` is the content through that size, this is the content.
torch::Tensor finer_scale_start(const torch::Tensor &coarser, const torch::Tensor &content);

// Writes `image` (clamped to 0..1) into `out` as packed RGB.
void image_from_tensor(const torch::Tensor &image, Image &out);

// YIQ: Y is the luminance, I and Q the chroma.
torch::Tensor rgb_to_yiq(const torch::Tensor &rgb);
torch::Tensor yiq_to_rgb(const torch::Tensor &yiq);

// The luminance as a grey RGB image.
torch::Tensor luminance_image(const torch::Tensor &rgb);

// `styled`'s luminance with `colours`' chroma (both the same size).
torch::Tensor with_chroma_of(const torch::Tensor &styled, const torch::Tensor &colours);

// Shifts the luminance of grey image `image` so its mean and standard
// deviation match `reference`'s (Gatys et al., "Preserving color").
torch::Tensor match_luminance(const torch::Tensor &image, const torch::Tensor &reference);

// An affine colour transform of `image` that gives its pixels the mean and
// covariance of `reference`'s.
torch::Tensor match_colours(const torch::Tensor &image, const torch::Tensor &reference);

// `image` with each channel's histogram made `reference`'s, in the reference's
// decorrelated colour axes (the eigenvectors of its colour covariance), so
// that correlated colours move together: quantile i of the image's values
// takes the reference's quantile i. Clamped to 0..1.
torch::Tensor match_histograms(const torch::Tensor &image, const torch::Tensor &reference);

} // namespace nst
