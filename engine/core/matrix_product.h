// Matrix products through oneDNN's gemm where the process has it
// (LibTorch's oneDNN, found at run time: there are no oneDNN headers to
// build against, and some LibTorch builds link it statically). On this CPU
// its float32 gemm ran 1.7-4x faster than OpenBLAS's on the shapes of the
// Winograd products and Gram matrices, and its bfloat16 one twice as fast
// again, summing in float32.
#pragma once

#include <torch/types.h>

namespace nst {

// out = alpha a b for 2-D CPU tensors: a and b both float32 or both
// bfloat16, out float32. Each of a, b and out is row-major with rows any
// distance apart, or (a and b) the transpose of such a matrix. Runs on one
// thread when called inside a parallel region, as oneDNN and OpenMP
// OpenBLAS do; through LibTorch's mm in float32 where oneDNN is absent.
void matrix_product(const torch::Tensor &a, const torch::Tensor &b, torch::Tensor &out,
                    float alpha = 1.0f);

// "onednn" or "libtorch": which one matrix_product uses in this process.
const char *matrix_product_backend();

} // namespace nst
