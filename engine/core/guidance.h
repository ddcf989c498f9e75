// Guidance channels for guided Gram matrices (Gatys et al. 2017,
// "Controlling Perceptual Factors in Neural Style Transfer"): a region's
// mask (0..1 per pixel) carried to each layer the losses read, through the
// network's own structure, so that a block with its margin gets its own
// part of the whole image's guidance exactly as it gets its features.
#pragma once

#include "core/vgg_layout.h"
#include "nst/engine.h"

#include <vector>

namespace nst {

// The guidance of `region` (1 x 1 x H x W float32) at `layers`, each the
// size of the network's features there. `inside`: every 3x3 convolution
// keeps a neuron's weight only as far as its whole window is inside the
// region (a minimum over the window: erosion by the receptive field), and
// a 2x2 pooling the minimum of its four; otherwise poolings average and
// convolutions leave it as it is. The image's edge erodes nothing.
std::vector<torch::Tensor> guidance_at_layers(const torch::Tensor &region,
                                              const std::vector<vgg::LayerRef> &layers,
                                              MaskErosion erosion);

} // namespace nst
