#include "core/blas_threads.h"

#include <dlfcn.h>

namespace nst {
namespace {

// OpenBLAS's own entry points (cblas.h), found in the process if loaded.
using GetInt = int (*)();
using SetInt = void (*)(int);

template <typename Function> Function openblas_symbol(const char *name) {
  return reinterpret_cast<Function>(dlsym(RTLD_DEFAULT, name));
}

// openblas_get_parallel(): 0 sequential, 1 pthreads, 2 OpenMP.
int openblas_parallel() {
  const auto get_parallel = openblas_symbol<GetInt>("openblas_get_parallel");
  return get_parallel ? get_parallel() : -1;
}

} // namespace

BlasThreadsScope::BlasThreadsScope() {
  if (openblas_parallel() != 1)
    return;
  const auto get_threads = openblas_symbol<GetInt>("openblas_get_num_threads");
  const auto set_threads = openblas_symbol<SetInt>("openblas_set_num_threads");
  if (!get_threads || !set_threads)
    return;
  const int threads = get_threads();
  if (threads > 1) {
    set_threads(1);
    restore_threads_ = threads;
  }
}

BlasThreadsScope::~BlasThreadsScope() {
  if (restore_threads_ > 0)
    openblas_symbol<SetInt>("openblas_set_num_threads")(restore_threads_);
}

const char *BlasThreadsScope::blas_kind() {
  switch (openblas_parallel()) {
  case 0: return "openblas-sequential";
  case 1: return "openblas-pthreads";
  case 2: return "openblas-openmp";
  default: return "other";
  }
}

} // namespace nst
