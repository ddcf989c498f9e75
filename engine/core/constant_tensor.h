// A small tensor from constants. torch::tensor({...}) trips GCC 14's
// -Wstringop-overflow in LibTorch's own headers, so this goes by from_blob.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace nst {

template <std::size_t N>
torch::Tensor constant_tensor(const std::array<float, N> &values,
                              const torch::TensorOptions &options) {
  return torch::from_blob(const_cast<float *>(values.data()), {static_cast<int64_t>(N)},
                          torch::kFloat32)
      .to(options, false, true);
}

} // namespace nst

namespace nst {

// A float32 CPU tensor holding a copy of `values`, shaped `shape`.
inline torch::Tensor tensor_from(const std::vector<float> &values, torch::IntArrayRef shape) {
  return torch::from_blob(const_cast<float *>(values.data()), shape, torch::kFloat32).clone();
}

} // namespace nst
