// JPEG inputs as cameras and Photoshop write them: the EXIF orientation is
// applied (all eight, either byte order, hostile offsets ignored), CMYK and
// YCCK with Adobe's inverted samples become the right RGB, and a file with
// absurdly many progressive scans is refused, naming it, as is one whose
// image data ends early (at the file's end or at an EOI marker). Every JPEG is made
// here: with the program's writer, or with libjpeg for what it never writes.
#include "exif_orientation.h"
#include "image_io.h"

#include "temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <jpeglib.h>

namespace nst_cli {
namespace {

using nst_cli_test::TempDir;
using ::testing::HasSubstr;

std::string file_bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void put_file(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Six 16-pixel blocks, three across and two down, each its own colour.
constexpr int kBlock = 16;
constexpr std::array<std::array<float, 3>, 6> kColours = {
    {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {1, 0, 1}, {0, 1, 1}}};

nst::Image six_blocks() {
  nst::Image image;
  image.width = 3 * kBlock;
  image.height = 2 * kBlock;
  image.channels = 3;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x)
      for (const float value : kColours[(y / kBlock) * 3 + x / kBlock])
        image.pixels.push_back(value);
  return image;
}

// Which stored block shows at each displayed block, row by row.
int block_at(const nst::Image &image, int column, int row) {
  const int x = column * kBlock + kBlock / 2, y = row * kBlock + kBlock / 2;
  const float *pixel = &image.pixels[(std::size_t(y) * image.width + x) * 3];
  for (std::size_t i = 0; i < kColours.size(); ++i)
    if (std::fabs(pixel[0] - kColours[i][0]) < 0.1f &&
        std::fabs(pixel[1] - kColours[i][1]) < 0.1f && std::fabs(pixel[2] - kColours[i][2]) < 0.1f)
      return static_cast<int>(i);
  return -1;
}

std::vector<std::vector<int>> block_layout(const nst::Image &image) {
  std::vector<std::vector<int>> rows(image.height / kBlock);
  for (std::size_t row = 0; row < rows.size(); ++row)
    for (int column = 0; column < image.width / kBlock; ++column)
      rows[row].push_back(block_at(image, column, static_cast<int>(row)));
  return rows;
}

void put16(std::string &out, unsigned value, bool big_endian) {
  const char high = static_cast<char>(value >> 8), low = static_cast<char>(value & 255);
  out += big_endian ? high : low;
  out += big_endian ? low : high;
}

void put32(std::string &out, unsigned value, bool big_endian) {
  put16(out, big_endian ? value >> 16 : value & 0xFFFF, big_endian);
  put16(out, big_endian ? value & 0xFFFF : value >> 16, big_endian);
}

// "Exif\0\0" and a TIFF header whose IFD0, at `directory`, holds one entry
// (Orientation unless `tag` says otherwise).
std::string exif(unsigned orientation, bool big_endian, unsigned directory = 8,
                 unsigned entries = 1, unsigned type = 3, unsigned tag = 0x0112) {
  std::string data("Exif\0\0", 6);
  data += big_endian ? "MM" : "II";
  put16(data, 42, big_endian);
  put32(data, directory, big_endian);
  put16(data, entries, big_endian);
  put16(data, tag, big_endian);
  put16(data, type, big_endian);
  put32(data, 1, big_endian);
  put16(data, orientation, big_endian);
  put16(data, 0, big_endian);
  put32(data, 0, big_endian); // no next directory
  return data;
}

// The JPEG with an APP1 segment holding `data` right after its SOI marker.
std::string with_app1(const std::string &jpeg, const std::string &data) {
  std::string segment = "\xFF\xE1";
  put16(segment, static_cast<unsigned>(data.size() + 2), true);
  return jpeg.substr(0, 2) + segment + data + jpeg.substr(2);
}

nst::Image read_back(const std::string &path) {
  LoadedImage loaded;
  const nst::Status status = read_image(path, loaded);
  EXPECT_TRUE(status.ok()) << status.message;
  return loaded.image;
}

TEST(JpegInput, EveryExifOrientationIsApplied) {
  const std::vector<std::vector<std::vector<int>>> expected = {
      {{0, 1, 2}, {3, 4, 5}},   // 1: as stored
      {{2, 1, 0}, {5, 4, 3}},   // 2: mirrored
      {{5, 4, 3}, {2, 1, 0}},   // 3: half a turn
      {{3, 4, 5}, {0, 1, 2}},   // 4: flipped
      {{0, 3}, {1, 4}, {2, 5}}, // 5: transposed
      {{3, 0}, {4, 1}, {5, 2}}, // 6: a quarter clockwise
      {{5, 2}, {4, 1}, {3, 0}}, // 7: transversed
      {{2, 5}, {1, 4}, {0, 3}}, // 8: a quarter anticlockwise
  };
  TempDir dir;
  const std::string stored = dir.file("stored.jpg");
  ASSERT_TRUE(write_image(stored, six_blocks(), 8).ok());
  const std::string jpeg = file_bytes(stored);
  for (unsigned orientation = 1; orientation <= 8; ++orientation)
    for (const bool big_endian : {false, true}) {
      const std::string path = dir.file("turned.jpg");
      put_file(path, with_app1(jpeg, exif(orientation, big_endian)));
      const nst::Image image = read_back(path);
      EXPECT_EQ(block_layout(image), expected[orientation - 1])
          << "orientation " << orientation << (big_endian ? " (MM)" : " (II)");
    }
}

TEST(JpegInput, MalformedExifLeavesThePixelsAsStored) {
  const std::vector<std::string> hostile = {
      exif(6, false, 0xFFFFFFF0u),         // directory far past the segment
      exif(6, true, 8, 0xFFFF, 3, 0x0100), // more entries than the segment holds
      exif(6, false, 8, 1, 4),             // orientation as a LONG
      exif(9, false),                      // no such orientation
      exif(6, false).substr(0, 20),        // cut inside the entry
      std::string("Exif\0\0MM\0\x2b", 10)  // not TIFF's 42
  };
  TempDir dir;
  const std::string stored = dir.file("stored.jpg");
  ASSERT_TRUE(write_image(stored, six_blocks(), 8).ok());
  const std::string jpeg = file_bytes(stored);
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    const auto *data = reinterpret_cast<const unsigned char *>(hostile[i].data());
    EXPECT_EQ(exif_orientation(data, hostile[i].size()), 1) << "case " << i;
    const std::string path = dir.file("hostile.jpg");
    put_file(path, with_app1(jpeg, hostile[i]));
    EXPECT_EQ(block_layout(read_back(path)), (std::vector<std::vector<int>>{{0, 1, 2}, {3, 4, 5}}))
        << "case " << i;
  }
}

// Writes `samples` with libjpeg: `components` per pixel in `input` colour,
// stored as `stored`, at quality 100 without subsampling, with `scans` as the
// progressive scan script when given.
void write_jpeg(const std::string &path, int width, int height, J_COLOR_SPACE input, int components,
                J_COLOR_SPACE stored, const std::vector<unsigned char> &samples,
                const std::vector<jpeg_scan_info> &scans = {}) {
  std::FILE *file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  jpeg_compress_struct info{};
  jpeg_error_mgr errors{};
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  jpeg_stdio_dest(&info, file);
  info.image_width = static_cast<JDIMENSION>(width);
  info.image_height = static_cast<JDIMENSION>(height);
  info.input_components = components;
  info.in_color_space = input;
  jpeg_set_defaults(&info);
  jpeg_set_colorspace(&info, stored); // CMYK and YCCK get Adobe's marker
  jpeg_set_quality(&info, 100, TRUE);
  for (int c = 0; c < info.num_components; ++c)
    info.comp_info[c].h_samp_factor = info.comp_info[c].v_samp_factor = 1;
  if (!scans.empty()) {
    info.scan_info = scans.data();
    info.num_scans = static_cast<int>(scans.size());
  }
  jpeg_start_compress(&info, TRUE);
  const std::size_t row_bytes = std::size_t(width) * components;
  while (info.next_scanline < info.image_height) {
    JSAMPROW row = const_cast<unsigned char *>(&samples[info.next_scanline * row_bytes]);
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  std::fclose(file);
}

TEST(JpegInput, AdobeCmykAndYcckBecomeTheRightRgb) {
  // Adobe stores inverted inks: 255 is no ink. Left block: no black, the
  // other inks leave 200, 100, 50; right block: no colour, half black.
  std::vector<unsigned char> samples;
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 16; ++x)
      for (const int value :
           x < 8 ? std::array<int, 4>{200, 100, 50, 255} : std::array<int, 4>{255, 255, 255, 128})
        samples.push_back(static_cast<unsigned char>(value));
  TempDir dir;
  for (const J_COLOR_SPACE stored : {JCS_CMYK, JCS_YCCK}) {
    const std::string path = dir.file("print.jpg");
    write_jpeg(path, 16, 8, JCS_CMYK, 4, stored, samples);
    const nst::Image image = read_back(path);
    ASSERT_EQ(image.channels, 3);
    ASSERT_EQ(image.pixels.size(), 16u * 8 * 3);
    const float *left = &image.pixels[(4 * 16 + 4) * 3];
    const float *right = &image.pixels[(4 * 16 + 12) * 3];
    const float expected_left[] = {200 / 255.f, 100 / 255.f, 50 / 255.f};
    for (int c = 0; c < 3; ++c) {
      EXPECT_NEAR(left[c], expected_left[c], 0.03f) << "stored as " << stored << ", channel " << c;
      EXPECT_NEAR(right[c], 128 / 255.f, 0.03f) << "stored as " << stored << ", channel " << c;
    }
  }
}

// A valid progressive script: per component its DC, then each AC
// coefficient alone, every band first at `refinements` bits down, then
// refined bit by bit: 3 * 64 * (refinements + 1) scans.
std::vector<jpeg_scan_info> scan_script(int refinements) {
  std::vector<jpeg_scan_info> scans;
  auto band = [&](int component, int start, int end) {
    for (int al = refinements; al >= 0; --al) {
      jpeg_scan_info scan{};
      scan.comps_in_scan = 1;
      scan.component_index[0] = component;
      scan.Ss = start;
      scan.Se = end;
      scan.Ah = al == refinements ? 0 : al + 1;
      scan.Al = al;
      scans.push_back(scan);
    }
  };
  for (int component = 0; component < 3; ++component)
    band(component, 0, 0);
  for (int component = 0; component < 3; ++component)
    for (int k = 1; k < 64; ++k)
      band(component, k, k);
  return scans;
}

TEST(JpegInput, AbsurdlyManyProgressiveScansAreRefused) {
  const std::vector<unsigned char> grey(8 * 8 * 3, 128);
  TempDir dir;
  const std::string many = dir.file("many-scans.jpg");
  write_jpeg(many, 8, 8, JCS_RGB, 3, JCS_YCbCr, grey, scan_script(5)); // 1152 scans
  LoadedImage loaded;
  const nst::Status status = read_image(many, loaded);
  EXPECT_EQ(status.code, nst::ErrorCode::corrupt_file) << status.message;
  EXPECT_THAT(status.message, HasSubstr(many));
  EXPECT_THAT(status.message, HasSubstr("1000 scans"));

  // 192 scans, many more than cameras write, are still read.
  const std::string some = dir.file("some-scans.jpg");
  write_jpeg(some, 8, 8, JCS_RGB, 3, JCS_YCbCr, grey, scan_script(0));
  const nst::Image image = read_back(some);
  ASSERT_EQ(image.pixels.size(), 8u * 8 * 3);
  EXPECT_NEAR(image.pixels[0], 128 / 255.f, 0.03f);
}

// The fuzzer's case: a few hundred bytes that declare a huge image and end
// their scan with EOI; libjpeg would paint the missing rows grey (a 2.5 GB
// picture). Here the program's own JPEG, cut inside its scan.
TEST(JpegInput, DataThatEndsBeforeTheImageIsRefused) {
  TempDir dir;
  const std::string whole = dir.file("whole.jpg");
  ASSERT_TRUE(write_image(whole, six_blocks(), 8).ok());
  const std::string jpeg = file_bytes(whole);
  const std::string cut = jpeg.substr(0, jpeg.find("\xFF\xDA") + 40);
  for (const auto &[name, bytes] : {std::pair<std::string, std::string>{"cut.jpg", cut},
                                    {"cut-then-eoi.jpg", cut + "\xFF\xD9"}}) {
    const std::string path = dir.file(name);
    put_file(path, bytes);
    LoadedImage loaded;
    const nst::Status status = read_image(path, loaded);
    EXPECT_EQ(status.code, nst::ErrorCode::corrupt_file) << name << ": " << status.message;
    EXPECT_THAT(status.message, HasSubstr(path));
  }
  EXPECT_EQ(read_back(whole).pixels.size(), 48u * 32 * 3); // the whole file still reads
}

} // namespace
} // namespace nst_cli
