// Images in and out of the command line: PNG round trips keep 8- and 16-bit
// values exactly, grey and palette files become RGB(A), JPEG comes back
// close, and failures name the file.
#include "image_io.h"

#include "temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <png.h>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace nst_cli {
namespace {

using nst_cli_test::TempDir;
using ::testing::HasSubstr;

nst::Image make_image(int width, int height, int channels, int levels) {
  // Values k / levels, varied across pixels and channels.
  nst::Image image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  image.pixels.resize(static_cast<std::size_t>(width) * height * channels);
  for (std::size_t i = 0; i < image.pixels.size(); ++i)
    image.pixels[i] = static_cast<float>((i * 7919 + 13) % (levels + 1)) / levels;
  return image;
}

bool exists(const std::string &path) {
  return std::ifstream(path).good();
}

// A PNG of any colour type, written with libpng directly: the program itself
// only writes RGB(A).
void write_png(const std::string &path, int width, int height, int colour_type, int depth,
               const std::vector<unsigned char> &rows_bytes,
               const std::vector<png_color> &palette = {},
               const std::vector<unsigned char> &transparency = {}) {
  std::FILE *file = std::fopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, file);
  png_set_IHDR(png, info, width, height, depth, colour_type, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!palette.empty())
    png_set_PLTE(png, info, palette.data(), static_cast<int>(palette.size()));
  if (!transparency.empty())
    png_set_tRNS(png, info, transparency.data(), static_cast<int>(transparency.size()), nullptr);
  png_write_info(png, info);
  const std::size_t row_bytes = rows_bytes.size() / height;
  for (int y = 0; y < height; ++y)
    png_write_row(png, rows_bytes.data() + y * row_bytes);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(file);
}

TEST(ImageIo, Png8BitRoundTripIsExact) {
  TempDir dir;
  const nst::Image image = make_image(13, 7, 3, 255);
  const std::string path = dir.file("rgb.png");
  ASSERT_TRUE(write_image(path, image, 8).ok());
  EXPECT_FALSE(exists(path + ".partial"));
  LoadedImage loaded;
  const nst::Status status = read_image(path, loaded);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(loaded.bit_depth, 8);
  EXPECT_EQ(loaded.image.width, 13);
  EXPECT_EQ(loaded.image.height, 7);
  EXPECT_EQ(loaded.image.channels, 3);
  EXPECT_EQ(loaded.image.pixels, image.pixels);
}

TEST(ImageIo, Png16BitKeepsEveryValue) {
  TempDir dir;
  nst::Image image = make_image(31, 17, 3, 65535);
  // Values that 8 bits cannot hold, and both ends.
  image.pixels[0] = 1.0f / 65535;
  image.pixels[1] = 257.0f / 65535;
  image.pixels[2] = 65534.0f / 65535;
  image.pixels[3] = 0.0f;
  image.pixels[4] = 1.0f;
  const std::string path = dir.file("deep.png");
  ASSERT_TRUE(write_image(path, image, 16).ok());
  LoadedImage loaded;
  ASSERT_TRUE(read_image(path, loaded).ok());
  EXPECT_EQ(loaded.bit_depth, 16);
  ASSERT_EQ(loaded.image.pixels.size(), image.pixels.size());
  for (std::size_t i = 0; i < image.pixels.size(); ++i)
    ASSERT_EQ(std::lround(loaded.image.pixels[i] * 65535.0), std::lround(image.pixels[i] * 65535.0))
        << "sample " << i;
  EXPECT_EQ(loaded.image.pixels, image.pixels); // the same floats, not just close
}

TEST(ImageIo, RgbaKeepsAlpha) {
  TempDir dir;
  const nst::Image image = make_image(9, 5, 4, 255);
  for (int depth : {8, 16}) {
    const std::string path = dir.file("rgba" + std::to_string(depth) + ".png");
    ASSERT_TRUE(write_image(path, image, depth).ok());
    LoadedImage loaded;
    ASSERT_TRUE(read_image(path, loaded).ok());
    EXPECT_EQ(loaded.image.channels, 4);
    EXPECT_EQ(loaded.bit_depth, depth);
    EXPECT_EQ(loaded.image.pixels, image.pixels) << depth << " bits";
  }
}

TEST(ImageIo, GreyBecomesRgb) {
  TempDir dir;
  const std::string path = dir.file("grey.png");
  write_png(path, 3, 2, PNG_COLOR_TYPE_GRAY, 8, {0, 51, 255, 7, 128, 200});
  LoadedImage loaded;
  ASSERT_TRUE(read_image(path, loaded).ok());
  EXPECT_EQ(loaded.bit_depth, 8);
  ASSERT_EQ(loaded.image.channels, 3);
  const std::vector<int> grey = {0, 51, 255, 7, 128, 200};
  for (std::size_t p = 0; p < grey.size(); ++p)
    for (int c = 0; c < 3; ++c)
      EXPECT_EQ(loaded.image.pixels[p * 3 + c], grey[p] / 255.0f) << p;
}

TEST(ImageIo, Grey16WithAlphaBecomesRgba16) {
  TempDir dir;
  const std::string path = dir.file("grey-alpha.png");
  // One pixel: grey 0x1234, alpha 0xFEDC, big-endian.
  write_png(path, 1, 1, PNG_COLOR_TYPE_GRAY_ALPHA, 16, {0x12, 0x34, 0xFE, 0xDC});
  LoadedImage loaded;
  ASSERT_TRUE(read_image(path, loaded).ok());
  EXPECT_EQ(loaded.bit_depth, 16);
  ASSERT_EQ(loaded.image.channels, 4);
  EXPECT_EQ(loaded.image.pixels[0], 0x1234 / 65535.0f);
  EXPECT_EQ(loaded.image.pixels[2], 0x1234 / 65535.0f);
  EXPECT_EQ(loaded.image.pixels[3], 0xFEDC / 65535.0f);
}

TEST(ImageIo, PaletteWithTransparencyBecomesRgba) {
  TempDir dir;
  const std::string path = dir.file("palette.png");
  write_png(path, 2, 1, PNG_COLOR_TYPE_PALETTE, 8, {1, 0}, {{10, 20, 30}, {200, 100, 50}}, {128});
  LoadedImage loaded;
  ASSERT_TRUE(read_image(path, loaded).ok());
  ASSERT_EQ(loaded.image.channels, 4);
  EXPECT_EQ(loaded.bit_depth, 8);
  const std::vector<float> expected = {200 / 255.f, 100 / 255.f, 50 / 255.f, 1.0f,
                                       10 / 255.f,  20 / 255.f,  30 / 255.f, 128 / 255.f};
  EXPECT_EQ(loaded.image.pixels, expected);
}

TEST(ImageIo, JpegRoundTripIsClose) {
  TempDir dir;
  nst::Image image;
  image.width = 40;
  image.height = 24;
  image.channels = 3;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width; ++x) {
      image.pixels.push_back(x / 39.0f);
      image.pixels.push_back(y / 23.0f);
      image.pixels.push_back(0.5f);
    }
  const std::string path = dir.file("smooth.JPG");
  ASSERT_TRUE(write_image(path, image, 8).ok());
  LoadedImage loaded;
  ASSERT_TRUE(read_image(path, loaded).ok());
  EXPECT_EQ(loaded.bit_depth, 8);
  ASSERT_EQ(loaded.image.channels, 3);
  ASSERT_EQ(loaded.image.pixels.size(), image.pixels.size());
  float worst = 0;
  for (std::size_t i = 0; i < image.pixels.size(); ++i)
    worst = std::max(worst, std::fabs(loaded.image.pixels[i] - image.pixels[i]));
  EXPECT_LT(worst, 0.04f);
}

TEST(ImageIo, JpegDropsAlpha) {
  TempDir dir;
  const std::string path = dir.file("alpha.jpeg");
  ASSERT_TRUE(write_image(path, make_image(8, 8, 4, 255), 16).ok());
  LoadedImage loaded;
  ASSERT_TRUE(read_image(path, loaded).ok());
  EXPECT_EQ(loaded.image.channels, 3);
  EXPECT_EQ(loaded.bit_depth, 8);
}

TEST(ImageIo, ValuesAreClampedAndNaNIsZero) {
  TempDir dir;
  nst::Image image;
  image.width = 1;
  image.height = 1;
  image.channels = 3;
  image.pixels = {-0.5f, 1.5f, std::nanf("")};
  const std::string path = dir.file("clamped.png");
  ASSERT_TRUE(write_image(path, image, 8).ok());
  LoadedImage loaded;
  ASSERT_TRUE(read_image(path, loaded).ok());
  EXPECT_EQ(loaded.image.pixels, (std::vector<float>{0.0f, 1.0f, 0.0f}));
}

TEST(ImageIo, ReadErrorsNameTheFile) {
  TempDir dir;
  LoadedImage loaded;
  const std::string missing = dir.file("missing.png");
  nst::Status status = read_image(missing, loaded);
  EXPECT_EQ(status.code, nst::ErrorCode::file_not_found);
  EXPECT_THAT(status.message, HasSubstr(missing));

  const std::string text = dir.file("text.png");
  std::ofstream(text) << "not an image";
  status = read_image(text, loaded);
  EXPECT_EQ(status.code, nst::ErrorCode::unsupported);
  EXPECT_THAT(status.message, HasSubstr(text));

  // A PNG cut short in its pixel data.
  const std::string whole = dir.file("whole.png");
  ASSERT_TRUE(write_image(whole, make_image(64, 64, 3, 255), 8).ok());
  std::ifstream in(whole, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = dir.file("cut.png");
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  status = read_image(cut, loaded);
  EXPECT_EQ(status.code, nst::ErrorCode::corrupt_file);
  EXPECT_THAT(status.message, HasSubstr(cut));

  // The same for a JPEG cut after its header.
  const std::string jpeg = dir.file("whole.jpg");
  ASSERT_TRUE(write_image(jpeg, make_image(64, 64, 3, 255), 8).ok());
  std::ifstream jpeg_in(jpeg, std::ios::binary);
  const std::string jpeg_bytes((std::istreambuf_iterator<char>(jpeg_in)),
                               std::istreambuf_iterator<char>());
  const std::string jpeg_cut = dir.file("cut.jpg");
  std::ofstream(jpeg_cut, std::ios::binary) << jpeg_bytes.substr(0, 100);
  status = read_image(jpeg_cut, loaded);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message, HasSubstr(jpeg_cut));
}

// A chunk as PNG stores it: length, type, data, CRC-32 of type and data.
std::string png_chunk(const std::string &type, const std::string &data) {
  auto be32 = [](std::uint32_t v) {
    return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  };
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : type + data) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(~crc);
}

std::string file_bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

long peak_resident_kib() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(ImageIo, APngDeclaringMorePixelsThanItCanHoldIsRefusedBeforeAllocating) {
  // 30000 x 30000 RGBA at 16 bits (7.2 GB) declared in a 60-byte file.
  TempDir dir;
  const std::string ihdr = {0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 16, 6, 0, 0, 0};
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + png_chunk("IHDR", ihdr) +
                          png_chunk("IDAT", std::string(10, 'x'));
  const std::string path = dir.file("huge.png");
  std::ofstream(path, std::ios::binary) << png;
  const long before = peak_resident_kib();
  LoadedImage loaded;
  const nst::Status status = read_image(path, loaded);
  EXPECT_EQ(status.code, nst::ErrorCode::corrupt_file);
  EXPECT_THAT(status.message, HasSubstr(path));
  EXPECT_THAT(status.message, HasSubstr("30000x30000"));
  EXPECT_LT(peak_resident_kib() - before, 100 * 1024) << "KiB allocated for the refused file";
}

TEST(ImageIo, AJpegCutInItsPixelDataIsAnErrorNotGreyRows) {
  TempDir dir;
  const std::string whole = dir.file("whole.jpg");
  ASSERT_TRUE(write_image(whole, make_image(256, 256, 3, 255), 8).ok());
  const std::string bytes = file_bytes(whole);
  const std::string cut = dir.file("cut.jpg");
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() * 2 / 3);
  LoadedImage loaded;
  const nst::Status status = read_image(cut, loaded);
  EXPECT_EQ(status.code, nst::ErrorCode::corrupt_file);
  EXPECT_THAT(status.message, HasSubstr(cut));
  ASSERT_TRUE(read_image(whole, loaded).ok()); // the whole file still reads
}

TEST(ImageIo, WriteErrorsLeaveNothingBehind) {
  TempDir dir;
  const nst::Image image = make_image(4, 4, 3, 255);
  const std::string no_folder = dir.file("absent/out.png");
  nst::Status status = write_image(no_folder, image, 8);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message, HasSubstr("absent/out.png"));

  const std::string bmp = dir.file("out.bmp");
  status = write_image(bmp, image, 8);
  EXPECT_EQ(status.code, nst::ErrorCode::invalid_argument);
  EXPECT_FALSE(exists(bmp));
  EXPECT_FALSE(exists(bmp + ".partial"));

  nst::Image malformed = image;
  malformed.pixels.pop_back();
  EXPECT_EQ(write_image(dir.file("bad.png"), malformed, 8).code, nst::ErrorCode::invalid_argument);
}

} // namespace
} // namespace nst_cli
