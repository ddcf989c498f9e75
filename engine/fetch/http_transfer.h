// One HTTP(S) request of a download, with libcurl: asks for the bytes after
// those already in the part file (Range), appends what arrives, reports
// progress and watches for cancellation and stalls.
#pragma once

#include "fetch/part_file.h"
#include "nst/weights.h"

#include <cstdint>
#include <string>

namespace nst::fetch {

enum class TransferOutcome {
  complete, // the part file holds the whole body (its length checked when known)
  restart,  // the server could not resume here; the part file was emptied, try again
};

// Throws nst::Error: download_failed (network, HTTP >= 400, stall, short
// body, more than options.expected_bytes), cancelled, disk_full or file_unreadable (writing the
// part file).
TransferOutcome transfer(const DownloadOptions &options, PartFile &part);

// The protocols a redirect from `url` may go to: "https" when it starts
// with https (a redirect to plain http is refused), else "http,https".
const char *redirect_protocols(const std::string &url);

// Calls curl_global_init the first time; throws download_failed if it fails.
void initialise_curl();

} // namespace nst::fetch
