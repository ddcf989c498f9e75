// Inside the engine, failures travel as nst::Error exceptions; the public
// functions catch them (and LibTorch's c10::Error) and return a Status.
#pragma once

#include "nst/status.h"

#include <stdexcept>
#include <string>

namespace nst {

// The message of Error(cancelled) wherever a run stops on a cancel request.
constexpr const char *kCancelledMessage = "the run was cancelled";

class Error : public std::runtime_error {
public:
  Error(ErrorCode code, const std::string &message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }
  Status status() const { return Status::error(code_, what()); }

private:
  ErrorCode code_;
};

} // namespace nst
