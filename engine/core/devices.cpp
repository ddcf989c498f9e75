#include "core/devices.h"

#include "base/cuda_driver.h"
#include "base/error.h"

#if NST_HAVE_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

namespace nst {

torch::Device resolve_device(DeviceKind kind, int index) {
  const bool cuda = torch::cuda::is_available();
  if (kind == DeviceKind::cpu || (kind == DeviceKind::automatic && !cuda))
    return torch::Device(torch::kCPU);
  if (!cuda)
    throw Error(ErrorCode::device_unavailable,
                "CUDA was requested but is not available (this LibTorch build has no CUDA "
                "support, or no NVIDIA GPU and driver were found)");
  const int count = static_cast<int>(torch::cuda::device_count());
  if (index >= count)
    throw Error(ErrorCode::device_unavailable,
                "CUDA device " + std::to_string(index) + " was requested but only " +
                    std::to_string(count) + " CUDA device(s) exist (indices 0.." +
                    std::to_string(count - 1) + ")");
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

torch::Device planned_device(DeviceKind kind, int index) {
  try {
    return resolve_device(kind, index);
  } catch (const Error &) {
    return torch::Device(torch::kCPU);
  }
}

int resolve_threads(int requested) {
  if (requested > 0)
    return requested;
  const unsigned logical = std::thread::hardware_concurrency();
  return logical > 0 ? static_cast<int>(logical) : 1;
}

namespace {

// A CUDA device's index; a device named without one is LibTorch's first.
int cuda_index(const torch::Device &device) {
  return device.has_index() ? device.index() : 0;
}

} // namespace

bool cpu_convolves_bfloat16() {
  static const bool supported = [] {
    try {
      const torch::Tensor one = torch::ones({1, 1, 1, 1}, torch::kBFloat16);
      torch::mkldnn_convolution(one, one, {}, {0, 0}, {1, 1}, {1, 1}, 1);
      return true;
    } catch (const c10::Error &) {
      return false;
    }
  }();
  return supported;
}

torch::ScalarType compute_dtype(Precision precision, const torch::Device &device) {
  switch (precision) {
  case Precision::fp32: return torch::kFloat32;
  case Precision::bf16:
    return device.is_cpu() && !cpu_convolves_bfloat16() ? torch::kFloat32 : torch::kBFloat16;
  case Precision::fp16: return torch::kFloat16;
  }
  return torch::kFloat32;
}

std::string device_string(const torch::Device &device) {
  if (device.is_cuda())
    return "cuda:" + std::to_string(cuda_index(device));
  return "cpu";
}

namespace {

// A field of /proc/self/status in bytes ("VmHWM:  123 kB"); 0 when absent.
std::size_t status_bytes(const std::string &field) {
  std::ifstream status("/proc/self/status");
  std::string name;
  std::size_t kilobytes = 0;
  while (status >> name) {
    if (name == field + ":" && status >> kilobytes)
      return kilobytes * 1024;
    status.ignore(1 << 16, '\n');
  }
  return 0;
}

#if NST_HAVE_CUDA
namespace allocator = c10::cuda::CUDACachingAllocator;
constexpr auto kAllPools =
    static_cast<std::size_t>(c10::CachingDeviceAllocator::StatType::AGGREGATE);

c10::CachingDeviceAllocator::DeviceStats cuda_stats(const torch::Device &device) {
  return allocator::getDeviceStats(cuda_index(device));
}
#endif

} // namespace

bool reset_peak_memory(const torch::Device &device) {
#if NST_HAVE_CUDA
  if (device.is_cuda())
    allocator::resetPeakStats(cuda_index(device));
#else
  (void)device;
#endif
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5"; // Linux: the peak resident set becomes the current one
  clear_refs.flush();
  return bool(clear_refs);
}

std::size_t peak_memory_bytes(const torch::Device &device) {
#if NST_HAVE_CUDA
  if (device.is_cuda()) // what LibTorch's allocator held on the device at most
    return static_cast<std::size_t>(cuda_stats(device).reserved_bytes[kAllPools].peak);
#else
  (void)device; // no CUDA device can be in use in this build
#endif
  if (const std::size_t peak = status_bytes("VmHWM"))
    return peak; // since the last reset_peak_memory()
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0)
    return 0;
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024; // kilobytes on Linux
}

std::optional<std::size_t> device_room_bytes(const torch::Device &device) {
  if (!device.is_cuda())
    return std::nullopt;
  std::size_t held = 0;
#if NST_HAVE_CUDA
  // Cached blocks go back to the driver first, so that its free memory
  // counts them; what stays allocated (the network) is the run's too.
  allocator::emptyCache();
  held = static_cast<std::size_t>(cuda_stats(device).allocated_bytes[kAllPools].current);
#endif
  const std::optional<std::size_t> free = cuda_driver::free_memory_bytes(cuda_index(device));
  if (!free)
    return std::nullopt;
  return *free + held;
}

std::size_t resident_memory_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident_pages = 0;
  if (!(statm >> pages >> resident_pages))
    return 0;
  return resident_pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

std::vector<DeviceInfo> list_devices() {
  std::vector<DeviceInfo> devices;
  try {
    const int threads = resolve_threads(0);
    devices.push_back({DeviceKind::cpu, 0, "CPU (" + std::to_string(threads) + " threads)"});
    if (torch::cuda::is_available()) {
      const int count = static_cast<int>(torch::cuda::device_count());
      for (int i = 0; i < count; ++i) {
        const std::string name = cuda_driver::device_name(i);
        devices.push_back(
            {DeviceKind::cuda, i, name.empty() ? "CUDA device " + std::to_string(i) : name});
      }
    }
  } catch (...) {
    // Listing never fails: what was found so far is the answer.
  }
  return devices;
}

} // namespace nst
