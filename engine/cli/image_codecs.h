// The codecs behind image_io: libpng and libjpeg on already opened files,
// with pixels as bytes (16-bit samples big-endian, as PNG stores them).
// Internal to the command line.
#pragma once

#include "nst/parameters.h" // kMaximumSide: larger files are refused before reading
#include "nst/status.h"

#include <cstdio>
#include <string>
#include <vector>

namespace nst_cli {

struct RawPixels {
  int width = 0;
  int height = 0;
  int channels = 3;                 // 3 (RGB) or 4 (RGBA)
  int bit_depth = 8;                // 8 or 16
  std::vector<unsigned char> bytes; // rows packed, width * channels * bit_depth / 8 bytes each
};

// `path` only names the file in messages.
nst::Status decode_png(std::FILE *file, const std::string &path, RawPixels &pixels);
nst::Status decode_jpeg(std::FILE *file, const std::string &path, RawPixels &pixels);
nst::Status encode_png(std::FILE *file, const std::string &path, const RawPixels &pixels);
// 8-bit RGB only.
nst::Status encode_jpeg(std::FILE *file, const std::string &path, const RawPixels &pixels,
                        int quality);

} // namespace nst_cli
