// Overlapping tiles for scales too large for the memory limit, and the
// feathered weights that blend each tile back without a seam.
#pragma once

#include <vector>

namespace nst {

struct Tile {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0; // [x0, x1) x [y0, y1)
  int width() const { return x1 - x0; }
  int height() const { return y1 - y0; }
};

// Windows of at most `tile` x `tile` covering width x height, neighbours
// sharing `overlap` pixels (more where the last window is pushed back inside).
std::vector<Tile> plan_tiles(int width, int height, int tile, int overlap);

// The part of each tile that is its own: the tiles split every overlap at
// its middle, so the parts cover the image once.
std::vector<Tile> own_parts(const std::vector<Tile> &tiles);

// Blend weights of `tile` (height x width, row-major): 1 inside, falling
// linearly to 0 across the overlap on each side that has a neighbour, so
// the result moves smoothly from the earlier tiles to this one.
std::vector<float> feather_weights(const Tile &tile, int width, int height, int overlap);

} // namespace nst
