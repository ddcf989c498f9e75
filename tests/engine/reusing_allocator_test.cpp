// The reusing allocator: freed large blocks come back for the same size or
// a little smaller, and kept blocks make way so that what it holds stays
// within its limit.
#include "core/reusing_allocator.h"

#include "core/torch_api.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace nst {
namespace {

constexpr std::int64_t kMiB = 1 << 20;

torch::Tensor bytes_tensor(std::int64_t mebibytes) {
  return torch::empty({mebibytes * kMiB}, torch::kUInt8);
}

std::int64_t held_mib() {
  return std::int64_t(ReusingAllocatorScope::held_bytes()) / kMiB;
}

TEST(ReusingAllocator, GivesAFreedBlockBackForTheSameSize) {
  ReusingAllocatorScope scope(64 * kMiB);
  const void *first = nullptr;
  {
    torch::Tensor t = bytes_tensor(4);
    first = t.data_ptr();
  }
  torch::Tensor again = bytes_tensor(4);
  EXPECT_EQ(again.data_ptr(), first);
  torch::Tensor other = bytes_tensor(6);
  EXPECT_NE(other.data_ptr(), first);
}

// The blocks of a step in blocks differ a little in size: a kept block up
// to a quarter larger serves a request, the smallest that fits first; a
// request much smaller leaves it for its own size.
TEST(ReusingAllocator, AKeptBlockALittleLargerServesARequest) {
  ReusingAllocatorScope::release_cached();
  const std::int64_t before = held_mib();
  ReusingAllocatorScope scope(64 * kMiB + ReusingAllocatorScope::held_bytes());
  const void *nine = nullptr, *ten = nullptr;
  {
    torch::Tensor a = bytes_tensor(9), b = bytes_tensor(10);
    nine = a.data_ptr();
    ten = b.data_ptr();
  }
  {
    torch::Tensor eight = bytes_tensor(8); // 9 is the smallest within a quarter
    EXPECT_EQ(eight.data_ptr(), nine);
    torch::Tensor another = bytes_tensor(8); // then 10
    EXPECT_EQ(another.data_ptr(), ten);
    EXPECT_EQ(held_mib() - before, 19);
  }
  torch::Tensor seven = bytes_tensor(7); // 9 is more than a quarter larger: made anew
  EXPECT_NE(seven.data_ptr(), nine);
  EXPECT_NE(seven.data_ptr(), ten);
  EXPECT_EQ(held_mib() - before, 26);
  // Given back, each block is kept under its own size: 9 serves 9 again.
  torch::Tensor again = bytes_tensor(9);
  EXPECT_EQ(again.data_ptr(), nine);
}

TEST(ReusingAllocator, StartsLargeBlocksOnHugePageBoundaries) {
  ReusingAllocatorScope scope(64 * kMiB);
  for (std::int64_t mib : {2, 3, 5}) {
    torch::Tensor t = bytes_tensor(mib);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.data_ptr()) % (2 * kMiB), 0u) << mib << " MiB";
  }
}

TEST(ReusingAllocator, KeptBlocksMakeWayToStayWithinTheLimit) {
  ReusingAllocatorScope::release_cached();
  const std::int64_t before = held_mib();
  ReusingAllocatorScope scope(16 * kMiB + ReusingAllocatorScope::held_bytes());
  bytes_tensor(8); // freed at once, kept
  EXPECT_EQ(held_mib() - before, 8);
  {
    torch::Tensor twelve = bytes_tensor(12); // 8 kept + 12 > 16: the 8 goes
    EXPECT_EQ(held_mib() - before, 12);
  }
  torch::Tensor five = bytes_tensor(5); // 12 kept + 5 > 16: the 12 goes
  EXPECT_EQ(held_mib() - before, 5);
  torch::Tensor three = bytes_tensor(3); // 5 + 3 fits: nothing goes
  EXPECT_EQ(held_mib() - before, 8);
}

TEST(ReusingAllocator, BlocksInUseAreNeverTakenBack) {
  ReusingAllocatorScope::release_cached();
  const std::int64_t before = held_mib();
  ReusingAllocatorScope scope(4 * kMiB + ReusingAllocatorScope::held_bytes());
  torch::Tensor a = bytes_tensor(3);
  torch::Tensor b = bytes_tensor(3); // over the limit, but both are in use
  a.fill_(1);
  b.fill_(2);
  EXPECT_EQ(held_mib() - before, 6);
  EXPECT_EQ(a[0].item<std::uint8_t>(), 1);
  EXPECT_EQ(b[0].item<std::uint8_t>(), 2);
}

TEST(ReusingAllocator, ReturnsEverythingKeptWhenTheLastScopeEnds) {
  ReusingAllocatorScope::release_cached();
  const std::int64_t before = held_mib();
  {
    ReusingAllocatorScope scope(64 * kMiB);
    bytes_tensor(7);
    EXPECT_EQ(held_mib() - before, 7);
  }
  EXPECT_EQ(held_mib(), before);
}

} // namespace
} // namespace nst
