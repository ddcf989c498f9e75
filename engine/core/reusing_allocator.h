// A CPU allocator that keeps freed large blocks for the next request of the
// same size or a little smaller. Each optimisation step allocates the same
// activations again; fresh memory from the kernel costs a page fault per
// 4 KiB page, which measured here as the largest single cost of a step (a
// 50 MB activation took 95 ms to zero-fill, 9 ms when reused).
#pragma once

#include <cstddef>

namespace nst {

// While alive, LibTorch's CPU tensors come from the reusing allocator, and
// glibc keeps what else is freed (oneDNN's and OpenBLAS's own buffers, which
// do not pass through LibTorch) in its heap instead of unmapping it; on
// destruction of the last scope the cache is emptied, glibc's defaults come
// back and the previous allocator is restored. Blocks allocated meanwhile
// may outlive it.
//
// Freed large blocks are all kept. A request takes the smallest kept block
// of its size or up to a quarter larger. When it finds none and the large
// blocks held (in use or kept) would pass held_limit_bytes, kept blocks of
// other sizes are returned to the kernel first: what is held then stays
// within the limit whenever what is in use does.
class ReusingAllocatorScope {
public:
  explicit ReusingAllocatorScope(std::size_t held_limit_bytes);
  ~ReusingAllocatorScope();
  ReusingAllocatorScope(const ReusingAllocatorScope &) = delete;
  ReusingAllocatorScope &operator=(const ReusingAllocatorScope &) = delete;

  // Frees the cached blocks and trims glibc's heap (between scales, whose
  // sizes differ).
  static void release_cached();

  // Bytes in large blocks made and not yet returned, in use or kept.
  static std::size_t held_bytes();
};

} // namespace nst
