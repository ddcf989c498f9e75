// The format readers behind read_tensor_file, over a file already in memory
// (tests and fuzz targets call them directly on bytes).
#pragma once

#include "weights/mapped_file.h"
#include "weights/tensor_file.h"

#include <memory>

namespace nst::weights {

// Detects the format from the first bytes and calls the reader for it.
TensorFile read_tensor_bytes(const std::shared_ptr<const MappedFile> &file);

TensorFile read_torch_legacy(const std::shared_ptr<const MappedFile> &file);
TensorFile read_torch_zip(const std::shared_ptr<const MappedFile> &file);
TensorFile read_safetensors(const std::shared_ptr<const MappedFile> &file);

} // namespace nst::weights
