// The GeglBuffer <-> engine pixel conversion, on tiny buffers, with GEGL but
// without GIMP.
#include "pixel_bridge.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace {

using nst_plugin::read_coverage;
using nst_plugin::read_pixels;
using nst_plugin::read_pixels_over_white;
using nst_plugin::write_pixels;

class PixelBridge : public ::testing::Test {
protected:
  static void SetUpTestSuite() { gegl_init(nullptr, nullptr); }

  struct BufferUnref {
    void operator()(GeglBuffer *b) const { g_object_unref(b); }
  };
  using Buffer = std::unique_ptr<GeglBuffer, BufferUnref>;

  static Buffer make_buffer(int width, int height, const Babl *format) {
    const GeglRectangle extent = {0, 0, width, height};
    return Buffer(gegl_buffer_new(&extent, format));
  }

  template <typename T>
  static void fill(GeglBuffer *buffer, const Babl *format, const std::vector<T> &values) {
    gegl_buffer_set(buffer, gegl_buffer_get_extent(buffer), 0, format, values.data(),
                    GEGL_AUTO_ROWSTRIDE);
  }

  template <typename T>
  static std::vector<T> contents(GeglBuffer *buffer, const Babl *format, std::size_t count) {
    std::vector<T> values(count);
    gegl_buffer_get(buffer, gegl_buffer_get_extent(buffer), 1.0, format, values.data(),
                    GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
    return values;
  }
};

TEST_F(PixelBridge, ReadsRgbaU8AsFloatInUnitRange) {
  const Babl *format = babl_format("R'G'B'A u8");
  Buffer buffer = make_buffer(2, 1, format);
  fill<uint8_t>(buffer.get(), format, {0, 51, 255, 255, 102, 204, 153, 0});

  const nst::Image image = read_pixels(buffer.get(), {0, 0, 2, 1}, format, true);
  ASSERT_EQ(image.width, 2);
  ASSERT_EQ(image.height, 1);
  ASSERT_EQ(image.channels, 4);
  const std::vector<float> expected = {0.0f, 0.2f, 1.0f, 1.0f, 0.4f, 0.8f, 0.6f, 0.0f};
  ASSERT_EQ(image.pixels.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(image.pixels[i], expected[i], 1e-6) << "value " << i;
}

TEST_F(PixelBridge, ReadsASubRectangleRowByRow) {
  const Babl *format = babl_format("Y' u8");
  Buffer buffer = make_buffer(3, 3, format);
  fill<uint8_t>(buffer.get(), format, {0, 10, 20, 30, 40, 50, 60, 70, 80});

  const nst::Image image = read_pixels(buffer.get(), {1, 1, 2, 2}, format, false);
  ASSERT_EQ(image.channels, 3);
  const float expected[] = {40, 50, 70, 80};
  for (int p = 0; p < 4; ++p)
    for (int c = 0; c < 3; ++c)
      EXPECT_NEAR(image.pixels[p * 3 + c], expected[p] / 255.0f, 1e-6) << "pixel " << p;
}

TEST_F(PixelBridge, ExpandsGrayToEqualRgbAndKeepsAlpha) {
  const Babl *format = babl_format("Y'A u16");
  Buffer buffer = make_buffer(2, 1, format);
  fill<uint16_t>(buffer.get(), format, {13107, 65535, 52428, 32768});

  const nst::Image image = read_pixels(buffer.get(), {0, 0, 2, 1}, format, true);
  ASSERT_EQ(image.channels, 4);
  EXPECT_NEAR(image.pixels[0], 0.2f, 1e-5);
  EXPECT_FLOAT_EQ(image.pixels[0], image.pixels[1]);
  EXPECT_FLOAT_EQ(image.pixels[0], image.pixels[2]);
  EXPECT_NEAR(image.pixels[3], 1.0f, 1e-5);
  EXPECT_NEAR(image.pixels[4], 0.8f, 1e-5);
  EXPECT_NEAR(image.pixels[7], 32768.0f / 65535.0f, 1e-5);
}

TEST_F(PixelBridge, GrayRoundTripThroughRgbIsExact) {
  const Babl *format = babl_format("Y'A u16");
  Buffer buffer = make_buffer(3, 1, format);
  const std::vector<uint16_t> original = {1, 65535, 30000, 20000, 65534, 0};
  fill<uint16_t>(buffer.get(), format, original);

  const nst::Image image = read_pixels(buffer.get(), {0, 0, 3, 1}, format, true);
  Buffer copy = make_buffer(3, 1, format);
  write_pixels(copy.get(), {0, 0, 3, 1}, format, image);
  EXPECT_EQ(contents<uint16_t>(copy.get(), format, original.size()), original);
}

TEST_F(PixelBridge, KeepsSixteenBitPrecision) {
  // Neighbouring 16-bit values must stay apart: 8-bit would merge them.
  const Babl *format = babl_format("RGB u16"); // linear, as GIMP's 16-bit linear images
  Buffer buffer = make_buffer(2, 1, format);
  fill<uint16_t>(buffer.get(), format, {1000, 1000, 1000, 1001, 1001, 1001});

  const nst::Image image = read_pixels(buffer.get(), {0, 0, 2, 1}, format, false);
  EXPECT_GT(image.pixels[3], image.pixels[0]);
  EXPECT_LT(image.pixels[3] - image.pixels[0], 1.0f / 255.0f);

  Buffer copy = make_buffer(2, 1, format);
  write_pixels(copy.get(), {0, 0, 2, 1}, format, image);
  EXPECT_EQ(contents<uint16_t>(copy.get(), format, 6),
            (std::vector<uint16_t>{1000, 1000, 1000, 1001, 1001, 1001}));
}

TEST_F(PixelBridge, StaysInTheBuffersColourSpace) {
  const Babl *rec2020 = babl_format_with_space("R'G'B' float", babl_space("Rec2020"));
  Buffer buffer = make_buffer(1, 1, rec2020);
  fill<float>(buffer.get(), rec2020, {0.9f, 0.2f, 0.1f});

  // In the buffer's own space the values come back unchanged...
  const nst::Image own = read_pixels(buffer.get(), {0, 0, 1, 1}, rec2020, false);
  EXPECT_NEAR(own.pixels[0], 0.9f, 1e-5);
  EXPECT_NEAR(own.pixels[1], 0.2f, 1e-5);
  EXPECT_NEAR(own.pixels[2], 0.1f, 1e-5);
  // ...while sRGB would see another colour (the test would notice a space mix-up).
  const nst::Image srgb = read_pixels(buffer.get(), {0, 0, 1, 1}, babl_space("sRGB"), false);
  EXPECT_GT(std::fabs(srgb.pixels[0] - 0.9f) + std::fabs(srgb.pixels[1] - 0.2f), 0.05f);

  Buffer copy = make_buffer(1, 1, rec2020);
  write_pixels(copy.get(), {0, 0, 1, 1}, rec2020, own);
  const std::vector<float> back = contents<float>(copy.get(), rec2020, 3);
  EXPECT_NEAR(back[0], 0.9f, 1e-5);
  EXPECT_NEAR(back[1], 0.2f, 1e-5);
  EXPECT_NEAR(back[2], 0.1f, 1e-5);
}

TEST_F(PixelBridge, ClampsFloatValuesToUnitRange) {
  const Babl *format = babl_format("R'G'B'A float");
  Buffer buffer = make_buffer(1, 1, format);
  fill<float>(buffer.get(), format, {1.5f, -0.25f, std::numeric_limits<float>::quiet_NaN(), 2.0f});

  const nst::Image image = read_pixels(buffer.get(), {0, 0, 1, 1}, format, true);
  EXPECT_EQ(image.pixels, (std::vector<float>{1.0f, 0.0f, 0.0f, 1.0f}));
}

TEST_F(PixelBridge, RgbReadOfOpaqueBufferAndRgbWriteIntoAlphaBuffer) {
  const Babl *format = babl_format("R'G'B'A float");
  Buffer buffer = make_buffer(1, 1, format);
  nst::Image image;
  image.width = image.height = 1;
  image.channels = 3;
  image.pixels = {0.25f, 0.5f, 0.75f};
  write_pixels(buffer.get(), {0, 0, 1, 1}, format, image);
  EXPECT_EQ(contents<float>(buffer.get(), format, 4),
            (std::vector<float>{0.25f, 0.5f, 0.75f, 1.0f}));
}

TEST_F(PixelBridge, CoverageMultipliesAlpha) {
  const Babl *format = babl_format("R'G'B'A float");
  Buffer buffer = make_buffer(3, 1, format);
  nst::Image image;
  image.width = 3;
  image.height = 1;
  image.channels = 4;
  image.pixels = {0.1f, 0.2f, 0.3f, 1.0f, 0.4f, 0.5f, 0.6f, 0.5f, 0.7f, 0.8f, 0.9f, 1.0f};
  write_pixels(buffer.get(), {0, 0, 3, 1}, format, image, {1.0f, 0.5f, 0.0f});

  const std::vector<float> got = contents<float>(buffer.get(), format, 12);
  EXPECT_FLOAT_EQ(got[3], 1.0f);
  EXPECT_FLOAT_EQ(got[7], 0.25f);
  EXPECT_FLOAT_EQ(got[11], 0.0f);
  EXPECT_FLOAT_EQ(got[4], 0.4f); // colour is not premultiplied
}

TEST_F(PixelBridge, CoverageGivesAnRgbResultAlpha) {
  const Babl *format = babl_format("Y'A float");
  Buffer buffer = make_buffer(2, 1, format);
  nst::Image image;
  image.width = 2;
  image.height = 1;
  image.channels = 3;
  image.pixels = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f};
  write_pixels(buffer.get(), {0, 0, 2, 1}, format, image, {0.75f, 0.0f});

  const std::vector<float> got = contents<float>(buffer.get(), format, 4);
  EXPECT_NEAR(got[0], 0.5f, 1e-5);
  EXPECT_FLOAT_EQ(got[1], 0.75f);
  EXPECT_FLOAT_EQ(got[3], 0.0f);
}

TEST_F(PixelBridge, ReadsSelectionCoverage) {
  const Babl *format = babl_format("Y u8");
  Buffer mask = make_buffer(2, 2, format);
  fill<uint8_t>(mask.get(), format, {0, 255, 128, 64});

  const std::vector<float> coverage = read_coverage(mask.get(), {0, 1, 2, 1});
  ASSERT_EQ(coverage.size(), 2u);
  EXPECT_NEAR(coverage[0], 128.0f / 255.0f, 1e-6);
  EXPECT_NEAR(coverage[1], 64.0f / 255.0f, 1e-6);
}

TEST_F(PixelBridge, CompositesStyleOverWhite) {
  const Babl *format = babl_format("R'G'B'A float");
  Buffer buffer = make_buffer(2, 1, format);
  fill<float>(buffer.get(), format, {0.2f, 0.4f, 0.6f, 1.0f, 0.0f, 0.0f, 0.0f, 0.5f});

  const nst::Image image = read_pixels_over_white(buffer.get(), {0, 0, 2, 1}, format);
  ASSERT_EQ(image.channels, 3);
  EXPECT_NEAR(image.pixels[0], 0.2f, 1e-6);
  EXPECT_NEAR(image.pixels[2], 0.6f, 1e-6);
  EXPECT_NEAR(image.pixels[3], 0.5f, 1e-6);
}

TEST_F(PixelBridge, RejectsAResultOfTheWrongSize) {
  const Babl *format = babl_format("R'G'B'A float");
  Buffer buffer = make_buffer(2, 2, format);
  nst::Image image;
  image.width = image.height = 1;
  image.channels = 3;
  image.pixels = {0, 0, 0};
  EXPECT_THROW(write_pixels(buffer.get(), {0, 0, 2, 2}, format, image), std::invalid_argument);
  image.width = 2;
  image.height = 2;
  image.pixels.assign(12, 0.0f);
  EXPECT_THROW(write_pixels(buffer.get(), {0, 0, 2, 2}, format, image, {1.0f}),
               std::invalid_argument);
}

} // namespace
