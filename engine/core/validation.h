// Checks a stylise call's images and options before any work starts; throws
// Error(invalid_argument) naming the option and the range it must be in.
#pragma once

#include "core/vgg_layout.h"
#include "nst/engine.h"
#include "nst/parameters.h" // kMaximumSide

#include <vector>

namespace nst {

void validate_image(const ImageView &image, const char *what);
void validate_request(const ImageView &content, const std::vector<StyleImage> &styles,
                      const Options &options);
// The network's options (device index, threads), before it is loaded.
void validate_model_options(const ModelOptions &model);

// The layers of `layers`, parsed (names were checked by validate_request).
std::vector<vgg::LayerRef> parse_layers(const std::vector<LayerWeight> &layers);

// Every layer the losses read: the content's, then the styles' (the order of
// the features a pass returns).
std::vector<vgg::LayerRef> read_layers(const Options &options);

// The deepest convolution the content and style losses of `options` read.
int deepest_conv(const Options &options);

// The convolutions a step in blocks may keep the whole image's ReLU outputs
// from (KeptActivations), ascending: the first of each pooling level from
// conv3_1 to the deepest layer, where every layer the losses read from
// there on is after its ReLU. Earlier levels hold 64 values a pixel and
// more each, most of what a block's pass holds: blocks exist not to hold it.
std::vector<int> keep_candidates(const Options &options);

} // namespace nst
