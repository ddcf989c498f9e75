#include "option_text.h"

#include <gtest/gtest.h>

namespace {

using nst_plugin::parse_scales;
using nst_plugin::style_name_from_path;

TEST(ParseScales, EmptyOrBlankMeansAutomatic) {
  std::vector<int> scales = {1};
  std::string error;
  EXPECT_TRUE(parse_scales("", scales, error));
  EXPECT_TRUE(scales.empty());
  EXPECT_TRUE(parse_scales("  , ", scales, error));
  EXPECT_TRUE(scales.empty());
}

TEST(ParseScales, ReadsCommaOrSpaceSeparatedSizes) {
  std::vector<int> scales;
  std::string error;
  EXPECT_TRUE(parse_scales("256, 512 1024", scales, error)) << error;
  EXPECT_EQ(scales, (std::vector<int>{256, 512, 1024}));
}

TEST(ParseScales, RejectsWhatIsNotAPositiveNumber) {
  std::vector<int> scales;
  std::string error;
  for (const char *bad : {"256,abc", "0", "-5", "12px", "99999999999", "+3"}) {
    EXPECT_FALSE(parse_scales(bad, scales, error)) << bad;
    EXPECT_TRUE(scales.empty());
    EXPECT_NE(error.find("scales"), std::string::npos) << error;
  }
}

TEST(StyleName, MakesAReadableNameFromAPath) {
  EXPECT_EQ(style_name_from_path("/x/y/starry_night.jpg"), "Starry Night");
  EXPECT_EQ(style_name_from_path("the-scream.tar.png"), "The Scream.tar");
  EXPECT_EQ(style_name_from_path("C:\\art\\wave.png"), "Wave");
  EXPECT_EQ(style_name_from_path(".hidden"), ".hidden");
  EXPECT_EQ(style_name_from_path("plain"), "Plain");
}

} // namespace
