// Shared by the image fuzz targets: runs one of the command line's decoders
// on the input as an open file (fmemopen), as read_image would. An error
// status is the expected outcome for most inputs; a crash, a sanitizer
// report or a huge allocation is a bug.
#pragma once

#include "image_codecs.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace nst_cli::fuzzing {

using Decoder = nst::Status (*)(std::FILE *, const std::string &, RawPixels &);

inline void decode_from_memory(Decoder decode, const std::uint8_t *data, std::size_t size) {
  if (size == 0) // fmemopen refuses an empty buffer
    return;
  std::FILE *file = ::fmemopen(const_cast<std::uint8_t *>(data), size, "rb");
  if (!file)
    return;
  RawPixels pixels;
  decode(file, "fuzz-input", pixels);
  std::fclose(file);
}

} // namespace nst_cli::fuzzing
