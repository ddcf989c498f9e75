#include "core/guidance.h"

#include <algorithm>

namespace nst {
namespace {

// A minimum filter as a maximum of the negation: max_pool2d's padding is
// -infinity, so outside the image counts as inside the region.
torch::Tensor minimum_filter(const torch::Tensor &g, int window, int stride, int padding) {
  return -torch::max_pool2d(-g, window, stride, padding);
}

} // namespace

std::vector<torch::Tensor> guidance_at_layers(const torch::Tensor &region,
                                              const std::vector<vgg::LayerRef> &layers,
                                              MaskErosion erosion) {
  int deepest = 0;
  for (const vgg::LayerRef &layer : layers)
    deepest = std::max(deepest, layer.conv);
  const bool inside = erosion == MaskErosion::inside;
  std::vector<torch::Tensor> at_conv;
  torch::Tensor g = region;
  for (int conv = 0; conv <= deepest; ++conv) {
    if (vgg::pool_before(conv))
      g = inside ? minimum_filter(g, 2, 2, 0) : torch::avg_pool2d(g, 2, 2);
    if (inside)
      g = minimum_filter(g, 3, 1, 1);
    at_conv.push_back(g);
  }
  std::vector<torch::Tensor> guidance;
  for (const vgg::LayerRef &layer : layers)
    guidance.push_back(at_conv[std::size_t(layer.conv)]);
  return guidance;
}

} // namespace nst
