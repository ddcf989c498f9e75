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

// The deepest convolution the content and style losses of `options` read.
int deepest_conv(const Options &options);

} // namespace nst
