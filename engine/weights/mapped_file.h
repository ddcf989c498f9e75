// The bytes of a weights file: memory-mapped from disk, or held in memory
// (tests and fuzz targets). Readers hand out pointers into it and keep it
// alive through the shared_ptr, so tensor data is never copied at load time.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace nst::weights {

class MappedFile {
public:
  // Maps `path` read-only. Throws nst::Error: file_not_found, file_unreadable.
  static std::shared_ptr<const MappedFile> open(const std::string &path);
  // Wraps bytes already in memory; `name` is used in error messages.
  static std::shared_ptr<const MappedFile> from_memory(std::string name,
                                                       std::vector<std::byte> bytes);

  ~MappedFile();
  MappedFile(const MappedFile &) = delete;
  MappedFile &operator=(const MappedFile &) = delete;

  const std::byte *data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::string &name() const { return name_; }

private:
  MappedFile() = default;

  std::string name_;
  const std::byte *data_ = nullptr;
  std::size_t size_ = 0;
  void *mapping_ = nullptr; // what munmap releases; null for memory and empty files
  std::vector<std::byte> memory_;
};

} // namespace nst::weights
