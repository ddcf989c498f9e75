// A run's peak memory is its own: an earlier, larger peak of the same
// process (another test, an earlier run in a long-lived front end) is
// forgotten when a run begins. The CPU needs no room from a GPU's driver.
#include "core/torch_api.h"

#include "base/cuda_driver.h"
#include "core/devices.h"

#include <gtest/gtest.h>

#include <sys/mman.h>

#include <cstring>

namespace nst {
namespace {

TEST(PeakMemory, AResetForgetsAnEarlierPeak) {
  constexpr std::size_t kBytes = std::size_t{256} << 20;
  {
    // Touched, so resident; unmapped, so the peak stays behind alone (mmap
    // itself: no allocator, a sanitizer's either, keeps it).
    void *block = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(block, MAP_FAILED);
    std::memset(block, 1, kBytes);
    EXPECT_GE(peak_memory_bytes(torch::Device(torch::kCPU)), resident_memory_bytes());
    munmap(block, kBytes);
  }
  const std::size_t before = peak_memory_bytes(torch::Device(torch::kCPU));
  ASSERT_TRUE(reset_peak_memory());
  const std::size_t after = peak_memory_bytes(torch::Device(torch::kCPU));
  EXPECT_LT(after + kBytes / 2, before) << "the peak of the freed block was kept";
  EXPECT_GE(after + (std::size_t{4} << 20), resident_memory_bytes());
}

TEST(DeviceRoom, TheCpuTakesNoneFromAGpuDriver) {
  EXPECT_FALSE(device_room_bytes(torch::Device(torch::kCPU)).has_value());
  // No machine has a GPU 64 (and without a driver nothing is known).
  EXPECT_EQ(cuda_driver::device_name(64), "");
  EXPECT_FALSE(cuda_driver::free_memory_bytes(64).has_value());
  EXPECT_EQ(cuda_driver::device_name(-1), "");
}

} // namespace
} // namespace nst
