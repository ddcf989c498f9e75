// What the NVIDIA driver says of its GPUs: their names and free memory. It
// is asked through libcuda.so.1, opened at run time, so that every build
// (the CPU LibTorch's too) needs no CUDA headers, and where no driver is
// installed the answers are simply empty. A CUDA LibTorch works in the same
// primary context, so the free memory read here is what LibTorch can take.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace nst::cuda_driver {

// The GPU's marketing name ("NVIDIA H100 80GB HBM3"); empty when the driver
// is absent or does not know device `index`.
std::string device_name(int index);

// Bytes free on device `index` now (other processes' use subtracted); none
// when the driver is absent or cannot say.
std::optional<std::size_t> free_memory_bytes(int index);

} // namespace nst::cuda_driver
