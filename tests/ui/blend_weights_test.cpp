#include "blend_weights.h"

#include "nst/parameters.h"

#include <gtest/gtest.h>

namespace {

using nst_ui::blend_weights_text;

TEST(BlendWeights, OneStyleNeedsNoWeights) {
  EXPECT_EQ(blend_weights_text(0.4, {}), "");
}

TEST(BlendWeights, LayersComeBeforeFilesAsTheProcedureOrdersThem) {
  // Rows added as file, layer, file: the procedure takes the first style,
  // then the layers, then the files.
  EXPECT_EQ(blend_weights_text(0.5, {{false, 0.25}, {true, 2}, {false, 1}}), "0.5, 2, 0.25, 1");
}

TEST(BlendWeights, TheTextIsWhatTheProcedureParses) {
  std::vector<float> weights;
  std::string error;
  ASSERT_TRUE(
      nst::parse_weights(blend_weights_text(0.7, {{true, 0.3}, {false, 1e-3}}), weights, error))
      << error;
  EXPECT_EQ(weights, (std::vector<float>{0.7f, 0.3f, 1e-3f}));
}

TEST(BlendWeights, StrokeSizesFollowTheSameOrder) {
  EXPECT_EQ(nst_ui::stroke_sizes_text(2, {}), "");
  EXPECT_EQ(nst_ui::stroke_sizes_text(1, {{false, 0.25, 3}, {true, 2, 0.5}, {false, 1, 1}}),
            "1, 0.5, 3, 1");
}

} // namespace
