#include "fetch/download_lock.h"

#include "base/error.h"
#include "fetch/part_file.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nst::fetch {
namespace {

// Often enough for a smooth progress bar, rarely enough to cost nothing.
constexpr auto kPollInterval = std::chrono::milliseconds(100);

std::uint64_t size_of(const std::string &path) {
  struct stat info{};
  return ::stat(path.c_str(), &info) == 0 ? static_cast<std::uint64_t>(info.st_size) : 0;
}

bool try_lock(int fd, const std::string &path) {
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
    return true;
  if (errno == EWOULDBLOCK || errno == EINTR)
    return false;
  throw Error(ErrorCode::file_unreadable,
              "cannot lock '" + path + "': " + std::string(std::strerror(errno)));
}

} // namespace

DownloadLock::DownloadLock(const DownloadOptions &options) {
  const std::string path = options.destination + ".lock";
  create_parent_folder(path);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd_ < 0)
    throw Error(ErrorCode::file_unreadable,
                "cannot open the lock file '" + path + "': " + std::strerror(errno));
  try {
    while (!try_lock(fd_, path)) {
      waited_ = true;
      if (options.cancel && options.cancel->load())
        throw Error(ErrorCode::cancelled, "the download of " + options.url +
                                              " was cancelled while another download of '" +
                                              options.destination + "' was running");
      if (options.progress)
        options.progress(
            DownloadProgress{size_of(options.destination + ".part"), options.expected_bytes, true});
      std::this_thread::sleep_for(kPollInterval);
    }
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

DownloadLock::~DownloadLock() {
  // The lock file stays: removing it could let a waiter lock a file nobody else sees.
  ::close(fd_);
}

} // namespace nst::fetch
