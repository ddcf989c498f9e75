#include "core/image_ops.h"

#include "core/constant_tensor.h"

namespace nst {
torch::Tensor rgb_tensor(const ImageView &view, const torch::Device &device) {
  const std::ptrdiff_t stride =
      view.row_stride ? view.row_stride : std::ptrdiff_t{view.width} * view.channels;
  // Rows `stride` floats apart, pixels `channels` apart: a strided view of
  // the caller's memory, copied once into a packed NCHW tensor.
  const torch::Tensor pixels =
      torch::from_blob(const_cast<float *>(view.pixels), {view.height, view.width, 3},
                       {stride, view.channels, 1}, torch::kFloat32);
  return pixels.permute({2, 0, 1})
      .unsqueeze(0)
      .to(device, torch::kFloat32, false, true)
      .contiguous();
}

torch::Tensor mask_tensor(const MaskView &view, const torch::Device &device) {
  const std::ptrdiff_t stride = view.row_stride ? view.row_stride : std::ptrdiff_t{view.width};
  return torch::from_blob(const_cast<float *>(view.pixels), {1, 1, view.height, view.width},
                          {0, 0, stride, 1}, torch::kFloat32)
      .to(device, torch::kFloat32, false, true)
      .contiguous();
}

torch::Tensor resize_mask(const torch::Tensor &mask, int64_t height, int64_t width) {
  if (mask.size(2) == height && mask.size(3) == width)
    return mask;
  return resize_image(mask, height, width).clamp(0, 1);
}

torch::Tensor resize_image(const torch::Tensor &image, int64_t height, int64_t width) {
  if (image.size(2) == height && image.size(3) == width)
    return image;
  const bool shrinking = height <= image.size(2) && width <= image.size(3);
  if (shrinking)
    return torch::_upsample_bilinear2d_aa(image, {height, width}, false).contiguous();
  return torch::upsample_bicubic2d(image, {height, width}, false).contiguous();
}

torch::Tensor finer_scale_start(const torch::Tensor &coarser, const torch::Tensor &content) {
  const int64_t height = content.size(2), width = content.size(3);
  if (coarser.size(2) == height && coarser.size(3) == width)
    return coarser.clone(); // the same size: no detail is missing
  // In place on fresh tensors: at 12 MP each image-sized one is 144 MB.
  torch::Tensor start =
      resize_image(resize_image(content, coarser.size(2), coarser.size(3)), height, width);
  return start.neg_().add_(content).add_(resize_image(coarser, height, width));
}

void image_from_tensor(const torch::Tensor &image, Image &out) {
  const torch::Tensor hwc =
      image.detach().clamp(0, 1).squeeze(0).permute({1, 2, 0}).to(torch::kCPU).contiguous();
  out.height = static_cast<int>(hwc.size(0));
  out.width = static_cast<int>(hwc.size(1));
  out.channels = 3;
  out.pixels.assign(hwc.data_ptr<float>(), hwc.data_ptr<float>() + hwc.numel());
}

namespace {

torch::Tensor colour_matrix(const float (&m)[3][3], const torch::Tensor &like) {
  return constant_tensor<9>(
             {m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2]},
             like.options())
      .view({3, 3});
}

// Applies a 3x3 colour matrix to every pixel of 1 x 3 x H x W.
torch::Tensor apply_matrix(const torch::Tensor &matrix, const torch::Tensor &image) {
  return torch::einsum("ij,njhw->nihw", {matrix, image}).contiguous();
}

const float kRgbToYiq[3][3] = {{0.299f, 0.587f, 0.114f},
                               {0.595716f, -0.274453f, -0.321263f},
                               {0.211456f, -0.522591f, 0.311135f}};

} // namespace

torch::Tensor rgb_to_yiq(const torch::Tensor &rgb) {
  return apply_matrix(colour_matrix(kRgbToYiq, rgb), rgb);
}

torch::Tensor yiq_to_rgb(const torch::Tensor &yiq) {
  return apply_matrix(torch::inverse(colour_matrix(kRgbToYiq, yiq)), yiq);
}

torch::Tensor luminance_image(const torch::Tensor &rgb) {
  return rgb_to_yiq(rgb).narrow(1, 0, 1).expand({-1, 3, -1, -1}).contiguous();
}

torch::Tensor with_chroma_of(const torch::Tensor &styled, const torch::Tensor &colours) {
  const torch::Tensor y = rgb_to_yiq(styled).narrow(1, 0, 1);
  const torch::Tensor iq = rgb_to_yiq(colours).narrow(1, 1, 2);
  return yiq_to_rgb(torch::cat({y, iq}, 1));
}

torch::Tensor match_luminance(const torch::Tensor &image, const torch::Tensor &reference) {
  const torch::Tensor y = rgb_to_yiq(image).narrow(1, 0, 1);
  const torch::Tensor ref = rgb_to_yiq(reference).narrow(1, 0, 1);
  const torch::Tensor scale = ref.std() / y.std().clamp_min(1e-6);
  const torch::Tensor matched = (y - y.mean()) * scale + ref.mean();
  return matched.expand({-1, 3, -1, -1}).contiguous();
}

namespace {

// Symmetric matrix to the power `p` (eigenvalues clamped away from zero).
torch::Tensor symmetric_power(const torch::Tensor &matrix, double p) {
  auto [values, vectors] = torch::linalg_eigh(matrix);
  const torch::Tensor powered = values.clamp_min(1e-5).pow(p);
  return vectors.mm(torch::diag(powered)).mm(vectors.t());
}

} // namespace

torch::Tensor match_colours(const torch::Tensor &image, const torch::Tensor &reference) {
  const torch::Tensor pixels = image.reshape({3, -1}).to(torch::kFloat64);
  const torch::Tensor ref_pixels = reference.reshape({3, -1}).to(torch::kFloat64);
  const torch::Tensor mean = pixels.mean(1, true), ref_mean = ref_pixels.mean(1, true);
  const torch::Tensor centred = pixels - mean, ref_centred = ref_pixels - ref_mean;
  const torch::Tensor cov = centred.mm(centred.t()) / centred.size(1);
  const torch::Tensor ref_cov = ref_centred.mm(ref_centred.t()) / ref_centred.size(1);
  // x' = C_ref^(1/2) C^(-1/2) (x - mean) + mean_ref
  const torch::Tensor transform = symmetric_power(ref_cov, 0.5).mm(symmetric_power(cov, -0.5));
  const torch::Tensor matched = transform.mm(centred) + ref_mean;
  return matched.to(torch::kFloat32).reshape(image.sizes()).clamp(0, 1).contiguous();
}

torch::Tensor match_histograms(const torch::Tensor &image, const torch::Tensor &reference) {
  // The axes in float64 (a 3 x 3 eigenproblem); the pixels in float32 and one
  // axis at a time, so that the ranks' int64 temporaries stay small.
  const torch::Tensor ref_pixels = reference.reshape({3, -1});
  const torch::Tensor ref_mean = ref_pixels.mean(1, true);
  const torch::Tensor ref_centred = (ref_pixels - ref_mean).to(torch::kFloat64);
  const torch::Tensor axes =
      std::get<1>(torch::linalg_eigh(ref_centred.mm(ref_centred.t()) / ref_centred.size(1)))
          .to(torch::kFloat32);
  const torch::Tensor projected = axes.t().mm(image.reshape({3, -1}) - ref_mean);
  const torch::Tensor ref_projected = axes.t().mm(ref_pixels - ref_mean);
  const int64_t count = projected.size(1), ref_count = ref_projected.size(1);
  // The i-th smallest value takes the reference's quantile at the same rank.
  const torch::Tensor positions =
      ((torch::arange(count, projected.options().dtype(torch::kFloat64)) + 0.5) *
       (double(ref_count) / double(count)))
          .floor()
          .to(torch::kLong)
          .clamp(0, ref_count - 1);
  torch::Tensor matched = torch::empty_like(projected);
  for (int64_t axis = 0; axis < 3; ++axis) {
    const torch::Tensor ref_sorted = std::get<0>(ref_projected[axis].sort());
    matched[axis].index_put_({projected[axis].argsort()}, ref_sorted.index_select(0, positions));
  }
  return (axes.mm(matched) + ref_mean).reshape(image.sizes()).clamp(0, 1).contiguous();
}

} // namespace nst
