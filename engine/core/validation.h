// Checks a stylise call's images and options before any work starts; throws
// Error(invalid_argument) naming the option and the range it must be in.
#pragma once

#include "core/vgg_layout.h"
#include "nst/engine.h"

#include <vector>

namespace nst {

constexpr int kMaximumSide = 30000;

void validate_image(const ImageView &image, const char *what);
void validate_request(const ImageView &content, const std::vector<StyleImage> &styles,
                      const Options &options);

// The layers of `layers`, parsed (names were checked by validate_request).
std::vector<vgg::LayerRef> parse_layers(const std::vector<LayerWeight> &layers);

} // namespace nst
