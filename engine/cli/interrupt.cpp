#include "interrupt.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <unistd.h>

namespace nst_cli {
namespace {

// Only what a signal handler may touch: lock-free atomics and plain
// pointers set before the handler is installed.
nst::CancelToken *g_token = nullptr;
const char *g_stop_message = "";
const char *g_cancel_message = "";
enum Phase { kPreparing, kRunning, kFinishing };
volatile std::sig_atomic_t g_run_phase = kPreparing;
volatile std::sig_atomic_t g_interrupts = 0;
std::atomic<bool> g_cancelled{false};

static_assert(std::atomic<bool>::is_always_lock_free, "the handler needs lock-free atomics");

void say(const char *message) {
  // write(2) is async-signal-safe; stdio is not.
  ssize_t ignored = write(STDERR_FILENO, message, std::strlen(message));
  (void)ignored;
}

void on_interrupt(int) {
  const int saved_errno = errno;
  g_interrupts = g_interrupts + 1;
  if (g_run_phase == kFinishing) {
    // The result is being written: that is quick, and cancelling it now
    // would only lose it. A further Ctrl-C ends the process.
    std::signal(SIGINT, SIG_DFL);
  } else if (g_run_phase == kRunning && g_interrupts == 1) {
    g_token->request_stop();
    say(g_stop_message);
  } else {
    g_token->request_cancel();
    g_cancelled.store(true);
    say(g_cancel_message);
    std::signal(SIGINT, SIG_DFL); // the next Ctrl-C ends the process
  }
  errno = saved_errno;
}

} // namespace

void install_interrupt_handler(nst::CancelToken &token, const char *stop_message,
                               const char *cancel_message) {
  g_token = &token;
  g_stop_message = stop_message;
  g_cancel_message = cancel_message;
  g_run_phase = kPreparing;
  g_interrupts = 0;
  g_cancelled.store(false);
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
}

void enter_run_phase() {
  g_run_phase = kRunning;
}

void enter_finishing_phase() {
  g_run_phase = kFinishing;
}

bool cancel_requested() {
  return g_cancelled.load();
}

} // namespace nst_cli
