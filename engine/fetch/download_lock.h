// One download of a destination at a time, across processes and threads: an
// exclusive flock on "<destination>.lock" beside the part file. A second
// download waits for the first (reporting the other's progress from its part
// file) instead of failing, then finds its finished file.
#pragma once

#include "nst/weights.h"

namespace nst::fetch {

class DownloadLock {
public:
  // Creates the folder and the lock file (never through a symbolic link) and
  // takes the lock, waiting while another holds it. Throws nst::Error:
  // cancelled when options.cancel is set while waiting, file_unreadable.
  explicit DownloadLock(const DownloadOptions &options);
  ~DownloadLock();
  DownloadLock(const DownloadLock &) = delete;
  DownloadLock &operator=(const DownloadLock &) = delete;

  // True when another download held the lock first: its file may be there now.
  bool waited() const { return waited_; }

private:
  int fd_ = -1;
  bool waited_ = false;
};

} // namespace nst::fetch
