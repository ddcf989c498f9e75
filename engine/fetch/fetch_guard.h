// The fetch functions' API boundary: a body that may throw becomes a Status,
// so no exception crosses weights.h (no LibTorch here, unlike core's guard).
#pragma once

#include "base/error.h"
#include "nst/status.h"

#include <new>
#include <string>

namespace nst::fetch {

template <typename Body> Status guard_fetch(const char *function, Body &&body) {
  try {
    return body();
  } catch (const Error &error) {
    return error.status();
  } catch (const std::bad_alloc &) {
    return Status::error(ErrorCode::out_of_memory,
                         std::string(function) + ": out of memory (allocation failed)");
  } catch (const std::exception &error) {
    return Status::error(ErrorCode::internal,
                         std::string(function) + ": unexpected error: " + error.what());
  }
}

} // namespace nst::fetch
