// matrix_product against LibTorch's mm: shapes of the Winograd products,
// rows further apart than their length (a slice of a wider matrix), and the
// fallback for rows that are not contiguous.
#include "core/matrix_product.h"

#include "core/torch_api.h"

#include <gtest/gtest.h>

namespace nst {
namespace {

double relative_difference(const torch::Tensor &got, const torch::Tensor &expected) {
  return ((got - expected).abs().max() / expected.abs().max()).item<double>();
}

TEST(MatrixProduct, EqualsMm) {
  ::testing::Test::RecordProperty("backend", matrix_product_backend());
  torch::manual_seed(2);
  for (const auto &[m, k, n] : {std::tuple{176, 512, 512}, std::tuple{7, 3, 5}, {1, 16, 33}}) {
    const torch::Tensor a = torch::randn({m, k}), b = torch::randn({k, n});
    torch::Tensor out = torch::empty({m, n});
    matrix_product(a, b, out);
    EXPECT_LT(relative_difference(out, torch::mm(a.to(torch::kFloat64), b.to(torch::kFloat64))),
              1e-5)
        << m << "x" << k << " by " << k << "x" << n;
  }
}

TEST(MatrixProduct, HonoursRowStrides) {
  torch::manual_seed(3);
  const torch::Tensor wide_a = torch::randn({20, 40}), wide_b = torch::randn({30, 50});
  const torch::Tensor a = wide_a.narrow(1, 5, 30), b = wide_b.narrow(1, 10, 25);
  torch::Tensor wide_out = torch::zeros({20, 60});
  torch::Tensor out = wide_out.narrow(1, 3, 25);
  matrix_product(a, b, out);
  EXPECT_LT(relative_difference(out, torch::mm(a, b)), 1e-5);
  // Around the product the wider matrix is untouched.
  EXPECT_EQ(wide_out.narrow(1, 0, 3).abs().max().item<float>(), 0.0f);
  EXPECT_EQ(wide_out.narrow(1, 28, 32).abs().max().item<float>(), 0.0f);
}

TEST(MatrixProduct, TakesColumnMajorInputs) {
  torch::manual_seed(4);
  const torch::Tensor a = torch::randn({12, 9}).t(), b = torch::randn({5, 12}).t();
  torch::Tensor out = torch::empty({9, 5});
  matrix_product(a, b, out);
  EXPECT_LT(relative_difference(out, torch::mm(a, b)), 1e-5);
}

} // namespace
} // namespace nst
