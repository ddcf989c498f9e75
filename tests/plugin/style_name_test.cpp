#include "style_name.h"

#include <gtest/gtest.h>

namespace {

using nst_plugin::style_name_from_path;

TEST(StyleName, MakesAReadableNameFromAPath) {
  EXPECT_EQ(style_name_from_path("/x/y/starry_night.jpg"), "Starry Night");
  EXPECT_EQ(style_name_from_path("the-scream.tar.png"), "The Scream.tar");
  EXPECT_EQ(style_name_from_path("C:\\art\\wave.png"), "Wave");
  EXPECT_EQ(style_name_from_path(".hidden"), ".hidden");
  EXPECT_EQ(style_name_from_path("plain"), "Plain");
}

TEST(StyleName, SeveralStylesAreJoinedEachOnce) {
  using nst_plugin::blended_style_name;
  EXPECT_EQ(blended_style_name({"Wave"}), "Wave");
  EXPECT_EQ(blended_style_name({"Wave", "Starry Night"}), "Wave + Starry Night");
  EXPECT_EQ(blended_style_name({"Wave", "Scream", "Wave"}), "Wave + Scream");
}

} // namespace
