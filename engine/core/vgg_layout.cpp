#include "core/vgg_layout.h"

#include <algorithm>

namespace nst::vgg {

const std::array<ConvInfo, kConvCount> kConvs = {{
    {"conv1_1", 1, 0},
    {"conv1_2", 1, 2},
    {"conv2_1", 2, 5},
    {"conv2_2", 2, 7},
    {"conv3_1", 3, 10},
    {"conv3_2", 3, 12},
    {"conv3_3", 3, 14},
    {"conv3_4", 3, 16},
    {"conv4_1", 4, 19},
    {"conv4_2", 4, 21},
    {"conv4_3", 4, 23},
    {"conv4_4", 4, 25},
    {"conv5_1", 5, 28},
    {"conv5_2", 5, 30},
    {"conv5_3", 5, 32},
    {"conv5_4", 5, 34},
}};

bool pool_before(int conv) {
  return conv > 0 && kConvs[conv].block != kConvs[conv - 1].block;
}

int channels(int conv) {
  return 64 << std::min(kConvs[conv].block - 1, 3);
}

bool parse_layer(const std::string &name, LayerRef &layer) {
  if (name.size() != 7)
    return false;
  const std::string prefix = name.substr(0, 4);
  if (prefix != "conv" && prefix != "relu")
    return false;
  const std::string suffix = name.substr(4);
  for (int i = 0; i < kConvCount; ++i) {
    if (suffix == kConvs[i].name + 4) {
      layer.conv = i;
      layer.after_relu = prefix == "relu";
      return true;
    }
  }
  return false;
}

} // namespace nst::vgg
