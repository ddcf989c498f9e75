#include "live_preview.h"

#include <gtest/gtest.h>

namespace {

nst::Image image(int width, int height, int channels, float value) {
  nst::Image result;
  result.width = width;
  result.height = height;
  result.channels = channels;
  result.pixels.assign(static_cast<std::size_t>(width) * height * channels, value);
  return result;
}

TEST(LivePreview, SmallImagesKeepTheirSize) {
  const nst_ui::LivePreview preview = nst_ui::make_live_preview(image(4, 3, 3, 0.5f), 480);
  EXPECT_EQ(preview.width, 4);
  EXPECT_EQ(preview.height, 3);
  ASSERT_EQ(preview.rgb.size(), 4u * 3u * 3u);
  EXPECT_EQ(preview.rgb[0], 128);
}

TEST(LivePreview, LargeImagesAreBoxAveragedBelowTheLimit) {
  nst::Image big = image(1000, 500, 3, 0.0f);
  // A checkerboard of 0 and 1 averages to mid grey.
  for (int y = 0; y < big.height; ++y)
    for (int x = 0; x < big.width; ++x)
      for (int c = 0; c < 3; ++c)
        big.pixels[(static_cast<std::size_t>(y) * big.width + x) * 3 + c] =
            static_cast<float>((x + y) % 2);
  const nst_ui::LivePreview preview = nst_ui::make_live_preview(big, 480);
  EXPECT_LE(preview.width, 480);
  EXPECT_EQ(preview.width, 333);
  EXPECT_EQ(preview.height, 166);
  for (std::uint8_t value : preview.rgb)
    EXPECT_NEAR(value, 128, 15);
}

TEST(LivePreview, AlphaIsDroppedAndValuesClamped) {
  nst::Image rgba = image(2, 1, 4, 0.0f);
  rgba.pixels = {2.0f, -1.0f, 0.25f, 0.0f, 1.0f, 0.0f, 0.0f, 1.0f};
  const nst_ui::LivePreview preview = nst_ui::make_live_preview(rgba, 480);
  ASSERT_EQ(preview.rgb.size(), 6u);
  EXPECT_EQ(preview.rgb[0], 255);
  EXPECT_EQ(preview.rgb[1], 0);
  EXPECT_EQ(preview.rgb[2], 64);
  EXPECT_EQ(preview.rgb[3], 255);
}

TEST(LivePreview, EmptyOrInconsistentImagesGiveNothing) {
  EXPECT_TRUE(nst_ui::make_live_preview(nst::Image{}, 480).rgb.empty());
  nst::Image short_pixels = image(4, 4, 3, 0.5f);
  short_pixels.pixels.resize(5);
  EXPECT_TRUE(nst_ui::make_live_preview(short_pixels, 480).rgb.empty());
}

} // namespace
