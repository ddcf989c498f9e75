#include "image_io.h"

#include "cli_options.h"
#include "image_codecs.h"
#include "nst-i18n.h"
#include "nst/text_format.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

namespace nst_cli {
namespace {

struct FileCloser {
  void operator()(std::FILE *file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

nst::Status open_error(const std::string &path, const char *what, int error_number) {
  const auto code =
      error_number == ENOENT ? nst::ErrorCode::file_not_found : nst::ErrorCode::file_unreadable;
  return nst::Status::error(code, nst::format(what, path.c_str(), std::strerror(error_number)));
}

void to_float(const RawPixels &raw, nst::Image &image) {
  image.width = raw.width;
  image.height = raw.height;
  image.channels = raw.channels;
  const std::size_t count = static_cast<std::size_t>(raw.width) * raw.height * raw.channels;
  image.pixels.resize(count);
  if (raw.bit_depth == 16) {
    for (std::size_t i = 0; i < count; ++i) {
      const unsigned value = (unsigned{raw.bytes[2 * i]} << 8) | raw.bytes[2 * i + 1];
      image.pixels[i] = static_cast<float>(value) / 65535.0f;
    }
  } else {
    for (std::size_t i = 0; i < count; ++i)
      image.pixels[i] = static_cast<float>(raw.bytes[i]) / 255.0f;
  }
}

// Clamped and rounded, so that reading a file and writing it back at the
// same depth gives the same values.
unsigned quantise(float value, unsigned maximum) {
  if (!(value > 0.0f)) // also NaN
    return 0;
  if (value >= 1.0f)
    return maximum;
  return static_cast<unsigned>(value * static_cast<float>(maximum) + 0.5f);
}

void to_bytes(const nst::Image &image, int channels, int bit_depth, RawPixels &raw) {
  raw.width = image.width;
  raw.height = image.height;
  raw.channels = channels;
  raw.bit_depth = bit_depth;
  const std::size_t pixel_count = static_cast<std::size_t>(image.width) * image.height;
  raw.bytes.resize(pixel_count * channels * (bit_depth / 8));
  std::size_t out = 0;
  for (std::size_t p = 0; p < pixel_count; ++p) {
    for (int c = 0; c < channels; ++c) {
      const float value = image.pixels[p * image.channels + c];
      if (bit_depth == 16) {
        const unsigned sample = quantise(value, 65535);
        raw.bytes[out++] = static_cast<unsigned char>(sample >> 8);
        raw.bytes[out++] = static_cast<unsigned char>(sample & 0xFF);
      } else {
        raw.bytes[out++] = static_cast<unsigned char>(quantise(value, 255));
      }
    }
  }
}

} // namespace

nst::Status read_image(const std::string &path, LoadedImage &loaded) {
  File file(std::fopen(path.c_str(), "rb"));
  if (!file)
    return open_error(path, _("cannot open the image %s: %s"), errno);
  unsigned char signature[8] = {};
  const std::size_t got = std::fread(signature, 1, sizeof signature, file.get());
  std::rewind(file.get());

  RawPixels raw;
  nst::Status status;
  static const unsigned char kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (got == 8 && std::memcmp(signature, kPng, 8) == 0)
    status = decode_png(file.get(), path, raw);
  else if (got >= 3 && signature[0] == 0xFF && signature[1] == 0xD8 && signature[2] == 0xFF)
    status = decode_jpeg(file.get(), path, raw);
  else
    status =
        nst::Status::error(nst::ErrorCode::unsupported,
                           nst::format(_("%s is neither a PNG nor a JPEG image"), path.c_str()));
  if (!status.ok())
    return status;
  to_float(raw, loaded.image);
  loaded.bit_depth = raw.bit_depth;
  return status;
}

nst::Status write_image(const std::string &path, const nst::Image &image, int bit_depth,
                        int jpeg_quality) {
  const OutputFormat kind = output_format(path);
  if (kind == OutputFormat::unknown)
    return nst::Status::error(
        nst::ErrorCode::invalid_argument,
        nst::format(_("%s: the name does not end in .png, .jpg or .jpeg"), path.c_str()));
  if (image.width < 1 || image.height < 1 || (image.channels != 3 && image.channels != 4) ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * image.channels)
    return nst::Status::error(
        nst::ErrorCode::invalid_argument,
        nst::format(_("%s: the image to write is empty or malformed"), path.c_str()));
  RawPixels raw;
  if (kind == OutputFormat::jpeg)
    to_bytes(image, 3, 8, raw);
  else
    to_bytes(image, image.channels, bit_depth == 16 ? 16 : 8, raw);

  const std::string partial = path + ".partial";
  File file(std::fopen(partial.c_str(), "wb"));
  if (!file)
    return open_error(partial, _("cannot create %s: %s"), errno);
  nst::Status status = kind == OutputFormat::jpeg ? encode_jpeg(file.get(), path, raw, jpeg_quality)
                                                  : encode_png(file.get(), path, raw);
  // Buffered data reaches the disk only now: a full disk shows up here.
  std::FILE *open_file = file.release();
  bool written = std::fflush(open_file) == 0 && !std::ferror(open_file);
  int write_errno = errno;
  if (std::fclose(open_file) != 0 && written) {
    written = false;
    write_errno = errno;
  }
  if (status.ok() && !written)
    status = nst::Status::error(
        write_errno == ENOSPC ? nst::ErrorCode::disk_full : nst::ErrorCode::file_unreadable,
        nst::format(_("cannot write %s: %s"), path.c_str(), std::strerror(write_errno)));
  if (status.ok() && std::rename(partial.c_str(), path.c_str()) != 0)
    status = nst::Status::error(nst::ErrorCode::file_unreadable,
                                nst::format(_("cannot rename %s to %s: %s"), partial.c_str(),
                                            path.c_str(), std::strerror(errno)));
  if (!status.ok())
    std::remove(partial.c_str());
  return status;
}

} // namespace nst_cli
