// BlasThreadsScope: a pthreads OpenBLAS runs on one thread inside the scope
// and gets its thread count back after it; other builds are left alone.
// meson runs this binary twice: with the system's libblas.so.3 (in the
// Debian 13 root OpenBLAS's OpenMP build, which debian13-root.sh selects)
// leaving out the pthreads test, and with OpenBLAS's pthreads build put first
// on LD_LIBRARY_PATH leaving out the other builds' test. A BLAS other than the
// one a test is run with is a failure naming the one found.
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
  ASSERT_EQ(parallel_kind(), 1) << "libblas.so.3 here is " << nst::BlasThreadsScope::blas_kind()
                                << ", not OpenBLAS's pthreads build (libopenblas0-pthread)";
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
  ASSERT_TRUE(parallel_kind() == 2 && get_threads)
      << "libblas.so.3 here is " << nst::BlasThreadsScope::blas_kind()
      << ", not OpenBLAS's OpenMP build (libopenblas0-openmp, which debian13-root.sh selects)";
  const int before = get_threads();
  nst::BlasThreadsScope scope;
  EXPECT_EQ(get_threads(), before);
}

} // namespace
