#include "base/cuda_driver.h"

#include <dlfcn.h>

namespace nst::cuda_driver {
namespace {

// The driver API's types as its stable C ABI defines them (cuda.h).
using Result = int; // CUresult; 0 is CUDA_SUCCESS
using Device = int; // CUdevice
using Context = struct Opaque *;

struct Driver {
  Result (*init)(unsigned) = nullptr;
  Result (*device_get)(Device *, int) = nullptr;
  Result (*device_name)(char *, int, Device) = nullptr;
  Result (*retain_primary)(Context *, Device) = nullptr;
  Result (*release_primary)(Device) = nullptr;
  Result (*push)(Context) = nullptr;
  Result (*pop)(Context *) = nullptr;
  Result (*memory_info)(std::size_t *, std::size_t *) = nullptr;
  bool ready = false;
};

template <typename Function> bool find(void *library, const char *name, Function &function) {
  function = reinterpret_cast<Function>(dlsym(library, name));
  return function != nullptr;
}

// Opened once and kept: the driver stays loaded for the process anyway
// once LibTorch has used it.
const Driver &driver() {
  static const Driver loaded = [] {
    Driver d;
    void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library)
      return d;
    d.ready = find(library, "cuInit", d.init) && find(library, "cuDeviceGet", d.device_get) &&
              find(library, "cuDeviceGetName", d.device_name) &&
              find(library, "cuDevicePrimaryCtxRetain", d.retain_primary) &&
              find(library, "cuDevicePrimaryCtxRelease_v2", d.release_primary) &&
              find(library, "cuCtxPushCurrent_v2", d.push) &&
              find(library, "cuCtxPopCurrent_v2", d.pop) &&
              find(library, "cuMemGetInfo_v2", d.memory_info) && d.init(0) == 0;
    return d;
  }();
  return loaded;
}

std::optional<Device> device(int index) {
  const Driver &d = driver();
  Device handle = 0;
  if (!d.ready || index < 0 || d.device_get(&handle, index) != 0)
    return std::nullopt;
  return handle;
}

} // namespace

std::string device_name(int index) {
  const std::optional<Device> handle = device(index);
  char name[256] = {};
  if (!handle || driver().device_name(name, int(sizeof name) - 1, *handle) != 0)
    return {};
  return name;
}

std::optional<std::size_t> free_memory_bytes(int index) {
  const std::optional<Device> handle = device(index);
  if (!handle)
    return std::nullopt;
  const Driver &d = driver();
  // Memory is a context's question: ask in the device's primary context,
  // the one the CUDA runtime (and so LibTorch) uses.
  Context context = nullptr;
  if (d.retain_primary(&context, *handle) != 0)
    return std::nullopt;
  std::optional<std::size_t> answer;
  if (d.push(context) == 0) {
    std::size_t free = 0, total = 0;
    if (d.memory_info(&free, &total) == 0)
      answer = free;
    Context popped = nullptr;
    d.pop(&popped);
  }
  d.release_primary(*handle);
  return answer;
}

} // namespace nst::cuda_driver
