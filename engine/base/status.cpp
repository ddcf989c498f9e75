#include "nst/status.h"

namespace nst {

const char *error_code_name(ErrorCode code) {
  switch (code) {
  case ErrorCode::ok: return "ok";
  case ErrorCode::invalid_argument: return "invalid_argument";
  case ErrorCode::file_not_found: return "file_not_found";
  case ErrorCode::file_unreadable: return "file_unreadable";
  case ErrorCode::not_a_weights_file: return "not_a_weights_file";
  case ErrorCode::corrupt_file: return "corrupt_file";
  case ErrorCode::unsupported: return "unsupported";
  case ErrorCode::missing_key: return "missing_key";
  case ErrorCode::shape_mismatch: return "shape_mismatch";
  case ErrorCode::checksum_mismatch: return "checksum_mismatch";
  case ErrorCode::download_failed: return "download_failed";
  case ErrorCode::disk_full: return "disk_full";
  case ErrorCode::device_unavailable: return "device_unavailable";
  case ErrorCode::out_of_memory: return "out_of_memory";
  case ErrorCode::cancelled: return "cancelled";
  case ErrorCode::internal: return "internal";
  }
  return "unknown";
}

} // namespace nst
