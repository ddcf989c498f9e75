#include "core/reusing_allocator.h"

#include <c10/core/CPUAllocator.h>

#include <malloc.h>
#include <sys/mman.h>

#include <climits>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace nst {
namespace {

constexpr std::size_t kCachedFrom = std::size_t{1} << 20; // smaller blocks go straight back
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kPage = 4096;

class ReusingAllocator final : public c10::Allocator {
public:
  c10::DataPtr allocate(std::size_t bytes) override {
    void *data = obtain(bytes);
    return {data, data, &release, c10::Device(c10::DeviceType::CPU)};
  }
  c10::DeleterFnPtr raw_deleter() const override { return &release; }
  void copy_data(void *dest, const void *src, std::size_t count) const override {
    default_copy_data(dest, src, count);
  }

  void set_cache_limit(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    cache_limit_ = bytes;
  }

  void release_cached() {
    std::vector<void *> blocks;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto &entry : free_) {
        for (void *block : entry.second) {
          blocks.push_back(block);
          sizes_.erase(block);
        }
      }
      free_.clear();
      cached_bytes_ = 0;
    }
    for (void *block : blocks)
      std::free(block);
  }

  static ReusingAllocator &instance() {
    static ReusingAllocator *allocator = new ReusingAllocator; // outlives every block
    return *allocator;
  }

private:
  static std::size_t rounded(std::size_t bytes) {
    return bytes < kCachedFrom ? bytes : (bytes + kPage - 1) / kPage * kPage;
  }

  void *obtain(std::size_t requested) {
    const std::size_t bytes = rounded(std::max<std::size_t>(requested, 1));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto found = free_.find(bytes);
      if (found != free_.end() && !found->second.empty()) {
        void *block = found->second.back();
        found->second.pop_back();
        cached_bytes_ -= bytes;
        return block;
      }
    }
    // Large blocks on huge-page boundaries, marked for transparent huge
    // pages: 512 times fewer faults and TLB misses where the kernel agrees.
    const std::size_t alignment = bytes >= kHugePage ? kHugePage : 64;
    void *block = nullptr;
    if (posix_memalign(&block, alignment, bytes) != 0 || !block)
      throw std::bad_alloc();
    if (bytes >= kHugePage)
      madvise(block, bytes, MADV_HUGEPAGE);
    std::lock_guard<std::mutex> lock(mutex_);
    sizes_[block] = bytes;
    return block;
  }

  static void release(void *block) { instance().give_back(block); }

  void give_back(void *block) {
    if (!block)
      return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto size = sizes_.find(block);
      if (size != sizes_.end()) {
        const std::size_t bytes = size->second;
        if (bytes >= kCachedFrom && cached_bytes_ + bytes <= cache_limit_ && active_) {
          free_[bytes].push_back(block);
          cached_bytes_ += bytes;
          return;
        }
        sizes_.erase(size);
      }
    }
    std::free(block);
  }

  friend class nst::ReusingAllocatorScope;

  std::mutex mutex_;
  std::unordered_map<void *, std::size_t> sizes_;             // blocks made here, live or cached
  std::unordered_map<std::size_t, std::vector<void *>> free_; // cached, by size
  std::size_t cached_bytes_ = 0;
  std::size_t cache_limit_ = 0;
  bool active_ = false;
  int scopes_ = 0;
  c10::Allocator *previous_ = nullptr;
};

std::mutex scope_mutex;

// glibc serves requests above its mmap threshold (128 KiB at first) with
// fresh pages and unmaps them on free, and returns freed heap tops to the
// kernel; memory that oneDNN and OpenBLAS take for themselves (not through
// LibTorch's allocator) then faulted in anew each step. While a scope is
// alive glibc keeps up to 32 MiB blocks (its largest threshold) in its heap
// and trims it only when told: tests/engine/large_image_test (4000x3000)
// took 23 s instead of 135 s here, at the same peak. Afterwards glibc's initial settings return.
constexpr int kRetainedBlockBytes = 32 << 20;
constexpr int kGlibcDefaultThreshold = 128 * 1024; // M_MMAP_THRESHOLD and M_TRIM_THRESHOLD

void retain_freed_heap_memory(bool retain) {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, retain ? kRetainedBlockBytes : kGlibcDefaultThreshold);
  mallopt(M_TRIM_THRESHOLD, retain ? INT_MAX : kGlibcDefaultThreshold);
  if (!retain)
    malloc_trim(0);
#else
  (void)retain;
#endif
}

} // namespace

ReusingAllocatorScope::ReusingAllocatorScope(std::size_t cache_limit_bytes) {
  std::lock_guard<std::mutex> lock(scope_mutex);
  ReusingAllocator &allocator = ReusingAllocator::instance();
  allocator.set_cache_limit(cache_limit_bytes);
  if (allocator.scopes_++ == 0) {
    allocator.previous_ = c10::GetCPUAllocator();
    {
      std::lock_guard<std::mutex> inner(allocator.mutex_);
      allocator.active_ = true;
    }
    c10::SetCPUAllocator(&allocator);
    retain_freed_heap_memory(true);
  }
}

ReusingAllocatorScope::~ReusingAllocatorScope() {
  std::lock_guard<std::mutex> lock(scope_mutex);
  ReusingAllocator &allocator = ReusingAllocator::instance();
  if (--allocator.scopes_ == 0) {
    c10::SetCPUAllocator(allocator.previous_);
    {
      std::lock_guard<std::mutex> inner(allocator.mutex_);
      allocator.active_ = false;
    }
    allocator.release_cached();
    retain_freed_heap_memory(false);
  }
}

void ReusingAllocatorScope::release_cached() {
  ReusingAllocator::instance().release_cached();
#ifdef __GLIBC__
  malloc_trim(0); // what the heap retained for this scale's sizes, too
#endif
}

} // namespace nst
