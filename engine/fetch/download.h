// download_file's steps, for ensure_weights, which holds the DownloadLock
// over the download and the features cache written after it.
#pragma once

#include "nst/weights.h"

namespace nst::fetch {

// Throws invalid_argument for a bad URL, destination or expected digest,
// cancelled when options.cancel is already set; starts libcurl.
void prepare_download(const DownloadOptions &options);

// Runs transfers into the part file until one completes (a restart is
// allowed once), verifies size and SHA-256 and renames; the caller holds
// the DownloadLock. Throws nst::Error.
void download_locked(const DownloadOptions &options);

// True when the destination exists with the expected size and SHA-256: the
// file another download finished while this one waited.
bool destination_is_expected_file(const DownloadOptions &options);

} // namespace nst::fetch
