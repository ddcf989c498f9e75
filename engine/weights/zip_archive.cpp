#include "weights/zip_archive.h"

#include "weights/byte_reader.h"
#include "weights/weights_error.h"

#include <array>

namespace nst::weights {
namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::size_t kEndOfDirectorySize = 22;
constexpr std::size_t kMaxCommentSize = 0xffff;

std::uint32_t read_u32(const std::byte *at) {
  return static_cast<std::uint32_t>(at[0]) | static_cast<std::uint32_t>(at[1]) << 8 |
         static_cast<std::uint32_t>(at[2]) << 16 | static_cast<std::uint32_t>(at[3]) << 24;
}

} // namespace

std::uint32_t crc32(const std::byte *data, std::size_t size) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xffffffffu;
  for (std::size_t i = 0; i < size; ++i)
    crc = table[(crc ^ static_cast<std::uint8_t>(data[i])) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

ZipArchive::ZipArchive(const MappedFile &file, std::string where)
    : file_(file), where_(std::move(where)) {
  read_directory();
}

const ZipEntry *ZipArchive::find(const std::string &name) const {
  const auto found = index_.find(name);
  return found == index_.end() ? nullptr : &entries_[found->second];
}

void ZipArchive::read_directory() {
  const std::byte *data = file_.data();
  const std::size_t size = file_.size();
  // The end-of-directory record is the last thing in the file but for a
  // comment of up to 64 KiB.
  std::size_t end = SIZE_MAX;
  if (size >= kEndOfDirectorySize) {
    const std::size_t lowest = size > kEndOfDirectorySize + kMaxCommentSize
                                   ? size - kEndOfDirectorySize - kMaxCommentSize
                                   : 0;
    for (std::size_t at = size - kEndOfDirectorySize + 1; at-- > lowest;) {
      if (read_u32(data + at) == kEndOfDirectory) {
        end = at;
        break;
      }
    }
  }
  if (end == SIZE_MAX)
    fail(ErrorCode::corrupt_file,
         where_ +
             " is a zip archive without its end-of-directory record: the file is "
             "truncated or damaged (it has " +
             std::to_string(size) + " bytes)");

  ByteReader eocd(data, size, 0, where_);
  eocd.seek(end + 4);
  const std::uint16_t disk = eocd.u16("zip disk number");
  const std::uint16_t directory_disk = eocd.u16("zip directory disk");
  eocd.u16("zip entries on this disk");
  std::uint64_t count = eocd.u16("zip entry count");
  std::uint64_t directory_size = eocd.u32("zip directory size");
  std::uint64_t directory_offset = eocd.u32("zip directory offset");
  if (count == 0xffff || directory_size == 0xffffffffu || directory_offset == 0xffffffffu) {
    // zip64: a locator just before the record points at the zip64 record.
    if (end < 20 || read_u32(data + end - 20) != kZip64Locator)
      fail(ErrorCode::corrupt_file, where_ +
                                        " is a zip64 archive without its zip64 locator "
                                        "before offset " +
                                        std::to_string(end));
    ByteReader locator(data, size, 0, where_);
    locator.seek(end - 20 + 8);
    const std::uint64_t record = locator.u64("zip64 record offset");
    if (record > size)
      fail(ErrorCode::corrupt_file, where_ + " has a zip64 record offset beyond its end");
    ByteReader zip64(data, size, 0, where_);
    zip64.seek(static_cast<std::size_t>(record));
    if (zip64.u32("zip64 record signature") != kZip64EndOfDirectory)
      fail(ErrorCode::corrupt_file,
           where_ + " has no zip64 end-of-directory record at offset " + std::to_string(record));
    zip64.u64("zip64 record size");
    zip64.u16("zip64 version");
    zip64.u16("zip64 version needed");
    zip64.u32("zip64 disk number");
    zip64.u32("zip64 directory disk");
    zip64.u64("zip64 entries on this disk");
    count = zip64.u64("zip64 entry count");
    directory_size = zip64.u64("zip64 directory size");
    directory_offset = zip64.u64("zip64 directory offset");
  } else if (disk != 0 || directory_disk != 0) {
    fail(ErrorCode::unsupported, where_ + " is a zip archive split over several disks");
  }
  std::uint64_t directory_end = 0;
  if (add_overflows(directory_offset, directory_size, directory_end) || directory_end > size)
    fail(ErrorCode::corrupt_file,
         where_ + " has a zip directory at offset " + std::to_string(directory_offset) + " of " +
             std::to_string(directory_size) + " bytes, beyond the end of the file (" +
             std::to_string(size) + " bytes)");
  // Each central header takes at least 46 bytes: bounds the count.
  if (count > directory_size / 46)
    fail(ErrorCode::corrupt_file, where_ + " claims " + std::to_string(count) +
                                      " zip entries in a directory of " +
                                      std::to_string(directory_size) + " bytes");

  ByteReader in(data + directory_offset, static_cast<std::size_t>(directory_size),
                static_cast<std::size_t>(directory_offset), where_);
  entries_.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::size_t header_offset = in.file_offset();
    if (in.u32("zip directory entry signature") != kCentralHeader)
      fail(ErrorCode::corrupt_file, where_ +
                                        " has a damaged zip directory: no entry header at "
                                        "offset " +
                                        std::to_string(header_offset));
    ZipEntry entry;
    in.u16("zip version made by");
    in.u16("zip version needed");
    entry.flags = in.u16("zip flags");
    entry.method = in.u16("zip compression method");
    in.u32("zip modification time");
    entry.crc32 = in.u32("zip CRC-32");
    std::uint64_t compressed = in.u32("zip compressed size");
    std::uint64_t uncompressed = in.u32("zip uncompressed size");
    const std::uint16_t name_length = in.u16("zip name length");
    const std::uint16_t extra_length = in.u16("zip extra length");
    const std::uint16_t comment_length = in.u16("zip comment length");
    in.u16("zip disk start");
    in.u16("zip internal attributes");
    in.u32("zip external attributes");
    std::uint64_t local_offset = in.u32("zip local header offset");
    entry.name = in.string(name_length, "zip entry name");
    ByteReader extra(in.bytes(extra_length, "zip extra field"), extra_length,
                     in.file_offset() - extra_length, where_);
    in.bytes(comment_length, "zip entry comment");
    // The zip64 extra field holds the 64-bit values of fields set to all ones.
    while (extra.remaining() >= 4) {
      const std::uint16_t id = extra.u16("zip extra id");
      const std::uint16_t length = extra.u16("zip extra length");
      ByteReader field(extra.bytes(length, "zip extra data"), length, extra.file_offset() - length,
                       where_);
      if (id != 0x0001)
        continue;
      if (uncompressed == 0xffffffffu)
        uncompressed = field.u64("zip64 uncompressed size");
      if (compressed == 0xffffffffu)
        compressed = field.u64("zip64 compressed size");
      if (local_offset == 0xffffffffu)
        local_offset = field.u64("zip64 local header offset");
    }
    entry.size = compressed;
    if (entry.method == 0 && compressed != uncompressed)
      fail(ErrorCode::corrupt_file,
           where_ + " has a stored zip entry " + quoted(entry.name) + " whose sizes disagree");
    entry.data_offset = local_offset; // becomes the data offset below
    locate_data(entry);
    if (!index_.emplace(entry.name, entries_.size()).second)
      fail(ErrorCode::corrupt_file, where_ + " has two zip entries named " + quoted(entry.name));
    entries_.push_back(std::move(entry));
  }
}

// Follows the local header at entry.data_offset to the entry's bytes.
void ZipArchive::locate_data(ZipEntry &entry) {
  const std::uint64_t local = entry.data_offset;
  if (local > file_.size())
    fail(ErrorCode::corrupt_file, where_ + " has zip entry " + quoted(entry.name) + " at offset " +
                                      std::to_string(local) + ", beyond the end of the file");
  ByteReader in(file_.data(), file_.size(), 0, where_);
  in.seek(static_cast<std::size_t>(local));
  if (in.u32("zip local header signature") != kLocalHeader)
    fail(ErrorCode::corrupt_file, where_ + " has no local header for zip entry " +
                                      quoted(entry.name) + " at offset " + std::to_string(local));
  in.bytes(22, "zip local header");
  const std::uint16_t name_length = in.u16("zip local name length");
  const std::uint16_t extra_length = in.u16("zip local extra length");
  if (in.string(name_length, "zip local entry name") != entry.name)
    fail(ErrorCode::corrupt_file, where_ + " has a local header at offset " +
                                      std::to_string(local) + " that names another entry than " +
                                      quoted(entry.name));
  in.bytes(extra_length, "zip local extra field");
  entry.data_offset = in.file_offset();
  if (entry.size > in.remaining())
    fail(ErrorCode::corrupt_file, where_ + " is truncated: zip entry " + quoted(entry.name) +
                                      " needs " + std::to_string(entry.size) + " bytes at offset " +
                                      std::to_string(entry.data_offset) + ", but only " +
                                      std::to_string(in.remaining()) + " remain");
}

const std::byte *ZipArchive::stored_data(const ZipEntry &entry) const {
  if (entry.flags & 1)
    fail(ErrorCode::unsupported, where_ + " has an encrypted zip entry " + quoted(entry.name));
  if (entry.method != 0)
    fail(ErrorCode::unsupported,
         where_ + " has a compressed zip entry " + quoted(entry.name) + " (method " +
             std::to_string(entry.method) +
             "); PyTorch writes weights uncompressed: save it again with torch.save");
  return file_.data() + entry.data_offset;
}

void ZipArchive::check_crc(const ZipEntry &entry) const {
  const std::uint32_t actual = crc32(stored_data(entry), static_cast<std::size_t>(entry.size));
  if (actual != entry.crc32)
    fail(ErrorCode::corrupt_file,
         where_ + " is damaged: zip entry " + quoted(entry.name) + " does not match its CRC-32");
}

} // namespace nst::weights
