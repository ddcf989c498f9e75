// VGG19's sixteen convolutions: their names (conv1_1 .. conv5_4), their
// place in torchvision's `features` (features.0 .. features.34) and the
// layer names options may use. No LibTorch types.
#pragma once

#include <array>
#include <string>

namespace nst::vgg {

constexpr int kConvCount = 16;

struct ConvInfo {
  const char *name;   // "conv3_2"
  int block;          // 1..5; a 2x2 pooling precedes the first conv of blocks 2..5
  int features_index; // index in torchvision's / timm's `features` Sequential
};

extern const std::array<ConvInfo, kConvCount> kConvs;

// True when a pooling layer comes just before convolution `conv`.
bool pool_before(int conv);

// The output channels of convolution `conv` in VGG19 itself: 64 in block 1,
// doubling with each block up to 512. (Test networks may be narrower: a
// loaded model's own widths are Model::channels.)
int channels(int conv);

// A layer the losses read: the output of a convolution, before ("convX_Y")
// or after ("reluX_Y") its ReLU.
struct LayerRef {
  int conv = 0;
  bool after_relu = true;
};

// Parses "conv4_2" or "relu4_2"; false when the name is no VGG19 layer.
bool parse_layer(const std::string &name, LayerRef &layer);

} // namespace nst::vgg
