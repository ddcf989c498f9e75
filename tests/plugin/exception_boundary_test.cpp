// The plug-in's exception boundary turns what escapes into typed failures.
#include "exception_boundary.h"

#include <gtest/gtest.h>

#include <new>
#include <stdexcept>

namespace {

struct Outcome {
  nst::ErrorCode code = nst::ErrorCode::ok;
  std::string message;
};

template <typename Body> Outcome through_boundary(Body body) {
  return nst_plugin::exception_boundary(
      "run", body,
      [](nst::ErrorCode code, const std::string &message) { return Outcome{code, message}; });
}

TEST(ExceptionBoundary, AResultPassesThrough) {
  const Outcome outcome = through_boundary([] { return Outcome{nst::ErrorCode::ok, "fine"}; });
  EXPECT_EQ(outcome.code, nst::ErrorCode::ok);
  EXPECT_EQ(outcome.message, "fine");
}

TEST(ExceptionBoundary, AFailedAllocationIsOutOfMemory) {
  const Outcome outcome = through_boundary([]() -> Outcome { throw std::bad_alloc(); });
  EXPECT_EQ(outcome.code, nst::ErrorCode::out_of_memory);
  EXPECT_NE(outcome.message.find("run"), std::string::npos);
}

TEST(ExceptionBoundary, AnythingElseIsAnInternalErrorWithItsText) {
  Outcome outcome = through_boundary([]() -> Outcome { throw std::runtime_error("boom"); });
  EXPECT_EQ(outcome.code, nst::ErrorCode::internal);
  EXPECT_NE(outcome.message.find("boom"), std::string::npos);
  outcome = through_boundary([]() -> Outcome { throw 42; });
  EXPECT_EQ(outcome.code, nst::ErrorCode::internal);
}

} // namespace
