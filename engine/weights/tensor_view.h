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

// Row-major strides for `shape`.
std::vector<std::int64_t> contiguous_strides(const std::vector<std::int64_t> &shape);

// The tensor's elements in row-major order as raw little-endian bytes of its
// own dtype (what a safetensors file holds).
std::vector<std::byte> contiguous_bytes(const RawTensor &tensor);

} // namespace nst::weights
