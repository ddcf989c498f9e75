// Choosing the device and thread count, and what the process used.
#pragma once

#include "nst/engine.h"

#include <cstddef>
#include <string>

namespace nst {

// The device for `kind`; throws Error(device_unavailable) when CUDA is
// asked for and absent, or the index is out of range.
torch::Device resolve_device(DeviceKind kind, int index);

// `requested`, or every logical CPU when 0.
int resolve_threads(int requested);

std::string device_string(const torch::Device &device); // "cpu", "cuda:0"

// Makes the process's peak resident memory start again from what it holds
// now, so that a run's peak is its own and not an earlier run's in the same
// process (a test binary, a long-lived front end). False where the kernel
// does not allow it; the peak then includes earlier ones.
bool reset_peak_memory();

// Peak memory of the run so far: process peak RSS on CPU (since the last
// reset_peak_memory()), the allocator's peak on CUDA where this build can
// ask for it.
std::size_t peak_memory_bytes(const torch::Device &device);

// The process's resident memory now (0 where it cannot be read).
std::size_t resident_memory_bytes();

} // namespace nst
