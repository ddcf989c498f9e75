// Reading tensors from PyTorch and safetensors files without LibTorch.
//
// Files are memory-mapped; a RawTensor points into the mapping (it keeps the
// mapping alive), so loading a 548 MB file touches only the tensors read.
// These functions throw nst::Error (engine/base/error.h) on bad input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nst::weights {

enum class DType { float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, boolean };

std::size_t dtype_size(DType dtype);
const char *dtype_name(DType dtype); // "float32", "int64" ... as in tiny-expected.txt

// A run of bytes inside a mapped file (or owned memory); `owner` keeps it alive.
struct StorageBytes {
  const std::byte *data = nullptr;
  std::size_t size = 0;
  std::shared_ptr<const void> owner;
};

struct RawTensor {
  DType dtype = DType::float32;
  std::vector<std::int64_t> shape;
  std::vector<std::int64_t> strides; // in elements
  std::int64_t storage_offset = 0;   // in elements
  std::shared_ptr<const StorageBytes> storage;

  std::int64_t numel() const;
  // Row-major contiguous copy converted to float32 (float64/16, bfloat16 and
  // integers are converted; values outside float32's range become inf).
  std::vector<float> to_float32() const;
  std::vector<double> to_float64() const;
};

enum class FileFormat { torch_legacy, torch_zip, safetensors };
const char *file_format_name(FileFormat format);

struct TensorFile {
  FileFormat format = FileFormat::torch_zip;
  std::vector<std::pair<std::string, RawTensor>> tensors; // in file order
  const RawTensor *find(const std::string &name) const;
};

// Detects the format from the file's first bytes and reads every tensor.
TensorFile read_tensor_file(const std::string &path);

// Writes float32 tensors as a safetensors file (used for the features cache
// and by tests), through a temporary file renamed into place.
void write_safetensors(const std::string &path,
                       const std::vector<std::pair<std::string, RawTensor>> &tensors);

} // namespace nst::weights
