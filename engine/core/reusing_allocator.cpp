#include "core/reusing_allocator.h"

#include <c10/core/CPUAllocator.h>

#include <malloc.h>
#include <sys/mman.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>
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

  void set_held_limit(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    held_limit_ = bytes;
  }

  void release_cached() {
    std::vector<std::pair<void *, std::size_t>> blocks;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto &entry : free_) {
        for (void *block : entry.second) {
          blocks.emplace_back(block, entry.first);
          sizes_.erase(block);
        }
      }
      free_.clear();
      held_bytes_ -= cached_bytes_;
      cached_bytes_ = 0;
    }
    for (const auto &block : blocks)
      discard(block.first, block.second);
  }

  std::size_t held_bytes() {
    std::lock_guard<std::mutex> lock(mutex_);
    return held_bytes_;
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
    std::vector<std::pair<void *, std::size_t>> evicted;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // The smallest kept block that holds the request and wastes at most
      // a fifth of itself: the blocks of a step differ a little in size
      // (those at the image's edges read no margin there), and without
      // this each change of size gave kept memory back and faulted fresh
      // memory in.
      const std::size_t largest = bytes >= kCachedFrom ? bytes + bytes / 4 : bytes;
      for (auto found = free_.lower_bound(bytes); found != free_.end() && found->first <= largest;
           ++found) {
        if (found->second.empty())
          continue;
        void *block = found->second.back();
        found->second.pop_back();
        cached_bytes_ -= found->first;
        return block;
      }
      // No kept block fits: blocks of other sizes make way, so that what
      // is held stays within the limit while one is in use.
      if (bytes >= kCachedFrom)
        evict_for(bytes, evicted);
    }
    for (const auto &block : evicted)
      discard(block.first, block.second);
    void *block = make_block(bytes);
    std::lock_guard<std::mutex> lock(mutex_);
    sizes_[block] = bytes;
    if (bytes >= kCachedFrom)
      held_bytes_ += bytes;
    return block;
  }

  // Takes cached blocks out (the caller unmaps them) until `bytes` more
  // fit under the held limit or nothing is cached.
  void evict_for(std::size_t bytes, std::vector<std::pair<void *, std::size_t>> &evicted) {
    auto entry = free_.begin();
    while (entry != free_.end() && held_bytes_ + bytes > held_limit_) {
      if (entry->second.empty()) {
        entry = free_.erase(entry);
        continue;
      }
      void *block = entry->second.back();
      entry->second.pop_back();
      sizes_.erase(block);
      cached_bytes_ -= entry->first;
      held_bytes_ -= entry->first;
      evicted.emplace_back(block, entry->first);
    }
  }

  // Small blocks from glibc, large ones mapped; discard() is the reverse.
  static void *make_block(std::size_t bytes) {
    if (bytes >= kCachedFrom)
      return map_block(bytes);
    void *block = nullptr;
    if (posix_memalign(&block, 64, bytes) != 0 || !block)
      throw std::bad_alloc();
    return block;
  }

  // Large blocks come straight from the kernel, not from glibc's heap: a
  // multi-megabyte block freed into the heap was split by small requests
  // and the next large one extended the heap instead, so the heap's free
  // space grew each tile (a tiled 1000x750 bf16 scale at a 1 GiB limit:
  // 230 -> 520 MiB free but resident). They start on huge-page boundaries,
  // marked for transparent huge pages: 512 times fewer faults and TLB
  // misses where the kernel agrees.
  static void *map_block(std::size_t bytes) {
    const std::size_t alignment = bytes >= kHugePage ? kHugePage : kPage;
    const std::size_t mapped = bytes + alignment - kPage;
    void *area = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED)
      throw std::bad_alloc();
    const auto start = reinterpret_cast<std::uintptr_t>(area);
    const std::uintptr_t aligned = (start + alignment - 1) / alignment * alignment;
    if (aligned > start)
      munmap(area, aligned - start);
    if (aligned + bytes < start + mapped)
      munmap(reinterpret_cast<void *>(aligned + bytes), start + mapped - aligned - bytes);
    void *block = reinterpret_cast<void *>(aligned);
    if (bytes >= kHugePage)
      madvise(block, bytes, MADV_HUGEPAGE);
    return block;
  }

  static void discard(void *block, std::size_t bytes) {
    if (bytes >= kCachedFrom)
      munmap(block, bytes);
    else
      std::free(block);
  }

  static void release(void *block) { instance().give_back(block); }

  void give_back(void *block) {
    if (!block)
      return;
    std::size_t bytes = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto size = sizes_.find(block);
      if (size == sizes_.end()) {
        std::free(block); // not one of ours: the default allocator's
        return;
      }
      bytes = size->second;
      if (bytes >= kCachedFrom && active_) {
        free_[bytes].push_back(block);
        cached_bytes_ += bytes;
        return;
      }
      sizes_.erase(size);
      if (bytes >= kCachedFrom)
        held_bytes_ -= bytes;
    }
    discard(block, bytes);
  }

  friend class nst::ReusingAllocatorScope;

  std::mutex mutex_;
  std::unordered_map<void *, std::size_t> sizes_;   // blocks made here, live or cached
  std::map<std::size_t, std::vector<void *>> free_; // cached, by size
  std::size_t cached_bytes_ = 0;                    // large blocks in free_
  std::size_t held_bytes_ = 0;                      // large blocks made here and not yet unmapped
  std::size_t held_limit_ = 0;
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
// took 20 s instead of 25 s here. Afterwards glibc's initial settings
// return. (The allocator's own large blocks never enter glibc's heap.)
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

ReusingAllocatorScope::ReusingAllocatorScope(std::size_t held_limit_bytes) {
  std::lock_guard<std::mutex> lock(scope_mutex);
  ReusingAllocator &allocator = ReusingAllocator::instance();
  allocator.set_held_limit(held_limit_bytes);
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

std::size_t ReusingAllocatorScope::held_bytes() {
  return ReusingAllocator::instance().held_bytes();
}

} // namespace nst
