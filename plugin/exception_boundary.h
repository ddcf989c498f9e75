// The plug-in's one exception boundary: whatever escapes `body` (an
// allocation that fails, a bug) becomes a typed failure through `fail(code,
// message)` instead of ending the process ("plug-in crashed"). The worker
// thread and the procedure's run function both go through it.
#pragma once

#include "nst/status.h"

#include <exception>
#include <new>
#include <string>

namespace nst_plugin {

template <typename Body, typename Fail>
auto exception_boundary(const char *where, Body &&body, Fail &&fail) -> decltype(body()) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return fail(nst::ErrorCode::out_of_memory,
                std::string(where) + ": out of memory (an allocation failed)");
  } catch (const std::exception &error) {
    return fail(nst::ErrorCode::internal,
                std::string(where) + ": unexpected error: " + error.what());
  } catch (...) {
    return fail(nst::ErrorCode::internal, std::string(where) + ": unexpected error");
  }
}

} // namespace nst_plugin
