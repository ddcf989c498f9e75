// Helpers for the readers' error messages: every failure names the file and,
// where it can, the offset and what was expected there.
#pragma once

#include "base/error.h"

#include <cstdint>
#include <string>

namespace nst::weights {

// `text` in single quotes, with control and non-ASCII bytes escaped and long
// strings cut, so names read from a damaged file print safely.
std::string quoted(const std::string &text);

// "weights file '<path>'"
std::string describe_file(const std::string &path);

[[noreturn]] inline void fail(ErrorCode code, const std::string &message) {
  throw Error(code, message);
}

// Multiplication and addition that report overflow instead of wrapping.
inline bool multiply_overflows(std::uint64_t a, std::uint64_t b, std::uint64_t &result) {
  return __builtin_mul_overflow(a, b, &result);
}
inline bool add_overflows(std::uint64_t a, std::uint64_t b, std::uint64_t &result) {
  return __builtin_add_overflow(a, b, &result);
}

} // namespace nst::weights
