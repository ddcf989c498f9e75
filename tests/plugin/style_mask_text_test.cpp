// style-masks as text: what scripts and the dialog write, read back.
#include "style_mask_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using nst_plugin::parse_style_masks;
using nst_plugin::style_masks_text;
using nst_plugin::StyleMask;
using Kind = StyleMask::Kind;

TEST(StyleMaskText, ReadsNoneSelectionAndIds) {
  std::vector<StyleMask> masks;
  std::string error;
  ASSERT_TRUE(parse_style_masks("selection, none 12", masks, error)) << error;
  ASSERT_EQ(masks.size(), 3u);
  EXPECT_EQ(masks[0].kind, Kind::selection);
  EXPECT_EQ(masks[1].kind, Kind::everywhere);
  EXPECT_EQ(masks[2].kind, Kind::item);
  EXPECT_EQ(masks[2].item_id, 12);
  ASSERT_TRUE(parse_style_masks(" ", masks, error));
  EXPECT_TRUE(masks.empty());
}

TEST(StyleMaskText, RefusesOtherWordsAndLeavesTheListAsItWas) {
  std::vector<StyleMask> masks(2);
  std::string error;
  for (const char *bad : {"sky", "12x", "-3", "0", "none, Selection"}) {
    EXPECT_FALSE(parse_style_masks(bad, masks, error)) << bad;
    EXPECT_THAT(error, ::testing::HasSubstr("is not \"none\", \"selection\"")) << bad;
  }
  EXPECT_EQ(masks.size(), 2u);
}

TEST(StyleMaskText, WritesWhatItReadsAndNothingWhenEveryStyleIsEverywhere) {
  EXPECT_EQ(style_masks_text({{}, {}}), "");
  const std::vector<StyleMask> masks = {
      {Kind::everywhere, 0}, {Kind::item, 7}, {Kind::selection, 0}};
  const std::string text = style_masks_text(masks);
  EXPECT_EQ(text, "none, 7, selection");
  std::vector<StyleMask> back;
  std::string error;
  ASSERT_TRUE(parse_style_masks(text, back, error));
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[1].item_id, 7);
  EXPECT_EQ(back[2].kind, Kind::selection);
}

} // namespace
