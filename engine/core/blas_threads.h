// OpenBLAS built with its own pthreads (Debian's libopenblas0-pthread) keeps
// its worker threads spinning for a while after each call. Beside
// LibTorch's OpenMP threads on the same cores the two pools then take the
// cores from each other: on 2 cores a 512 px bfloat16 step took 0.65 s
// instead of 0.50 s with OpenBLAS on one thread, and 0.47 s with the OpenMP
// build of OpenBLAS (libopenblas0-openmp), which shares LibTorch's threads.
#pragma once

namespace nst {

// While alive, a pthreads OpenBLAS runs on the calling thread only; the
// OpenMP and single-threaded builds, and other BLAS libraries, are left
// alone. Looked up at run time: the BLAS is whatever libblas.so.3 is.
class BlasThreadsScope {
public:
  BlasThreadsScope();
  ~BlasThreadsScope();
  BlasThreadsScope(const BlasThreadsScope &) = delete;
  BlasThreadsScope &operator=(const BlasThreadsScope &) = delete;

  // "openblas-pthreads", "openblas-openmp", "openblas-sequential" or
  // "other" (not OpenBLAS): what libblas.so.3 is in this process.
  static const char *blas_kind();

private:
  int restore_threads_ = 0; // 0: nothing to restore
};

} // namespace nst
