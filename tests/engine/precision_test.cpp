// The precision a run computes in: bf16 where the CPU convolves bfloat16,
// float32 (and a note saying so) where it cannot, instead of failing.
#include "core/torch_api.h"

#include "core/devices.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace nst {
namespace {

bool says_float32(const RunReport &report) {
  return std::any_of(report.notes.begin(), report.notes.end(), [](const std::string &note) {
    return note.find("no bfloat16 convolutions") != std::string::npos;
  });
}

TEST(Precision, Bfloat16RunsWhereverTheCpuCanOrSaysItUsedFloat32) {
  auto model = test::narrow_model();
  const Image content = test::synthetic_image(96, 80, 3, 0);
  const Image style = test::synthetic_image(64, 64, 3, 3);
  Options options = test::quick_options(2);
  options.precision = Precision::bf16;
  Image bf16, fp32;
  RunReport bf16_report, fp32_report;
  const Status status = stylise(*model, content.view(), {{style.view(), 1.0f}}, options, bf16, {},
                                nullptr, &bf16_report);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(says_float32(bf16_report), !cpu_convolves_bfloat16());
  EXPECT_EQ(compute_dtype(Precision::bf16, torch::kCPU),
            cpu_convolves_bfloat16() ? torch::kBFloat16 : torch::kFloat32);
  options.precision = Precision::fp32;
  ASSERT_TRUE(stylise(*model, content.view(), {{style.view(), 1.0f}}, options, fp32, {}, nullptr,
                      &fp32_report)
                  .ok());
  EXPECT_FALSE(says_float32(fp32_report));
  // Without bf16 convolutions the run is the float32 one; with them it differs.
  const bool same = bf16.pixels == fp32.pixels;
  EXPECT_EQ(same, !cpu_convolves_bfloat16());
}

} // namespace
} // namespace nst
