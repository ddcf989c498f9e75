// Per-layer float32 convolution times on VGG19's shapes: oneDNN's direct
// convolution (what the engine used before) against Winograd F(4x4, 3x3),
// forward and for the input's gradient (the rotated, transposed kernel), at
// the size of a 512 px optimisation step. The table says which layers
// winograd_pays() should pick; run it with the engine's allocator as the
// engine does:
//   build/test/tests/bench/conv-layers [WIDTH HEIGHT [REPEATS]]
#include "core/torch_api.h"

#include "core/blas_threads.h"
#include "core/devices.h"
#include "core/reusing_allocator.h"
#include "core/vgg_layout.h"
#include "core/winograd.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace {

constexpr int kWidths[] = {64,  64,  128, 128, 256, 256, 256, 256,
                           512, 512, 512, 512, 512, 512, 512, 512};

double best_seconds(const std::function<torch::Tensor()> &run, int repeats) {
  run(); // primitives made, memory in the allocator's cache
  double best = 1e30;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

} // namespace

int main(int argc, char **argv) {
  const int width = argc > 2 ? std::atoi(argv[1]) : 512;
  const int height = argc > 2 ? std::atoi(argv[2]) : 353;
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
  at::set_num_threads(nst::resolve_threads(0));
  nst::BlasThreadsScope blas_threads;
  nst::ReusingAllocatorScope allocator(std::size_t{8} << 30);
  torch::manual_seed(1);
  std::printf("%dx%d, %d threads, best of %d\n", width, height, at::get_num_threads(), repeats);
  std::printf("%-8s %9s %5s %5s %6s | %-27s | %-27s\n", "", "", "", "", "", "float32",
              "bfloat16 pixels");
  std::printf("%-8s %9s %5s %5s %6s | %8s %8s %9s | %8s %8s %9s\n", "layer", "size", "in", "out",
              "GFLOP", "direct", "winograd", "", "direct", "winograd", "");
  struct Sums {
    double direct = 0, winograd = 0, picked = 0;
  } sums[2];
  for (int conv = 1; conv < nst::vgg::kConvCount; ++conv) {
    const int block = nst::vgg::kConvs[conv].block;
    const int h = height >> (block - 1), w = width >> (block - 1);
    const int in = kWidths[conv - 1], out = kWidths[conv];
    const torch::Tensor weight32 =
        torch::randn({out, in, 3, 3}).contiguous(torch::MemoryFormat::ChannelsLast);
    const torch::Tensor bias32 = torch::randn({out});
    const torch::Tensor kernel = nst::winograd_kernel(weight32);
    std::printf("%-8s %4dx%-4d %5d %5d %6.2f", nst::vgg::kConvs[conv].name, w, h, in, out,
                2.0 * h * w * in * out * 9 / 1e9);
    int column = 0;
    for (const auto dtype : {torch::kFloat32, torch::kBFloat16}) {
      const torch::Tensor x =
          torch::randn({1, in, h, w}).contiguous(torch::MemoryFormat::ChannelsLast).to(dtype);
      const torch::Tensor weight = weight32.to(dtype), bias = bias32.to(dtype);
      const double direct = best_seconds(
          [&] { return torch::mkldnn_convolution(x, weight, bias, {1, 1}, {1, 1}, {1, 1}, 1); },
          repeats);
      const double winograd =
          best_seconds([&] { return nst::winograd_conv3x3(x, kernel, bias32); }, repeats);
      const bool picked = nst::winograd_pays(torch::kCPU, in, out, dtype);
      Sums &sum = sums[column++];
      sum.direct += direct;
      sum.winograd += winograd;
      sum.picked += picked ? winograd : direct;
      std::printf(" | %6.1fms %6.1fms %s", direct * 1e3, winograd * 1e3,
                  picked ? "(winograd)" : "(direct)  ");
    }
    std::printf("\n");
  }
  for (int column = 0; column < 2; ++column) {
    std::printf("%s, conv1_2..conv5_4: direct %.1f ms, winograd %.1f ms, as the engine picks "
                "%.1f ms\n",
                column ? "bfloat16" : "float32", sums[column].direct * 1e3,
                sums[column].winograd * 1e3, sums[column].picked * 1e3);
  }
  return 0;
}
