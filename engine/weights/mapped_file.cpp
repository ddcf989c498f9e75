#include "weights/mapped_file.h"

#include "base/error.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nst::weights {
namespace {

// Closes the descriptor however open() leaves.
struct FileDescriptor {
  int fd = -1;
  ~FileDescriptor() {
    if (fd >= 0)
      ::close(fd);
  }
};

std::string describe_errno(int error) {
  return std::strerror(error);
}

} // namespace

std::shared_ptr<const MappedFile> MappedFile::open(const std::string &path) {
  FileDescriptor file;
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENOTDIR)
      throw Error(ErrorCode::file_not_found, "weights file '" + path + "' does not exist");
    throw Error(ErrorCode::file_unreadable,
                "cannot open weights file '" + path + "': " + describe_errno(error));
  }
  struct stat info{};
  if (::fstat(file.fd, &info) != 0)
    throw Error(ErrorCode::file_unreadable,
                "cannot read weights file '" + path + "': " + describe_errno(errno));
  if (S_ISDIR(info.st_mode))
    throw Error(ErrorCode::file_unreadable, "weights file '" + path + "' is a folder, not a file");
  if (!S_ISREG(info.st_mode))
    throw Error(ErrorCode::file_unreadable, "weights file '" + path + "' is not a regular file");

  std::shared_ptr<MappedFile> mapped(new MappedFile());
  mapped->name_ = path;
  mapped->size_ = static_cast<std::size_t>(info.st_size);
  if (mapped->size_ == 0)
    return mapped; // nothing to map; the readers report the empty file
  void *address = ::mmap(nullptr, mapped->size_, PROT_READ, MAP_PRIVATE, file.fd, 0);
  if (address == MAP_FAILED)
    throw Error(ErrorCode::file_unreadable,
                "cannot map weights file '" + path + "' into memory: " + describe_errno(errno));
  mapped->mapping_ = address;
  mapped->data_ = static_cast<const std::byte *>(address);
  return mapped;
}

std::shared_ptr<const MappedFile> MappedFile::from_memory(std::string name,
                                                          std::vector<std::byte> bytes) {
  std::shared_ptr<MappedFile> held(new MappedFile());
  held->name_ = std::move(name);
  held->memory_ = std::move(bytes);
  held->data_ = held->memory_.data();
  held->size_ = held->memory_.size();
  return held;
}

MappedFile::~MappedFile() {
  if (mapping_ != nullptr)
    ::munmap(mapping_, size_);
}

} // namespace nst::weights
