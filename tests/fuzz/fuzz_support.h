// Shared by the libFuzzer targets: runs one reader on the input as if it
// were a file and converts whatever it loads. nst::Error is the expected
// outcome for most inputs; anything else (a crash, a sanitizer report, an
// uncaught exception, a huge allocation) is a bug.
#pragma once

#include "base/error.h"
#include "weights/mapped_file.h"
#include "weights/tensor_file.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace nst::weights::fuzzing {

inline std::shared_ptr<const MappedFile> as_file(const std::uint8_t *data, std::size_t size) {
  std::vector<std::byte> bytes(size);
  if (size != 0)
    std::memcpy(bytes.data(), data, size);
  return MappedFile::from_memory("fuzz-input", std::move(bytes));
}

template <typename Reader>
void read_and_convert(Reader reader, const std::uint8_t *data, std::size_t size) {
  try {
    const TensorFile file = reader(as_file(data, size));
    for (const auto &[name, tensor] : file.tensors)
      tensor.to_float32();
  } catch (const Error &) {
    // a refused file: fine
  }
}

} // namespace nst::weights::fuzzing
