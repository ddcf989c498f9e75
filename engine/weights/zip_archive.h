// The central directory of a zip archive in memory (zip64 included), as
// torch.save writes it: entries are located, not extracted, so stored
// entries are read in place.
#pragma once

#include "weights/mapped_file.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace nst::weights {

struct ZipEntry {
  std::string name;
  std::uint16_t method = 0; // 0 = stored
  std::uint16_t flags = 0;
  std::uint32_t crc32 = 0;
  std::uint64_t size = 0;        // compressed size: the bytes at data_offset
  std::uint64_t data_offset = 0; // in the file, after the local header
};

class ZipArchive {
public:
  // Reads the directory; throws corrupt_file (naming `where` and the offset)
  // when it is damaged or points outside the file.
  ZipArchive(const MappedFile &file, std::string where);

  const std::vector<ZipEntry> &entries() const { return entries_; }
  const ZipEntry *find(const std::string &name) const;

  // The entry's bytes, which must be stored (not compressed); throws
  // unsupported for a compressed or encrypted entry.
  const std::byte *stored_data(const ZipEntry &entry) const;
  // Throws corrupt_file when the entry's bytes do not match its CRC-32.
  void check_crc(const ZipEntry &entry) const;

private:
  void read_directory();
  void locate_data(ZipEntry &entry);

  const MappedFile &file_;
  std::string where_;
  std::vector<ZipEntry> entries_;
  std::unordered_map<std::string, std::size_t> index_;
};

std::uint32_t crc32(const std::byte *data, std::size_t size);

} // namespace nst::weights
