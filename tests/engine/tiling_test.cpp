// Tiles: their geometry, and a tiled run against an untiled one of the same
// image (close, and without a seam); images beyond the memory limit.
#include "core/tiling.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace nst {
namespace {

TEST(Tiles, CoverTheImageWithTheOverlap) {
  const auto tiles = plan_tiles(300, 130, 128, 32);
  // Columns start at 0, 96, 172 (the last pushed back inside); rows at 0, 2.
  ASSERT_EQ(tiles.size(), 6u);
  std::vector<int> covered(300 * 130, 0);
  for (const Tile &t : tiles) {
    EXPECT_EQ(t.width(), 128);
    EXPECT_EQ(t.height(), 128);
    for (int y = t.y0; y < t.y1; ++y)
      for (int x = t.x0; x < t.x1; ++x)
        ++covered[y * 300 + x];
  }
  for (int c : covered)
    ASSERT_GE(c, 1);
  EXPECT_EQ(tiles[1].x0, 96);
  EXPECT_EQ(tiles[2].x0, 172);
  EXPECT_EQ(tiles[3].y0, 2);
}

TEST(Tiles, OneTileWhenTheImageFits) {
  const auto tiles = plan_tiles(100, 60, 128, 32);
  ASSERT_EQ(tiles.size(), 1u);
  EXPECT_EQ(tiles[0].x1, 100);
  EXPECT_EQ(tiles[0].y1, 60);
}

TEST(Tiles, FeatherRampsOnlyTowardsNeighbours) {
  const Tile left{0, 0, 64, 64}, right{48, 0, 112, 64};
  const auto wl = feather_weights(left, 112, 64, 16);
  const auto wr = feather_weights(right, 112, 64, 16);
  EXPECT_FLOAT_EQ(wl[0], 1.0f);            // image edge: no ramp
  EXPECT_LT(wl[63], 0.05f);                // towards the right neighbour
  EXPECT_LT(wr[0], 0.05f);                 // from the left neighbour
  EXPECT_FLOAT_EQ(wr[63], 1.0f);           // image edge
  EXPECT_FLOAT_EQ(wr[32 * 64 + 20], 1.0f); // inside
  for (int x = 1; x < 16; ++x)
    EXPECT_GT(wr[x], wr[x - 1]);
}

// Mean absolute horizontal step between columns x-1 and x of RGB image.
double column_step(const Image &image, int x) {
  double sum = 0;
  for (int y = 0; y < image.height; ++y)
    for (int c = 0; c < 3; ++c)
      sum += std::fabs(image.pixels[(std::size_t(y) * image.width + x) * 3 + c] -
                       image.pixels[(std::size_t(y) * image.width + x - 1) * 3 + c]);
  return sum / (3.0 * image.height);
}

// How much the step into column x exceeds the mean step of the 8 around it.
double local_contrast(const Image &image, int x) {
  double around = 0;
  int n = 0;
  for (int dx = -4; dx <= 4; ++dx) {
    if (dx != 0 && x + dx >= 1 && x + dx < image.width) {
      around += column_step(image, x + dx);
      ++n;
    }
  }
  return column_step(image, x) / (around / n);
}

double mean_abs_difference(const std::vector<float> &a, const std::vector<float> &b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    sum += std::fabs(a[i] - b[i]);
  return sum / a.size();
}

TEST(TiledRun, MatchesTheWholeRunWithoutASeam) {
  auto model = test::narrow_model();
  const Image content = test::synthetic_image(160, 64, 3, 0);
  const Image style = test::synthetic_image(64, 64, 3, 3);
  // As in use: the tiles refine a coarser result that already carries the
  // style, here 20 steps at 80 x 32 before 8 at full size.
  Options options = test::quick_options(8);
  options.scales = {80, 160};
  options.iterations_per_scale = {20, 8};
  Image whole, tiled;
  RunReport whole_report, tiled_report;
  const Status whole_status = stylise(*model, content.view(), {{style.view(), 1.0f}}, options,
                                      whole, {}, nullptr, &whole_report);
  ASSERT_TRUE(whole_status.ok()) << whole_status.message;
  options.tile_size = 96; // tiles at x = 0 and 64, sharing 24 columns
  int steps = 0;
  const Status status = stylise(
      *model, content.view(), {{style.view(), 1.0f}}, options, tiled,
      [&](const Progress &p) {
        ++steps;
        EXPECT_EQ(p.steps_in_scale, p.scale_index == 0 ? 20 : 16);
        EXPECT_EQ(p.total_steps, 36);
      },
      nullptr, &tiled_report);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(steps, 36); // 20, then 8 in each of the two tiles
  ASSERT_EQ(tiled.width, 160);

  // Close to the whole run: nearer to it than to where both started.
  const double tiled_to_whole = mean_abs_difference(tiled.pixels, whole.pixels);
  const double whole_to_content = mean_abs_difference(whole.pixels, content.pixels);
  EXPECT_LT(tiled_to_whole, 0.03);                   // measured 0.013
  EXPECT_LT(tiled_to_whole, 0.4 * whole_to_content); // measured 0.27
  // Tiles lower the same objective about as far.
  EXPECT_LT(tiled_report.steps.back().total_loss, 1.5 * whole_report.steps.back().total_loss);
  // No seam: across the shared columns (64 .. 96) no column-to-column step
  // stands out from the steps around it more than anywhere in the whole run.
  double worst_tiled = 0, worst_whole = 0;
  for (int x = 60; x <= 100; ++x) {
    worst_tiled = std::max(worst_tiled, local_contrast(tiled, x));
    worst_whole = std::max(worst_whole, local_contrast(whole, x));
  }
  EXPECT_LT(worst_tiled, 1.6);
  EXPECT_LT(worst_tiled, 1.3 * worst_whole);
}

} // namespace
} // namespace nst

namespace nst {
namespace {

TEST(MemoryLimit, TilesWhatDoesNotFit) {
  auto model = test::narrow_model();
  // 300 x 200 needs about 45 MB with the narrow network; 100 MB leaves
  // about 30 MB once the slack and full-size buffers are set aside.
  const Image content = test::synthetic_image(300, 200, 3, 0);
  const Image style = test::synthetic_image(64, 64, 3, 3);
  Options options = test::quick_options(2);
  options.memory_limit_bytes = std::size_t{100} << 20;
  int steps_in_scale = 0, calls = 0;
  Image result;
  const Status status = stylise(*model, content.view(), {{style.view(), 1.0f}}, options, result,
                                [&](const Progress &p) {
                                  steps_in_scale = p.steps_in_scale;
                                  ++calls;
                                });
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_GT(steps_in_scale, 2); // 2 steps in each of several tiles
  EXPECT_EQ(steps_in_scale % 2, 0);
  EXPECT_EQ(calls, steps_in_scale);
  EXPECT_EQ(result.width, 300);
}

TEST(MemoryLimit, WhatCannotFitEvenTiledIsOutOfMemory) {
  auto model = test::narrow_model();
  const Image content = test::synthetic_image(4000, 3000, 3, 0);
  const Image style = test::synthetic_image(64, 64, 3, 3);
  Options options = test::quick_options(1);
  options.memory_limit_bytes = std::size_t{64} << 20;
  Image result;
  const Status status = stylise(*model, content.view(), {{style.view(), 1.0f}}, options, result);
  EXPECT_EQ(status.code, ErrorCode::out_of_memory) << status.message;
  EXPECT_THAT(status.message, ::testing::HasSubstr("4000x3000"));
  EXPECT_THAT(status.message, ::testing::HasSubstr("memory_limit_bytes"));
  EXPECT_TRUE(result.pixels.empty());
}

} // namespace
} // namespace nst
