// A cursor over a range of a weights file that never reads past the range's
// end: a short read throws corrupt_file naming what was expected and where.
#pragma once

#include "weights/weights_error.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace nst::weights {

class ByteReader {
public:
  // `data` is the range, which starts at `file_offset` in the file that
  // `where` describes ("weights file '/x.pth'").
  ByteReader(const std::byte *data, std::size_t size, std::size_t file_offset, std::string where)
      : data_(data), size_(size), file_offset_(file_offset), where_(std::move(where)) {}

  std::size_t position() const { return position_; }
  std::size_t size() const { return size_; }
  std::size_t remaining() const { return size_ - position_; }
  bool at_end() const { return position_ == size_; }
  // Offset of the cursor in the whole file, for messages.
  std::size_t file_offset() const { return file_offset_ + position_; }
  const std::string &where() const { return where_; }

  void seek(std::size_t position) {
    if (position > size_)
      fail_short(position - position_, "data");
    position_ = position;
  }

  const std::byte *bytes(std::size_t count, const char *what) {
    if (count > remaining())
      fail_short(count, what);
    const std::byte *start = data_ + position_;
    position_ += count;
    return start;
  }
  std::string string(std::size_t count, const char *what) {
    const std::byte *start = bytes(count, what);
    return std::string(reinterpret_cast<const char *>(start), count);
  }
  std::uint8_t u8(const char *what) { return static_cast<std::uint8_t>(*bytes(1, what)); }
  std::uint16_t u16(const char *what) { return static_cast<std::uint16_t>(little_endian(2, what)); }
  std::uint32_t u32(const char *what) { return static_cast<std::uint32_t>(little_endian(4, what)); }
  std::uint64_t u64(const char *what) { return little_endian(8, what); }

  [[noreturn]] void fail_short(std::size_t count, const char *what) const {
    fail(ErrorCode::corrupt_file, where_ + " is truncated or corrupt: expected " +
                                      std::to_string(count) + " bytes of " + what + " at offset " +
                                      std::to_string(file_offset()) + ", but only " +
                                      std::to_string(remaining()) + " bytes remain");
  }

private:
  std::uint64_t little_endian(std::size_t count, const char *what) {
    const std::byte *start = bytes(count, what);
    std::uint64_t value = 0;
    for (std::size_t i = count; i-- > 0;)
      value = (value << 8) | static_cast<std::uint8_t>(start[i]);
    return value;
  }

  const std::byte *data_;
  std::size_t size_;
  std::size_t file_offset_;
  std::string where_;
  std::size_t position_ = 0;
};

} // namespace nst::weights
