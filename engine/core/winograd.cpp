#include "core/winograd.h"

#include "base/error.h"
#include "core/matrix_product.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace nst {
namespace {

constexpr int kTile = 4;          // output tile side
constexpr int kPatch = kTile + 2; // input patch side
constexpr int kPoints = kPatch * kPatch;
constexpr int kLanes = 16;             // channels transformed together: one vector register
constexpr std::int64_t kTileGrain = 8; // tiles per parallel chunk

// The transforms run on kLanes channels at a time in fixed-length loops the
// compiler vectorises; built for AVX-512, AVX2 and the baseline, chosen at
// load time.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NST_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NST_VECTOR_CLONES
#endif

using Lanes = float[kLanes];

// A whole vector's copy is a fixed-size one the compiler makes two moves.
inline void copy_lanes(float *to, const float *from, std::int64_t count) {
  if (count == kLanes)
    std::memcpy(to, from, sizeof(Lanes));
  else
    std::memcpy(to, from, count * sizeof(float));
}

// bfloat16 pixels: the upper half of a float32, rounded to nearest even
// (as c10::BFloat16 does, in a form the compiler vectorises; NaN does not
// occur here: the optimisation stops on a non-finite loss).
inline float widened(std::uint16_t bfloat16) {
  const std::uint32_t bits = std::uint32_t(bfloat16) << 16;
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

inline std::uint16_t rounded(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return std::uint16_t((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
}

// to[l] = convert(from[l]); whole vectors in a loop of fixed length, which
// the compiler vectorises.
template <typename To, typename From, typename Convert>
inline void convert_lanes(To *to, const From *from, std::int64_t count, Convert convert) {
  if (count == kLanes) {
    for (int l = 0; l < kLanes; ++l)
      to[l] = convert(from[l]);
  } else {
    for (std::int64_t l = 0; l < count; ++l)
      to[l] = convert(from[l]);
  }
}

inline void copy_lanes(float *to, const c10::BFloat16 *from, std::int64_t count) {
  convert_lanes(to, reinterpret_cast<const std::uint16_t *>(from), count, widened);
}

inline void copy_lanes(c10::BFloat16 *to, const float *from, std::int64_t count) {
  convert_lanes(reinterpret_cast<std::uint16_t *>(to), from, count, rounded);
}

struct Geometry {
  std::int64_t batch, height, width, tiles_down, tiles_across, tiles;
};

Geometry geometry_of(const torch::Tensor &input) {
  Geometry g{};
  g.batch = input.size(0);
  g.height = input.size(2);
  g.width = input.size(3);
  g.tiles_down = (g.height + kTile - 1) / kTile;
  g.tiles_across = (g.width + kTile - 1) / kTile;
  g.tiles = g.batch * g.tiles_down * g.tiles_across;
  return g;
}

// B^T d B for `count` channels of one tile: d is the 6x6 patch around the
// tile (zero outside the image, which is the convolution's padding), read
// from `pixels` (NHWC); the 36 results go to planes `tiles * channels` apart.
template <typename Pixel>
[[gnu::always_inline]] inline void transform_input_tile(const Pixel *pixels, const Geometry &g,
                                                        std::int64_t tile, std::int64_t channels,
                                                        float *out) {
  const std::int64_t per_image = g.tiles_down * g.tiles_across;
  const std::int64_t n = tile / per_image;
  const std::int64_t top = (tile % per_image) / g.tiles_across * kTile - 1;
  const std::int64_t left = tile % g.tiles_across * kTile - 1;
  const std::int64_t plane = g.tiles * channels;
  for (std::int64_t c0 = 0; c0 < channels; c0 += kLanes) {
    const std::int64_t count = std::min<std::int64_t>(kLanes, channels - c0);
    Lanes d[kPatch][kPatch];
    for (int r = 0; r < kPatch; ++r) {
      const std::int64_t y = top + r;
      for (int s = 0; s < kPatch; ++s) {
        const std::int64_t x = left + s;
        if (y < 0 || y >= g.height || x < 0 || x >= g.width || count < kLanes)
          std::memset(d[r][s], 0, sizeof(Lanes));
        if (y >= 0 && y < g.height && x >= 0 && x < g.width)
          copy_lanes(d[r][s], pixels + ((n * g.height + y) * g.width + x) * channels + c0, count);
      }
    }
    Lanes t[kPatch][kPatch];
    for (int s = 0; s < kPatch; ++s) {
      for (int l = 0; l < kLanes; ++l) {
        const float d0 = d[0][s][l], d1 = d[1][s][l], d2 = d[2][s][l], d3 = d[3][s][l],
                    d4 = d[4][s][l], d5 = d[5][s][l];
        t[0][s][l] = 4 * d0 - 5 * d2 + d4;
        t[1][s][l] = d3 + d4 - 4 * (d1 + d2);
        t[2][s][l] = 4 * (d1 - d2) + d4 - d3;
        t[3][s][l] = 2 * (d3 - d1) + d4 - d2;
        t[4][s][l] = 2 * (d1 - d3) + d4 - d2;
        t[5][s][l] = 4 * d1 - 5 * d3 + d5;
      }
    }
    for (int r = 0; r < kPatch; ++r) {
      Lanes v[kPatch];
      for (int l = 0; l < kLanes; ++l) {
        const float t0 = t[r][0][l], t1 = t[r][1][l], t2 = t[r][2][l], t3 = t[r][3][l],
                    t4 = t[r][4][l], t5 = t[r][5][l];
        v[0][l] = 4 * t0 - 5 * t2 + t4;
        v[1][l] = t3 + t4 - 4 * (t1 + t2);
        v[2][l] = 4 * (t1 - t2) + t4 - t3;
        v[3][l] = 2 * (t3 - t1) + t4 - t2;
        v[4][l] = 2 * (t1 - t3) + t4 - t2;
        v[5][l] = 4 * t1 - 5 * t3 + t5;
      }
      for (int s = 0; s < kPatch; ++s) {
        copy_lanes(out + (r * kPatch + s) * plane + tile * channels + c0, v[s], count);
      }
    }
  }
}

// A^T m A plus the bias for `count` channels of one tile: m's 36 planes are
// `tiles * channels` apart; the 4x4 result goes to `pixels` (NHWC), cut at
// the image's edge.
template <typename Pixel>
[[gnu::always_inline]] inline void transform_output_tile(const float *products, const float *bias,
                                                         const Geometry &g, std::int64_t tile,
                                                         std::int64_t channels, Pixel *pixels) {
  const std::int64_t per_image = g.tiles_down * g.tiles_across;
  const std::int64_t n = tile / per_image;
  const std::int64_t top = (tile % per_image) / g.tiles_across * kTile;
  const std::int64_t left = tile % g.tiles_across * kTile;
  const std::int64_t plane = g.tiles * channels;
  for (std::int64_t c0 = 0; c0 < channels; c0 += kLanes) {
    const std::int64_t count = std::min<std::int64_t>(kLanes, channels - c0);
    Lanes m[kPatch][kPatch];
    for (int r = 0; r < kPatch; ++r) {
      for (int s = 0; s < kPatch; ++s) {
        if (count < kLanes)
          std::memset(m[r][s], 0, sizeof(Lanes));
        copy_lanes(m[r][s], products + (r * kPatch + s) * plane + tile * channels + c0, count);
      }
    }
    Lanes b = {};
    if (bias)
      std::memcpy(b, bias + c0, count * sizeof(float));
    Lanes u[kTile][kPatch];
    for (int s = 0; s < kPatch; ++s) {
      for (int l = 0; l < kLanes; ++l) {
        const float m0 = m[0][s][l], m1 = m[1][s][l], m2 = m[2][s][l], m3 = m[3][s][l],
                    m4 = m[4][s][l], m5 = m[5][s][l];
        u[0][s][l] = m0 + m1 + m2 + m3 + m4;
        u[1][s][l] = m1 - m2 + 2 * (m3 - m4);
        u[2][s][l] = m1 + m2 + 4 * (m3 + m4);
        u[3][s][l] = m1 - m2 + 8 * (m3 - m4) + m5;
      }
    }
    for (int r = 0; r < kTile; ++r) {
      const std::int64_t y = top + r;
      Lanes row[kTile];
      for (int l = 0; l < kLanes; ++l) {
        const float u0 = u[r][0][l], u1 = u[r][1][l], u2 = u[r][2][l], u3 = u[r][3][l],
                    u4 = u[r][4][l], u5 = u[r][5][l];
        row[0][l] = u0 + u1 + u2 + u3 + u4 + b[l];
        row[1][l] = u1 - u2 + 2 * (u3 - u4) + b[l];
        row[2][l] = u1 + u2 + 4 * (u3 + u4) + b[l];
        row[3][l] = u1 - u2 + 8 * (u3 - u4) + u5 + b[l];
      }
      if (y >= g.height)
        break;
      for (int s = 0; s < kTile && left + s < g.width; ++s) {
        copy_lanes(pixels + ((n * g.height + y) * g.width + left + s) * channels + c0, row[s],
                   count);
      }
    }
  }
}

// The transforms of a range of tiles, one instance per pixel type, each
// built for several instruction sets.
NST_VECTOR_CLONES
void transform_input_tiles(const float *pixels, const Geometry &g, std::int64_t begin,
                           std::int64_t end, std::int64_t channels, float *out) {
  for (std::int64_t tile = begin; tile < end; ++tile)
    transform_input_tile(pixels, g, tile, channels, out);
}

NST_VECTOR_CLONES
void transform_input_tiles(const c10::BFloat16 *pixels, const Geometry &g, std::int64_t begin,
                           std::int64_t end, std::int64_t channels, float *out) {
  for (std::int64_t tile = begin; tile < end; ++tile)
    transform_input_tile(pixels, g, tile, channels, out);
}

NST_VECTOR_CLONES
void transform_output_tiles(const float *products, const float *bias, const Geometry &g,
                            std::int64_t begin, std::int64_t end, std::int64_t channels,
                            float *pixels) {
  for (std::int64_t tile = begin; tile < end; ++tile)
    transform_output_tile(products, bias, g, tile, channels, pixels);
}

NST_VECTOR_CLONES
void transform_output_tiles(const float *products, const float *bias, const Geometry &g,
                            std::int64_t begin, std::int64_t end, std::int64_t channels,
                            c10::BFloat16 *pixels) {
  for (std::int64_t tile = begin; tile < end; ++tile)
    transform_output_tile(products, bias, g, tile, channels, pixels);
}

void check_input(const torch::Tensor &input, const torch::Tensor &kernel) {
  const auto dtype = input.scalar_type();
  if (!input.is_cpu() || (dtype != torch::kFloat32 && dtype != torch::kBFloat16) ||
      input.dim() != 4)
    throw Error(ErrorCode::internal,
                "winograd_conv3x3 takes a float32 or bfloat16 CPU N x C x H x W tensor");
  if (kernel.dim() != 3 || kernel.size(0) != kPoints || kernel.size(1) != input.size(1))
    throw Error(ErrorCode::internal,
                "winograd_conv3x3: the kernel does not match the input's channels");
}

template <typename Pixel>
torch::Tensor winograd_conv3x3_as(const torch::Tensor &input, const torch::Tensor &kernel,
                                  const torch::Tensor &bias) {
  const Geometry g = geometry_of(input);
  const std::int64_t in_channels = kernel.size(1), out_channels = kernel.size(2);
  const torch::Tensor pixels = input.contiguous(torch::MemoryFormat::ChannelsLast);
  const auto options = input.options().dtype(torch::kFloat32);

  torch::Tensor transformed = torch::empty({kPoints, g.tiles, in_channels}, options);
  {
    const Pixel *in = pixels.data_ptr<Pixel>();
    float *out = transformed.data_ptr<float>();
    at::parallel_for(0, g.tiles, kTileGrain, [&](std::int64_t begin, std::int64_t end) {
      transform_input_tiles(in, g, begin, end, in_channels, out);
    });
  }

  // The 36 products split among the threads, each on one (matrix_product.h).
  torch::Tensor products = torch::empty({kPoints, g.tiles, out_channels}, options);
  at::parallel_for(0, kPoints, 1, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t point = begin; point < end; ++point) {
      torch::Tensor product = products[point];
      matrix_product(transformed[point], kernel[point], product);
    }
  });
  transformed.reset(); // its memory serves the output

  torch::Tensor output =
      torch::empty({g.batch, out_channels, g.height, g.width},
                   input.options().memory_format(torch::MemoryFormat::ChannelsLast));
  const torch::Tensor bias32 = bias.defined() ? bias.to(torch::kFloat32).contiguous() : bias;
  {
    const float *in = products.data_ptr<float>();
    const float *b = bias32.defined() ? bias32.data_ptr<float>() : nullptr;
    Pixel *out = output.data_ptr<Pixel>();
    at::parallel_for(0, g.tiles, kTileGrain, [&](std::int64_t begin, std::int64_t end) {
      transform_output_tiles(in, b, g, begin, end, out_channels, out);
    });
  }
  return output;
}

} // namespace

torch::Tensor winograd_kernel(const torch::Tensor &weight) {
  // G of F(4x4, 3x3) with the points 0, 1, -1, 2, -2 and infinity.
  const double g[kPatch][3] = {{1 / 4.0, 0, 0},
                               {-1 / 6.0, -1 / 6.0, -1 / 6.0},
                               {-1 / 6.0, 1 / 6.0, -1 / 6.0},
                               {1 / 24.0, 1 / 12.0, 1 / 6.0},
                               {1 / 24.0, -1 / 12.0, 1 / 6.0},
                               {0, 0, 1}};
  const torch::Tensor G =
      torch::from_blob(const_cast<double *>(&g[0][0]), {kPatch, 3}, torch::kFloat64).clone();
  // out x in x 6 x 6 = G w G^T, then arranged as 36 in x out matrices.
  const torch::Tensor w = weight.detach().to(torch::kCPU, torch::kFloat64);
  const torch::Tensor u = torch::matmul(torch::matmul(G, w), G.t());
  return u.permute({2, 3, 1, 0})
      .reshape({kPoints, weight.size(1), weight.size(0)})
      .to(torch::kFloat32)
      .contiguous();
}

torch::Tensor winograd_conv3x3(const torch::Tensor &input, const torch::Tensor &kernel,
                               const torch::Tensor &bias) {
  check_input(input, kernel);
  return input.scalar_type() == torch::kBFloat16
             ? winograd_conv3x3_as<c10::BFloat16>(input, kernel, bias)
             : winograd_conv3x3_as<float>(input, kernel, bias);
}

bool winograd_pays(const torch::Device &device, int in_channels, int out_channels,
                   torch::ScalarType dtype) {
  if (!device.is_cpu())
    return false;
  // Measured at 512 px, float32: 0.88x of the direct time for 64 -> 128
  // channels, 1.12x for 64 -> 64 (the transforms cost more than the
  // products save). bfloat16's direct convolutions are 2.4x faster than
  // float32's: Winograd won only at 512 -> 512 channels.
  if (dtype == torch::kBFloat16)
    return in_channels >= 512 && out_channels >= 512;
  return dtype == torch::kFloat32 && in_channels >= 64 && out_channels >= 128;
}

} // namespace nst
