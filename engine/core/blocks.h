// Blocks for evaluating the loss of an image too large for one pass: each
// block owns a part of the image and reads it with a margin that covers
// the receptive field of the deepest layer, so that the features of its own
// part equal the whole image's. The parts split every layer's feature grid
// exactly (their edges are multiples of the deepest pooling factor), so
// sums over the parts are sums over the image: no seam, nothing blended.
#pragma once

#include <vector>

namespace nst {

struct Box {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0; // [x0, x1) x [y0, y1)
  int width() const { return x1 - x0; }
  int height() const { return y1 - y0; }
  double pixels() const { return double(width()) * height(); }
};

struct Block {
  Box own;  // the pixels whose features this block computes
  Box read; // own plus the margin, clipped to the image
};

// The pixel grid of the features after convolution `conv` (0-based): 2^k
// after k poolings.
int pooling_factor(int conv);

// Pixels around a part that its features up to convolution `deepest_conv`
// depend on (each 3x3 convolution one feature, zero padding at the read
// box's edge), rounded up to a multiple of pooling_factor(deepest_conv).
int receptive_margin(int deepest_conv);

// Blocks whose own parts cover width x height once. Interior parts are at
// most `own_side` on a side (rounded down to read_alignment, at least one
// alignment), those at the image's edges up to a margin longer, each read at
// most read_side(own_side); as few and as equal as the alignment allows.
std::vector<Block> plan_blocks(int width, int height, int own_side, int deepest_conv);

// Read boxes start on multiples of this: the deepest layer's grid times the
// 4 outputs of a Winograd tile (winograd.h), so every layer's tiles fall
// where the whole image's do and even bfloat16 rounds alike.
int read_alignment(int deepest_conv);

// The longest read of a block planned with `own_side`: its part's side
// rounded as plan_blocks rounds it, and two margins.
int read_side(int own_side, int deepest_conv);

// The largest own side whose read box has at most `read_pixels` pixels
// (read_side); 0 when not even one alignment fits.
int largest_own_side(double read_pixels, int deepest_conv);

// The pixels `blocks` read, margins included.
double total_read_pixels(const std::vector<Block> &blocks);

// The feature rows (or columns) [first, last) of pixels [p0, p1) in a read
// box starting at `origin` whose layer has `size` rows: the own part's span
// at a layer of pooling factor `factor`. A part ending at the image's edge
// takes every row to the end.
struct Span {
  long first = 0, last = 0;
};
Span feature_span(int p0, int p1, int origin, int image_end, int factor, long size);

} // namespace nst
