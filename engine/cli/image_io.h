// Reading and writing the command line's images: PNG (8 and 16 bits per
// channel; grey, RGB, RGBA and palette) and JPEG. Pixels are the engine's:
// float RGB or RGBA, 0..1, as stored (no colour management).
#pragma once

#include "nst/engine.h"
#include "nst/status.h"

#include <string>

namespace nst_cli {

struct LoadedImage {
  nst::Image image;  // RGB, or RGBA when the file has alpha (or a transparent colour)
  int bit_depth = 8; // bits per channel in the file: 8 or 16
};

// Reads a PNG or JPEG, told apart by their first bytes, not the name. Grey
// becomes RGB and a palette its colours. Errors name the file: a missing
// file gives file_not_found, an unreadable or broken one file_unreadable or
// corrupt_file, another format unsupported.
nst::Status read_image(const std::string &path, LoadedImage &loaded);

// Writes by the name's extension: .png with `bit_depth` 8 or 16 (RGB or
// RGBA), .jpg/.jpeg as 8-bit RGB at `jpeg_quality` (alpha is dropped).
// Values are clamped to 0..1 and rounded. The file is written beside the
// target and renamed over it when complete, so a failure leaves no half file.
nst::Status write_image(const std::string &path, const nst::Image &image, int bit_depth,
                        int jpeg_quality = 95);

} // namespace nst_cli
