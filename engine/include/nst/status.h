// Typed results of the engine's public functions. Exceptions never cross the
// public API: every failure becomes a Status whose code says what kind of
// problem it is and whose message names the file, key or value involved.
#pragma once

#include <string>

namespace nst {

enum class ErrorCode {
  ok = 0,
  invalid_argument,   // an option out of range, no style image, size 0, NaN weight
  file_not_found,     // a weights file or image that does not exist
  file_unreadable,    // an I/O error while reading
  not_a_weights_file, // the file is of no format the loader knows
  corrupt_file,       // truncated, bad pickle, bad zip, bad header
  unsupported,        // a pickle global or dtype outside the allow-list
  missing_key,        // a tensor the network needs is absent
  shape_mismatch,     // a tensor has an unexpected shape
  checksum_mismatch,  // a download's SHA-256 differs from the published one
  download_failed,    // network or HTTP error
  disk_full,          // no space left while writing
  device_unavailable, // CUDA asked for but not present
  out_of_memory,      // the image does not fit the memory limit
  cancelled,          // the caller cancelled the run
  internal,           // a bug: LibTorch or the engine failed unexpectedly
};

// A stable English identifier for the code ("missing_key"), for logs and
// tests. Front ends map codes to translated sentences themselves.
const char *error_code_name(ErrorCode code);

struct Status {
  ErrorCode code = ErrorCode::ok;
  std::string message; // English detail: which file, which key, what was expected

  bool ok() const { return code == ErrorCode::ok; }
  static Status success() { return {}; }
  static Status error(ErrorCode code, std::string message) {
    return Status{code, std::move(message)};
  }
};

} // namespace nst
