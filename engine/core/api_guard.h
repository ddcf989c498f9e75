// The engine's API boundary: runs a body that may throw and turns every
// exception into a Status, so none crosses the public functions.
#pragma once

#include "base/error.h"
#include "nst/status.h"

#include <new>
#include <string>

namespace nst {

template <typename Body> Status guard_api(const char *function, Body &&body) {
  try {
    body();
    return Status::success();
  } catch (const Error &error) {
    return error.status();
  } catch (const std::bad_alloc &) {
    return Status::error(ErrorCode::out_of_memory,
                         std::string(function) + ": out of memory (allocation failed)");
  } catch (const c10::OutOfMemoryError &error) {
    return Status::error(ErrorCode::out_of_memory,
                         std::string(function) +
                             ": device out of memory: " + error.what_without_backtrace());
  } catch (const c10::Error &error) {
    const std::string what = error.what_without_backtrace();
    // CPU allocations that fail inside LibTorch arrive as c10::Error.
    if (what.find("DefaultCPUAllocator: can't allocate memory") != std::string::npos ||
        what.find("not enough memory") != std::string::npos)
      return Status::error(ErrorCode::out_of_memory, std::string(function) + ": " + what);
    return Status::error(ErrorCode::internal, std::string(function) + ": LibTorch failed: " + what);
  } catch (const std::exception &error) {
    return Status::error(ErrorCode::internal,
                         std::string(function) + ": unexpected error: " + error.what());
  }
}

} // namespace nst
