// Ctrl-C: before the run it cancels at once; during the run the first asks
// to stop (the result is kept), the second cancels; while the result is
// written it is ignored once.
#include "interrupt.h"

#include <gtest/gtest.h>

#include <csignal>

namespace nst_cli {
namespace {

TEST(Interrupt, BeforeTheRunTheFirstCtrlCCancels) {
  nst::CancelToken token;
  install_interrupt_handler(token, "", "");
  EXPECT_FALSE(cancel_requested());
  std::raise(SIGINT);
  EXPECT_TRUE(token.cancel_requested());
  EXPECT_TRUE(token.download_cancel()->load());
  EXPECT_TRUE(cancel_requested());
}

TEST(Interrupt, DuringTheRunTheFirstStopsAndTheSecondCancels) {
  nst::CancelToken token;
  install_interrupt_handler(token, "", "");
  enter_run_phase();
  std::raise(SIGINT);
  EXPECT_TRUE(token.stop_requested());
  EXPECT_FALSE(cancel_requested());
  EXPECT_FALSE(token.download_cancel()->load());
  std::raise(SIGINT);
  EXPECT_TRUE(token.cancel_requested());
  EXPECT_TRUE(cancel_requested());
  // The next Ctrl-C would end the process: the default action is back.
  struct sigaction current;
  sigaction(SIGINT, nullptr, &current);
  EXPECT_EQ(current.sa_handler, SIG_DFL);
}

TEST(Interrupt, WhileTheResultIsWrittenCtrlCIsIgnoredOnce) {
  nst::CancelToken token;
  install_interrupt_handler(token, "", "");
  enter_run_phase();
  enter_finishing_phase();
  std::raise(SIGINT);
  EXPECT_FALSE(token.stop_requested());
  EXPECT_FALSE(token.cancel_requested());
  EXPECT_FALSE(cancel_requested());
  struct sigaction current;
  sigaction(SIGINT, nullptr, &current);
  EXPECT_EQ(current.sa_handler, SIG_DFL);
}

} // namespace
} // namespace nst_cli
