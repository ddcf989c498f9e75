#include "core/tiling.h"

#include <algorithm>

namespace nst {
namespace {

std::vector<int> starts(int length, int tile, int overlap) {
  std::vector<int> result{0};
  if (length <= tile)
    return result;
  const int stride = std::max(1, tile - overlap);
  while (result.back() + tile < length)
    result.push_back(std::min(result.back() + stride, length - tile));
  return result;
}

// 0 .. 1 ramp over `overlap` pixels at the low end (if `low`) and the high end.
std::vector<float> ramp(int begin, int end, int length, int overlap) {
  std::vector<float> weights(end - begin, 1.0f);
  for (int i = 0; i < end - begin; ++i) {
    if (begin > 0 && i < overlap)
      weights[i] = std::min(weights[i], (i + 0.5f) / overlap);
    if (end < length && end - begin - i <= overlap)
      weights[i] = std::min(weights[i], (end - begin - i - 0.5f) / overlap);
  }
  return weights;
}

} // namespace

std::vector<Tile> plan_tiles(int width, int height, int tile, int overlap) {
  std::vector<Tile> tiles;
  for (int y : starts(height, tile, overlap)) {
    for (int x : starts(width, tile, overlap))
      tiles.push_back({x, y, std::min(width, x + tile), std::min(height, y + tile)});
  }
  return tiles;
}

std::vector<Tile> own_parts(const std::vector<Tile> &tiles) {
  std::vector<Tile> parts = tiles;
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    for (const Tile &other : tiles) {
      if (other.y0 == tiles[i].y0 && other.x0 < tiles[i].x0 && other.x1 > tiles[i].x0)
        parts[i].x0 = std::max(parts[i].x0, (tiles[i].x0 + other.x1) / 2);
      if (other.y0 == tiles[i].y0 && other.x0 > tiles[i].x0 && other.x0 < tiles[i].x1)
        parts[i].x1 = std::min(parts[i].x1, (other.x0 + tiles[i].x1) / 2);
      if (other.x0 == tiles[i].x0 && other.y0 < tiles[i].y0 && other.y1 > tiles[i].y0)
        parts[i].y0 = std::max(parts[i].y0, (tiles[i].y0 + other.y1) / 2);
      if (other.x0 == tiles[i].x0 && other.y0 > tiles[i].y0 && other.y0 < tiles[i].y1)
        parts[i].y1 = std::min(parts[i].y1, (other.y0 + tiles[i].y1) / 2);
    }
  }
  return parts;
}

std::vector<float> feather_weights(const Tile &tile, int width, int height, int overlap) {
  const std::vector<float> wx = ramp(tile.x0, tile.x1, width, overlap);
  const std::vector<float> wy = ramp(tile.y0, tile.y1, height, overlap);
  std::vector<float> weights(std::size_t(tile.width()) * tile.height());
  for (int y = 0; y < tile.height(); ++y)
    for (int x = 0; x < tile.width(); ++x)
      weights[std::size_t(y) * tile.width() + x] = wx[x] * wy[y];
  return weights;
}

} // namespace nst
