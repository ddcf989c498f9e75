// EXIF orientation: which way round a camera stored a JPEG's pixels. Parsed
// from the APP1 "Exif" segment's first image directory (IFD0) by hand, with
// every offset checked against the segment, so a hostile file can only fall
// back to "as stored".
#pragma once

#include "image_codecs.h"

#include <cstddef>

namespace nst_cli {

// The Orientation tag (1 to 8) of an APP1 segment's data (from "Exif\0\0"
// on), or 1 (as stored) when the data is no EXIF, has no such tag or is
// malformed.
int exif_orientation(const unsigned char *data, std::size_t size);

// Turns 8-bit pixels stored with `orientation` (1 to 8) the right way up:
// 2 mirrors, 3 turns half-way, 4 flips, 5 transposes, 6 turns a quarter
// clockwise, 7 transverses, 8 turns a quarter anticlockwise.
void apply_orientation(RawPixels &pixels, int orientation);

} // namespace nst_cli
