// A window into the engine's internals for its tests, without LibTorch
// types: the network built from arrays, and the Gram matrix, losses and
// gradient exactly as the optimisation computes them.
#pragma once

#include "nst/engine.h"

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace nst::probe {

struct ConvArrays {
  int out_channels = 0, in_channels = 0;
  std::vector<float> weight; // out x in x 3 x 3, row-major
  std::vector<float> bias;   // out
};

// A VGG19 whose five blocks have `widths` channels (torchvision's are 64,
// 128, 256, 512, 512), He-initialised from `seed`.
std::vector<ConvArrays> random_vgg19(const std::array<int, 5> &widths, std::uint64_t seed);

Status make_model(const std::vector<ConvArrays> &convs, const ModelOptions &options,
                  std::shared_ptr<Model> &model);

// The engine's Gram matrix (C x C) of features C x H x W, stored channels-last
// inside when `channels_last`, as the network produces them.
std::vector<float> gram(const std::vector<float> &chw, int c, int h, int w, bool channels_last);

// The engine's total variation of an image 3 x H x W.
double total_variation(const std::vector<float> &chw, int h, int w);

struct Evaluation {
  double content = 0, style = 0, tv = 0, total = 0;
  std::vector<float> gradient; // 3 x H x W, d total / d image
};

// The objective of a single-scale run on `content` and `styles`, each used
// at its own size: targets as stylise computes them, then the loss (and
// gradient) of `image` (3 x H x W, RGB 0..1, the content's size).
// `double_precision` runs the network and losses in float64, for finite
// differences whose step is not lost in float32 rounding.
Status evaluate(Model &model, const ImageView &content, const std::vector<StyleImage> &styles,
                const Options &options, const std::vector<double> &image, Evaluation &result,
                bool double_precision = false);

} // namespace nst::probe
