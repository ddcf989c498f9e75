// The safetensors dtype names, shared by the reader and the writer.
#pragma once

#include "weights/tensor_file.h"

#include <optional>
#include <string>

namespace nst::weights {

const char *safetensors_dtype_name(DType dtype);
std::optional<DType> safetensors_dtype(const std::string &name);

// The header may not exceed this (safetensors' own limit).
constexpr std::uint64_t kMaxSafetensorsHeader = 100'000'000;

} // namespace nst::weights
