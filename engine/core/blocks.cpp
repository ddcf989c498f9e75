#include "core/blocks.h"

#include "core/vgg_layout.h"

#include <algorithm>
#include <cmath>

namespace nst {

int pooling_factor(int conv) {
  return 1 << (vgg::kConvs[conv].block - 1);
}

int receptive_margin(int deepest_conv) {
  // Each 3x3 convolution reaches one feature further on its grid; a 2x2
  // pooling adds nothing beyond a part whose edges lie on its grid.
  int reach = 0;
  for (int conv = 0; conv <= deepest_conv; ++conv)
    reach += pooling_factor(conv);
  const int factor = pooling_factor(deepest_conv);
  return (reach + factor - 1) / factor * factor;
}

int read_alignment(int deepest_conv) {
  return 4 * pooling_factor(deepest_conv);
}

namespace {

// Parts' lengths are multiples of the read alignment, so that every read
// starts exactly a margin before its part: nothing is read for alignment's
// sake.
int period_of(int own_side, int deepest_conv) {
  const int align = read_alignment(deepest_conv);
  return std::max(align, own_side / align * align);
}

// Part edges along one side. Interior parts are one period long and start a
// margin after a multiple of it; the first and the last part, whose reads
// have no margin at the image's edge, take up to a margin more: every read
// spans at most a period and two margins. As few parts as cover the side,
// as equal as the alignment allows.
std::vector<int> part_edges(int length, int own_side, int deepest_conv) {
  const int margin = receptive_margin(deepest_conv);
  const int align = read_alignment(deepest_conv);
  int period = period_of(own_side, deepest_conv);
  if (length <= period + 2 * margin)
    return {0, length};
  const int inner = length - 2 * margin;
  const int count = (inner + period - 1) / period;
  period = ((inner + count - 1) / count + align - 1) / align * align;
  std::vector<int> edges{0};
  for (int k = 1; k < count; ++k)
    edges.push_back(margin + k * period);
  edges.push_back(length);
  return edges;
}

} // namespace

std::vector<Block> plan_blocks(int width, int height, int own_side, int deepest_conv) {
  const int margin = receptive_margin(deepest_conv);
  const int align = read_alignment(deepest_conv);
  const std::vector<int> xs = part_edges(width, own_side, deepest_conv);
  const std::vector<int> ys = part_edges(height, own_side, deepest_conv);
  std::vector<Block> blocks;
  for (std::size_t j = 0; j + 1 < ys.size(); ++j) {
    for (std::size_t i = 0; i + 1 < xs.size(); ++i) {
      Block block;
      block.own = {xs[i], ys[j], xs[i + 1], ys[j + 1]};
      block.read = {std::max(0, (xs[i] - margin) / align * align),
                    std::max(0, (ys[j] - margin) / align * align),
                    std::min(width, xs[i + 1] + margin), std::min(height, ys[j + 1] + margin)};
      blocks.push_back(block);
    }
  }
  return blocks;
}

int read_side(int own_side, int deepest_conv) {
  return period_of(own_side, deepest_conv) + 2 * receptive_margin(deepest_conv);
}

int largest_own_side(double read_pixels, int deepest_conv) {
  const int align = read_alignment(deepest_conv);
  const double room =
      std::floor(std::sqrt(std::max(0.0, read_pixels))) - 2.0 * receptive_margin(deepest_conv);
  return room >= align ? int(std::min(room, 1e8)) / align * align : 0;
}

Span feature_span(int p0, int p1, int origin, int image_end, int factor, long size) {
  const long first = (p0 - origin) / factor;
  const long last = p1 == image_end ? size : (p1 - origin) / factor;
  return {std::min(first, size), std::min(last, size)};
}

double total_read_pixels(const std::vector<Block> &blocks) {
  double pixels = 0;
  for (const Block &block : blocks)
    pixels += block.read.pixels();
  return pixels;
}

} // namespace nst
