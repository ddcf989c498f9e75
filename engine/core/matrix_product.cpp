#include "core/matrix_product.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdint>

namespace nst {
namespace {

// dnnl_sgemm and dnnl_gemm_bf16bf16f32 of oneDNN's C API (dnnl.h):
// row-major; they return dnnl_status_t, 0 for success.
template <typename In>
using Gemm = int (*)(char transa, char transb, std::int64_t m, std::int64_t n, std::int64_t k,
                     float alpha, const In *a, std::int64_t lda, const In *b, std::int64_t ldb,
                     float beta, float *c, std::int64_t ldc);

template <typename In> Gemm<In> onednn_gemm(const char *name) {
  return reinterpret_cast<Gemm<In>>(dlsym(RTLD_DEFAULT, name));
}

Gemm<float> onednn_sgemm() {
  static const auto found = onednn_gemm<float>("dnnl_sgemm");
  return found;
}

Gemm<c10::BFloat16> onednn_bf16_gemm() {
  static const auto found = onednn_gemm<c10::BFloat16>("dnnl_gemm_bf16bf16f32");
  return found;
}

// How gemm reads a matrix: 'N' row-major, 'T' the transpose of a
// row-major one, with its leading dimension; false when it can do neither.
bool gemm_layout(const torch::Tensor &t, char &trans, std::int64_t &leading) {
  const std::int64_t rows = t.size(0), cols = t.size(1);
  if (t.stride(1) == 1 || cols == 1) {
    trans = 'N';
    leading = rows == 1 ? std::max<std::int64_t>(cols, 1) : t.stride(0);
    return leading >= cols;
  }
  if (t.stride(0) == 1 || rows == 1) {
    trans = 'T';
    leading = t.stride(1);
    return leading >= rows;
  }
  return false;
}

template <typename In>
bool onednn_product(Gemm<In> gemm, const torch::Tensor &a, const torch::Tensor &b,
                    torch::Tensor &out, float alpha) {
  char trans_a = 0, trans_b = 0, trans_out = 0;
  std::int64_t lda = 0, ldb = 0, ldc = 0;
  if (!gemm || !gemm_layout(a, trans_a, lda) || !gemm_layout(b, trans_b, ldb) ||
      !gemm_layout(out, trans_out, ldc) || trans_out != 'N')
    return false;
  return gemm(trans_a, trans_b, a.size(0), b.size(1), a.size(1), alpha, a.data_ptr<In>(), lda,
              b.data_ptr<In>(), ldb, 0.0f, out.data_ptr<float>(), ldc) == 0;
}

} // namespace

void matrix_product(const torch::Tensor &a, const torch::Tensor &b, torch::Tensor &out,
                    float alpha) {
  const bool done = a.scalar_type() == torch::kBFloat16
                        ? onednn_product(onednn_bf16_gemm(), a, b, out, alpha)
                        : onednn_product(onednn_sgemm(), a, b, out, alpha);
  if (done)
    return;
  torch::mm_out(out, a.to(torch::kFloat32), b.to(torch::kFloat32));
  if (alpha != 1.0f)
    out.mul_(alpha);
}

const char *matrix_product_backend() {
  return onednn_sgemm() && onednn_bf16_gemm() ? "onednn" : "libtorch";
}

} // namespace nst
