// PNG through libpng's classic API: its simplified API would turn 16-bit
// samples into linear light, and 16-bit files must keep their exact values.
//
// libpng reports errors by longjmp. Each libpng call sequence runs in a
// "step" function with only trivial locals, started by guarded(), whose
// setjmp is the jump's target: no C++ object is ever jumped over.
#include "image_codecs.h"

#include "nst-i18n.h"
#include "nst/text_format.h"

#include <csetjmp>
#include <cstdint>
#include <cstring>
#include <png.h>
#include <sys/stat.h>

namespace nst_cli {
namespace {

struct PngState {
  std::FILE *file = nullptr;
  char message[256] = {};
  // Filled by read_header, after libpng's conversions.
  png_uint_32 width = 0, height = 0;
  int channels = 0, bit_depth = 0;
  std::size_t row_bytes = 0;
  std::uint64_t stored_bytes = 0; // the image data before libpng's conversions, filter bytes too
  png_bytepp rows = nullptr;
  const RawPixels *source = nullptr; // when writing
};

void on_error(png_structp png, png_const_charp message) {
  auto *state = static_cast<PngState *>(png_get_error_ptr(png));
  std::snprintf(state->message, sizeof state->message, "%s", message);
  png_longjmp(png, 1);
}

// Warnings (an sRGB profile libpng thinks is wrong, say) do not stop a read.
void on_warning(png_structp, png_const_charp) {}

using Step = void (*)(png_structp, png_infop, PngState *);

bool guarded(Step step, png_structp png, png_infop info, PngState *state) {
  if (setjmp(png_jmpbuf(png)))
    return false;
  step(png, info, state);
  return true;
}

void read_header(png_structp png, png_infop info, PngState *state) {
  png_init_io(png, state->file);
  png_read_info(png, info);
  const int colour_type = png_get_color_type(png, info);
  const int depth = png_get_bit_depth(png, info);
  const std::uint64_t bits_per_row =
      std::uint64_t(png_get_image_width(png, info)) * png_get_channels(png, info) * depth;
  state->stored_bytes = ((bits_per_row + 7) / 8 + 1) * png_get_image_height(png, info);
  // Everything becomes RGB or RGBA at 8 or 16 bits.
  if (colour_type == PNG_COLOR_TYPE_PALETTE)
    png_set_palette_to_rgb(png);
  if (colour_type == PNG_COLOR_TYPE_GRAY && depth < 8)
    png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS))
    png_set_tRNS_to_alpha(png);
  if (colour_type == PNG_COLOR_TYPE_GRAY || colour_type == PNG_COLOR_TYPE_GRAY_ALPHA)
    png_set_gray_to_rgb(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  state->width = png_get_image_width(png, info);
  state->height = png_get_image_height(png, info);
  state->channels = png_get_channels(png, info);
  state->bit_depth = png_get_bit_depth(png, info);
  state->row_bytes = png_get_rowbytes(png, info);
}

void read_rows(png_structp png, png_infop, PngState *state) {
  png_read_image(png, state->rows);
  png_read_end(png, nullptr);
}

void write_all(png_structp png, png_infop info, PngState *state) {
  const RawPixels &pixels = *state->source;
  png_init_io(png, state->file);
  png_set_IHDR(png, info, static_cast<png_uint_32>(pixels.width),
               static_cast<png_uint_32>(pixels.height), pixels.bit_depth,
               pixels.channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, state->rows);
  png_write_end(png, nullptr);
}

std::vector<png_bytep> row_pointers(unsigned char *bytes, int height, std::size_t row_bytes) {
  std::vector<png_bytep> rows(static_cast<std::size_t>(height));
  for (std::size_t y = 0; y < rows.size(); ++y)
    rows[y] = bytes + y * row_bytes;
  return rows;
}

// Deflate's largest expansion: 258 bytes from a 2-bit code, about 1032:1.
constexpr std::uint64_t kDeflateMostRatio = 1032;

std::uint64_t file_bytes(std::FILE *file) {
  struct stat info;
  return fstat(fileno(file), &info) == 0 && info.st_size > 0
             ? static_cast<std::uint64_t>(info.st_size)
             : 0;
}

nst::Status broken(const std::string &path, const char *message) {
  return nst::Status::error(
      nst::ErrorCode::corrupt_file,
      nst::format(_("%s: not a readable PNG image (%s)"), path.c_str(), message));
}

} // namespace

nst::Status decode_png(std::FILE *file, const std::string &path, RawPixels &pixels) {
  PngState state;
  state.file = file;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return nst::Status::error(nst::ErrorCode::out_of_memory,
                              nst::format(_("%s: no memory to read the PNG"), path.c_str()));
  }
  nst::Status status;
  if (!guarded(read_header, png, info, &state)) {
    status = broken(path, state.message);
  } else if (state.width > nst::kMaximumSide || state.height > nst::kMaximumSide) {
    status = nst::Status::error(
        nst::ErrorCode::invalid_argument,
        nst::format(_("%s is %ux%u pixels; at most %d pixels each way are supported"), path.c_str(),
                    static_cast<unsigned>(state.width), static_cast<unsigned>(state.height),
                    nst::kMaximumSide));
  } else if (state.stored_bytes / kDeflateMostRatio > file_bytes(file)) {
    // Deflate stores at most ~1032 bytes in one: a file this small cannot
    // hold this many pixels; refused before they are allocated.
    status = nst::Status::error(
        nst::ErrorCode::corrupt_file,
        nst::format(_("%s: the PNG declares %ux%u pixels but holds only %llu bytes: it is "
                      "truncated or damaged"),
                    path.c_str(), static_cast<unsigned>(state.width),
                    static_cast<unsigned>(state.height),
                    static_cast<unsigned long long>(file_bytes(file))));
  } else {
    pixels.width = static_cast<int>(state.width);
    pixels.height = static_cast<int>(state.height);
    pixels.channels = state.channels;
    pixels.bit_depth = state.bit_depth;
    pixels.bytes.assign(state.row_bytes * state.height, 0);
    std::vector<png_bytep> rows = row_pointers(pixels.bytes.data(), pixels.height, state.row_bytes);
    state.rows = rows.data();
    if (!guarded(read_rows, png, info, &state))
      status = broken(path, state.message);
  }
  png_destroy_read_struct(&png, &info, nullptr);
  return status;
}

nst::Status encode_png(std::FILE *file, const std::string &path, const RawPixels &pixels) {
  PngState state;
  state.file = file;
  state.source = &pixels;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return nst::Status::error(nst::ErrorCode::out_of_memory,
                              nst::format(_("%s: no memory to write the PNG"), path.c_str()));
  }
  const std::size_t row_bytes =
      static_cast<std::size_t>(pixels.width) * pixels.channels * (pixels.bit_depth / 8);
  // libpng takes non-const rows but only reads them when writing.
  std::vector<png_bytep> rows =
      row_pointers(const_cast<unsigned char *>(pixels.bytes.data()), pixels.height, row_bytes);
  state.rows = rows.data();
  nst::Status status;
  if (!guarded(write_all, png, info, &state))
    status = nst::Status::error(
        nst::ErrorCode::file_unreadable,
        nst::format(_("%s: could not write the PNG (%s)"), path.c_str(), state.message));
  png_destroy_write_struct(&png, &info);
  return status;
}

} // namespace nst_cli
