#include "fetch/part_file.h"

#include "base/error.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nst::fetch {
void create_parent_folder(const std::string &path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty())
    return;
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    const ErrorCode code = (error.value() == ENOSPC || error.value() == EDQUOT)
                               ? ErrorCode::disk_full
                               : ErrorCode::file_unreadable;
    throw Error(code, "cannot create the folder '" + parent.string() + "': " + error.message());
  }
}

namespace {

// Makes a rename durable: the folder's entry, not only the file's bytes.
void sync_folder_of(const std::string &path) {
  const std::string folder = std::filesystem::path(path).parent_path().string();
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

} // namespace

void throw_write_error(const std::string &path, int error) {
  // EFBIG: a file-size limit (ulimit -f) leaves no room either.
  const ErrorCode code = (error == ENOSPC || error == EDQUOT || error == EFBIG)
                             ? ErrorCode::disk_full
                             : ErrorCode::file_unreadable;
  throw Error(code, "cannot write '" + path + "': " + std::strerror(error));
}

PartFile::PartFile(std::string destination)
    : destination_(std::move(destination)), path_(destination_ + ".part") {
  create_parent_folder(destination_);
  // Never through a link: a planted one would make the download overwrite its target.
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd_ < 0 && errno == ELOOP)
    throw Error(ErrorCode::file_unreadable,
                "'" + path_ + "' is a symbolic link; a download writes only into a file of its " +
                    "own: remove the link and try again");
  if (fd_ < 0)
    throw_write_error(path_, errno);
  struct stat info{};
  if (::fstat(fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw Error(ErrorCode::file_unreadable,
                "'" + path_ + "' is not a regular file; remove it and try again");
  }
  if (::lseek(fd_, 0, SEEK_END) < 0)
    throw_write_error(path_, errno);
}

PartFile::~PartFile() {
  if (fd_ < 0)
    return;
  // An empty part file resumes nothing: leave no clutter after a failure.
  struct stat info{};
  if (!committed_ && ::fstat(fd_, &info) == 0 && S_ISREG(info.st_mode) && info.st_size == 0)
    ::unlink(path_.c_str());
  ::close(fd_);
}

std::uint64_t PartFile::size() const {
  struct stat info{};
  if (::fstat(fd_, &info) != 0)
    throw Error(ErrorCode::file_unreadable,
                "cannot read '" + path_ + "': " + std::string(std::strerror(errno)));
  return static_cast<std::uint64_t>(info.st_size);
}

int PartFile::append(const void *data, std::size_t size) {
  const char *at = static_cast<const char *>(data);
  while (size > 0) {
    const ssize_t written = ::write(fd_, at, size);
    if (written < 0 && errno == EINTR)
      continue;
    if (written < 0)
      return errno;
    if (written == 0)
      return ENOSPC;
    at += written;
    size -= static_cast<std::size_t>(written);
  }
  return 0;
}

int PartFile::restart() {
  if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) < 0)
    return errno;
  return 0;
}

void PartFile::commit() {
  if (::fsync(fd_) != 0)
    throw_write_error(path_, errno);
  if (::rename(path_.c_str(), destination_.c_str()) != 0)
    throw_write_error(destination_, errno);
  committed_ = true;
  sync_folder_of(destination_);
}

void PartFile::remove() {
  ::unlink(path_.c_str());
}

} // namespace nst::fetch
