// BlasThreadsScope: a pthreads OpenBLAS runs on one thread inside the scope
// and gets its thread count back after it; other builds are left alone.
// meson runs this binary twice: with the system's libblas.so.3, and with
// OpenBLAS's pthreads build put first on LD_LIBRARY_PATH.
#include "core/blas_threads.h"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <string>

namespace {

using GetInt = int (*)();
using SetInt = void (*)(int);

template <typename Function> Function symbol(const char *name) {
  return reinterpret_cast<Function>(dlsym(RTLD_DEFAULT, name));
}

int parallel_kind() {
  const auto get_parallel = symbol<GetInt>("openblas_get_parallel");
  return get_parallel ? get_parallel() : -1;
}

TEST(BlasThreadsScope, KindIsWhatOpenBlasSaysItIs) {
  const std::string kind = nst::BlasThreadsScope::blas_kind();
  switch (parallel_kind()) {
  case 0: EXPECT_EQ(kind, "openblas-sequential"); break;
  case 1: EXPECT_EQ(kind, "openblas-pthreads"); break;
  case 2: EXPECT_EQ(kind, "openblas-openmp"); break;
  default: EXPECT_EQ(kind, "other");
  }
}

TEST(BlasThreadsScope, PthreadsBuildRunsOnOneThreadInsideAndIsRestored) {
  if (parallel_kind() != 1)
    GTEST_SKIP() << "libblas.so.3 here is " << nst::BlasThreadsScope::blas_kind()
                 << "; the blas-threads-pthreads test runs this with the pthreads build";
  const auto get_threads = symbol<GetInt>("openblas_get_num_threads");
  const auto set_threads = symbol<SetInt>("openblas_set_num_threads");
  ASSERT_TRUE(get_threads && set_threads);
  set_threads(2);
  ASSERT_EQ(get_threads(), 2);
  {
    nst::BlasThreadsScope scope;
    EXPECT_EQ(get_threads(), 1);
  }
  EXPECT_EQ(get_threads(), 2);
}

TEST(BlasThreadsScope, OtherBuildsKeepTheirThreads) {
  const auto get_threads = symbol<GetInt>("openblas_get_num_threads");
  if (parallel_kind() == 1 || !get_threads)
    GTEST_SKIP() << "libblas.so.3 here is " << nst::BlasThreadsScope::blas_kind();
  const int before = get_threads();
  nst::BlasThreadsScope scope;
  EXPECT_EQ(get_threads(), before);
}

} // namespace
