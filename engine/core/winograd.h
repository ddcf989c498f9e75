// 3x3 convolutions (stride 1, padding 1) by Winograd's minimal filtering
// F(4x4, 3x3) (Lavin and Gray, 2015): each 4x4 output tile of a channel
// pair takes 36 multiplications instead of 144, as 36 matrix products of
// tiles x in by in x out. oneDNN 3.7 has no Winograd kernels for x86-64, and
// its direct ones were most of a float32 step's time here.
//
// On the CPU. The transforms and products are float32 whatever the
// pixels': they scale values by up to 100, which bfloat16's 8 bits of
// mantissa do not survive (5% error measured against 0.3% for a direct
// bfloat16 convolution). bfloat16 pixels are widened as they are read and
// rounded as they are written, which is where a bfloat16 network loses
// its precision anyway.
#pragma once

#include <torch/types.h>

namespace nst {

// The kernel (out x in x 3 x 3) in the form winograd_conv3x3 takes:
// 36 x in x out, float32, on the CPU.
torch::Tensor winograd_kernel(const torch::Tensor &weight);

// The convolution of `input` (N x in x H x W, float32 or bfloat16, CPU,
// any memory format) with a kernel from winograd_kernel, plus `bias` (out
// values; may be undefined). Returns N x out x H x W in input's dtype,
// channels-last.
torch::Tensor winograd_conv3x3(const torch::Tensor &input, const torch::Tensor &kernel,
                               const torch::Tensor &bias);

// Whether Winograd ran faster than oneDNN's direct convolution in `dtype`
// for a layer of these widths (tests/bench/conv_layers.cpp measures both
// on VGG19's shapes). Only on the CPU: a GPU keeps its own convolutions.
bool winograd_pays(const torch::Device &device, int in_channels, int out_channels,
                   torch::ScalarType dtype);

} // namespace nst
