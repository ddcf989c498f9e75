// The "<destination>.part" file a download writes into: created with its
// folder (never through a symbolic link), kept between attempts so the next
// one resumes, and renamed onto the destination only when the caller says the
// file is complete and right. One writer at a time: see DownloadLock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace nst::fetch {

class PartFile {
public:
  // Opens (or creates) destination + ".part" for appending; throws nst::Error
  // (file_unreadable when it is a symbolic link or not a regular file).
  // The destructor deletes the part file if it is still empty.
  explicit PartFile(std::string destination);
  ~PartFile();
  PartFile(const PartFile &) = delete;
  PartFile &operator=(const PartFile &) = delete;

  const std::string &path() const { return path_; }
  int fd() const { return fd_; }
  std::uint64_t size() const;

  // Appends; returns 0 or the errno of the failed write (no exception, as
  // it runs inside libcurl's callbacks).
  int append(const void *data, std::size_t size);
  // Empties the file for a download from the start; returns 0 or an errno.
  int restart();

  // fsync, then rename onto the destination (and sync the folder); throws.
  void commit();
  // Deletes the partial file (after a checksum mismatch).
  void remove();

private:
  std::string destination_;
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

// Creates the folder `path` goes into; throws nst::Error naming the folder.
void create_parent_folder(const std::string &path);

// An error while writing `path`: disk_full for ENOSPC/EDQUOT/EFBIG, else file_unreadable.
[[noreturn]] void throw_write_error(const std::string &path, int error);

} // namespace nst::fetch
