// Choosing the device and thread count, and what the process used.
#pragma once

#include "nst/engine.h"

#include <cstddef>
#include <optional>
#include <string>

namespace nst {

// The device for `kind`; throws Error(device_unavailable) when CUDA is
// asked for and absent, or the index is out of range.
torch::Device resolve_device(DeviceKind kind, int index);

// The device a run asking for `kind` will compute on, for what is planned
// before it (the memory plan, the time estimate): the CPU where CUDA is
// asked for and absent, which the run itself will refuse, saying why.
torch::Device planned_device(DeviceKind kind, int index);

// `requested`, or every logical CPU when 0.
int resolve_threads(int requested);

std::string device_string(const torch::Device &device); // "cpu", "cuda:0"

// Whether oneDNN convolves bfloat16 on this CPU: LibTorch refuses it without
// AVX-512 (BW, VL, DQ) or AVX-NE-CONVERT.
bool cpu_convolves_bfloat16();

// The dtype the network computes in for `precision` on `device`. bf16 is
// float32 on a CPU that cannot convolve bfloat16 (2026-12-06: every bf16 run
// on an AVX2-only AMD EPYC failed with "mkldnn_convolution: bf16 path
// needs..."); there it would bring no speed anyway.
torch::ScalarType compute_dtype(Precision precision, const torch::Device &device);

// Makes the process's peak resident memory (and on CUDA the device's peak)
// start again from what it holds now, so that a run's peak is its own and
// not an earlier run's in the same process (a test binary, a long-lived
// front end). False where the kernel does not allow it; the peak then
// includes earlier ones.
bool reset_peak_memory(const torch::Device &device = torch::Device(torch::kCPU));

// Peak memory of the run so far (since the last reset_peak_memory()): the
// process's peak RSS on the CPU, the most LibTorch's allocator held on the
// device on CUDA.
std::size_t peak_memory_bytes(const torch::Device &device);

// On CUDA, the device memory a run can have: what the driver says is free
// (after LibTorch's cache went back to it) plus what LibTorch holds already
// (the network, which the memory plan counts). None on the CPU or where the
// driver cannot say.
std::optional<std::size_t> device_room_bytes(const torch::Device &device);

// The process's resident memory now (0 where it cannot be read).
std::size_t resident_memory_bytes();

} // namespace nst
