// JPEG through libjpeg(-turbo). Like libpng it reports errors by longjmp;
// the same pattern keeps C++ objects out of the jump's way: each step has
// only trivial locals and guarded() holds the setjmp.
#include "exif_orientation.h"
#include "image_codecs.h"

#include "nst-i18n.h"
#include "nst/text_format.h"

#include <csetjmp>
#include <cstdio> // jpeglib.h needs FILE first
#include <jpeglib.h>
// After jpeglib.h: the message codes.
#include <jerror.h>

#include <vector>

namespace nst_cli {
namespace {

// Each progressive scan makes libjpeg pass over the whole image again; real
// files have about ten, so thousands only cost time (libjpeg-turbo's djpeg
// offers the same bound as -maxscans).
constexpr int kMaximumScans = 1000;

struct JpegErrors {
  jpeg_error_mgr manager; // first, so libjpeg's pointer to it is one to this
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {};
};

void on_error(j_common_ptr info) {
  auto *errors = reinterpret_cast<JpegErrors *>(info->err);
  (*info->err->format_message)(info, errors->message);
  std::longjmp(errors->jump, 1);
}

// Corrupt-data warnings: libjpeg recovers what it can, as viewers do; but a
// file that ends early would be padded with grey rows: that is an error.
void on_message(j_common_ptr info, int level) {
  // The data ended before the image did (the file's end, or a marker such
  // as EOI inside the scan): libjpeg would paint the rest grey, so a file of
  // a few hundred bytes could declare 600 megapixels and get them.
  if (level < 0 && (info->err->msg_code == JWRN_JPEG_EOF || info->err->msg_code == JWRN_HIT_MARKER))
    info->err->error_exit(info);
}

// Called between the scans libjpeg reads: stops a file with too many.
void on_progress(j_common_ptr info) {
  const auto *decompress = reinterpret_cast<j_decompress_ptr>(info);
  if (decompress->input_scan_number <= kMaximumScans)
    return;
  auto *errors = reinterpret_cast<JpegErrors *>(info->err);
  std::snprintf(errors->message, sizeof errors->message, "more than %d scans", kMaximumScans);
  std::longjmp(errors->jump, 1);
}

// The EXIF orientation of the first APP1 segment that holds one.
int saved_orientation(const jpeg_decompress_struct &info) {
  for (jpeg_saved_marker_ptr marker = info.marker_list; marker; marker = marker->next) {
    const int orientation =
        marker->marker == JPEG_APP0 + 1 ? exif_orientation(marker->data, marker->data_length) : 1;
    if (orientation != 1)
      return orientation;
  }
  return 1;
}

struct JpegState {
  std::FILE *file = nullptr;
  unsigned char *bytes = nullptr;                // rows of `row_bytes` (writing)
  std::vector<unsigned char> *decoded = nullptr; // grows by a row as each is decoded (reading)
  std::size_t row_bytes = 0;
  const RawPixels *source = nullptr;
  int quality = 95;
  int orientation = 1; // EXIF's (reading)
};

template <typename Info> using Step = void (*)(Info *, JpegState *);

template <typename Info>
bool guarded(Step<Info> step, Info *info, JpegErrors *errors, JpegState *state) {
  if (setjmp(errors->jump))
    return false;
  step(info, state);
  return true;
}

void read_header(jpeg_decompress_struct *info, JpegState *state) {
  jpeg_stdio_src(info, state->file);
  jpeg_save_markers(info, JPEG_APP0 + 1, 0xFFFF); // EXIF, at most 64 KiB each
  jpeg_read_header(info, TRUE);
  // Now: jpeg_finish_decompress frees the saved markers.
  state->orientation = saved_orientation(*info);
  // libjpeg converts grey and YCbCr to RGB itself, but not CMYK.
  const bool cmyk = info->jpeg_color_space == JCS_CMYK || info->jpeg_color_space == JCS_YCCK;
  info->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_start_decompress(info);
}

void read_rows(jpeg_decompress_struct *info, JpegState *state) {
  // Memory follows the data actually decoded, not the size the header declares.
  while (info->output_scanline < info->output_height) {
    const std::size_t at = std::size_t(info->output_scanline) * state->row_bytes;
    state->decoded->resize(at + state->row_bytes);
    JSAMPROW row = state->decoded->data() + at;
    jpeg_read_scanlines(info, &row, 1);
  }
  jpeg_finish_decompress(info);
}

void write_all(jpeg_compress_struct *info, JpegState *state) {
  const RawPixels &pixels = *state->source;
  jpeg_stdio_dest(info, state->file);
  info->image_width = static_cast<JDIMENSION>(pixels.width);
  info->image_height = static_cast<JDIMENSION>(pixels.height);
  info->input_components = 3;
  info->in_color_space = JCS_RGB;
  jpeg_set_defaults(info);
  jpeg_set_quality(info, state->quality, TRUE);
  // No chroma subsampling: brush strokes are colour detail.
  for (int c = 0; c < info->num_components; ++c)
    info->comp_info[c].h_samp_factor = info->comp_info[c].v_samp_factor = 1;
  jpeg_start_compress(info, TRUE);
  while (info->next_scanline < info->image_height) {
    JSAMPROW row = state->bytes + info->next_scanline * state->row_bytes;
    jpeg_write_scanlines(info, &row, 1);
  }
  jpeg_finish_compress(info);
}

// CMYK as Photoshop writes it (Adobe marker: inverted), else plain.
void cmyk_to_rgb(std::vector<unsigned char> &cmyk, std::size_t pixel_count, bool inverted,
                 std::vector<unsigned char> &rgb) {
  rgb.resize(pixel_count * 3);
  for (std::size_t i = 0; i < pixel_count; ++i) {
    const unsigned char *in = &cmyk[i * 4];
    const int k = inverted ? in[3] : 255 - in[3];
    for (int c = 0; c < 3; ++c) {
      const int ink = inverted ? in[c] : 255 - in[c];
      rgb[i * 3 + c] = static_cast<unsigned char>((ink * k + 127) / 255);
    }
  }
}

} // namespace

nst::Status decode_jpeg(std::FILE *file, const std::string &path, RawPixels &pixels) {
  jpeg_decompress_struct info{};
  JpegErrors errors;
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = on_error;
  errors.manager.emit_message = on_message;
  jpeg_create_decompress(&info);
  jpeg_progress_mgr progress{};
  progress.progress_monitor = on_progress;
  info.progress = &progress;
  JpegState state;
  state.file = file;

  nst::Status status;
  std::vector<unsigned char> decoded;
  if (!guarded<jpeg_decompress_struct>(read_header, &info, &errors, &state)) {
    status = nst::Status::error(
        nst::ErrorCode::corrupt_file,
        nst::format(_("%s: not a readable JPEG image (%s)"), path.c_str(), errors.message));
  } else if (info.output_width > nst::kMaximumSide || info.output_height > nst::kMaximumSide) {
    status = nst::Status::error(
        nst::ErrorCode::invalid_argument,
        nst::format(_("%s is %ux%u pixels; at most %d pixels each way are supported"), path.c_str(),
                    static_cast<unsigned>(info.output_width),
                    static_cast<unsigned>(info.output_height), nst::kMaximumSide));
  } else {
    const int components = info.output_components;
    state.row_bytes = static_cast<std::size_t>(info.output_width) * components;
    state.decoded = &decoded;
    if (!guarded<jpeg_decompress_struct>(read_rows, &info, &errors, &state)) {
      status = nst::Status::error(
          nst::ErrorCode::corrupt_file,
          nst::format(_("%s: not a readable JPEG image (%s)"), path.c_str(), errors.message));
    } else {
      pixels.width = static_cast<int>(info.output_width);
      pixels.height = static_cast<int>(info.output_height);
      pixels.channels = 3;
      pixels.bit_depth = 8;
      if (components == 4)
        cmyk_to_rgb(decoded, decoded.size() / 4, info.saw_Adobe_marker != 0, pixels.bytes);
      else
        pixels.bytes = std::move(decoded);
      apply_orientation(pixels, state.orientation);
    }
  }
  jpeg_destroy_decompress(&info);
  return status;
}

nst::Status encode_jpeg(std::FILE *file, const std::string &path, const RawPixels &pixels,
                        int quality) {
  jpeg_compress_struct info{};
  JpegErrors errors;
  info.err = jpeg_std_error(&errors.manager);
  errors.manager.error_exit = on_error;
  errors.manager.emit_message = on_message;
  jpeg_create_compress(&info);
  JpegState state;
  state.file = file;
  state.source = &pixels;
  state.quality = quality;
  // libjpeg takes non-const rows but only reads them when writing.
  state.bytes = const_cast<unsigned char *>(pixels.bytes.data());
  state.row_bytes = static_cast<std::size_t>(pixels.width) * 3;
  nst::Status status;
  if (!guarded<jpeg_compress_struct>(write_all, &info, &errors, &state))
    status = nst::Status::error(
        nst::ErrorCode::file_unreadable,
        nst::format(_("%s: could not write the JPEG (%s)"), path.c_str(), errors.message));
  jpeg_destroy_compress(&info);
  return status;
}

} // namespace nst_cli
