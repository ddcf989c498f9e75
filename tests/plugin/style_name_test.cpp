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

} // namespace
