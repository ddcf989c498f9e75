#include "exif_orientation.h"

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace nst_cli {
namespace {

constexpr unsigned char kExifHeader[] = {'E', 'x', 'i', 'f', 0, 0};
constexpr std::uint16_t kOrientationTag = 0x0112;
constexpr std::uint16_t kShortType = 3;
constexpr std::size_t kEntryBytes = 12;

// Reads TIFF integers in the file's byte order; nothing past `size`.
struct TiffReader {
  const unsigned char *data;
  std::size_t size;
  bool big_endian;

  bool u16(std::size_t at, std::uint16_t &value) const {
    if (at > size || size - at < 2)
      return false;
    value = big_endian ? std::uint16_t(data[at] << 8 | data[at + 1])
                       : std::uint16_t(data[at + 1] << 8 | data[at]);
    return true;
  }
  bool u32(std::size_t at, std::uint32_t &value) const {
    std::uint16_t first = 0, second = 0;
    if (!u16(at, first) || !u16(at + 2, second))
      return false;
    value = big_endian ? std::uint32_t(first) << 16 | second : std::uint32_t(second) << 16 | first;
    return true;
  }
};

// Where displayed pixel (x, y) comes from in the stored image (width w, height h).
std::pair<int, int> stored_position(int orientation, int x, int y, int w, int h) {
  switch (orientation) {
  case 2: return {w - 1 - x, y};
  case 3: return {w - 1 - x, h - 1 - y};
  case 4: return {x, h - 1 - y};
  case 5: return {y, x};
  case 6: return {y, h - 1 - x};
  case 7: return {w - 1 - y, h - 1 - x};
  case 8: return {w - 1 - y, x};
  default: return {x, y};
  }
}

} // namespace

int exif_orientation(const unsigned char *data, std::size_t size) {
  const std::size_t header = sizeof kExifHeader;
  if (size < header || std::memcmp(data, kExifHeader, header) != 0)
    return 1;
  TiffReader tiff{data + header, size - header, false};
  if (tiff.size < 8 || tiff.data[0] != tiff.data[1] || (tiff.data[0] != 'I' && tiff.data[0] != 'M'))
    return 1;
  tiff.big_endian = tiff.data[0] == 'M';
  std::uint16_t magic = 0, entries = 0;
  std::uint32_t directory = 0;
  if (!tiff.u16(2, magic) || magic != 42 || !tiff.u32(4, directory) ||
      !tiff.u16(directory, entries))
    return 1;
  for (std::size_t i = 0; i < entries; ++i) {
    const std::size_t entry = std::size_t(directory) + 2 + i * kEntryBytes;
    std::uint16_t tag = 0, type = 0, value = 0;
    std::uint32_t count = 0;
    if (!tiff.u16(entry, tag) || !tiff.u16(entry + 2, type) || !tiff.u32(entry + 4, count) ||
        !tiff.u16(entry + 8, value))
      return 1; // the directory runs past the segment
    if (tag == kOrientationTag)
      return type == kShortType && count == 1 && value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

void apply_orientation(RawPixels &pixels, int orientation) {
  if (orientation < 2 || orientation > 8)
    return;
  const int w = pixels.width, h = pixels.height;
  const bool swaps = orientation >= 5;
  const int out_w = swaps ? h : w, out_h = swaps ? w : h;
  const std::size_t bytes_per_pixel = std::size_t(pixels.channels) * (pixels.bit_depth / 8);
  std::vector<unsigned char> turned(pixels.bytes.size());
  for (int y = 0; y < out_h; ++y)
    for (int x = 0; x < out_w; ++x) {
      const auto [sx, sy] = stored_position(orientation, x, y, w, h);
      std::memcpy(&turned[(std::size_t(y) * out_w + x) * bytes_per_pixel],
                  &pixels.bytes[(std::size_t(sy) * w + sx) * bytes_per_pixel], bytes_per_pixel);
    }
  pixels.bytes = std::move(turned);
  pixels.width = out_w;
  pixels.height = out_h;
}

} // namespace nst_cli
