// Checks on a RawTensor's view of its storage, shared by the readers (which
// refuse a file whose views leave their storage) and the conversions.
#pragma once

#include "weights/tensor_file.h"

#include <string>

namespace nst::weights {

// Throws corrupt_file when a negative size, stride or offset appears or an
// element lies outside the storage, and unsupported for a stride-0 view with
// more elements than its storage (never written by a state dict, and a way
// for a tiny file to ask for huge conversions). `where` names the file.
void check_tensor_view(const RawTensor &tensor, const std::string &name, const std::string &where);

// Throws corrupt_file naming `subject` when a size of `shape` is negative or
// its row-major strides or its size in bytes overflow int64 (possible even
// with no elements: [0, 2^32, 2^32]).
void check_shape(const std::vector<std::int64_t> &shape, DType dtype, const std::string &subject);

// Row-major strides for `shape`; throws invalid_argument for a shape that
// check_shape refuses.
std::vector<std::int64_t> contiguous_strides(const std::vector<std::int64_t> &shape);

// Whether the tensor's strides are its shape's row-major strides.
bool is_contiguous(const RawTensor &tensor);

// The tensor's elements in row-major order as raw little-endian bytes of its
// own dtype (what a safetensors file holds).
std::vector<std::byte> contiguous_bytes(const RawTensor &tensor);

} // namespace nst::weights
