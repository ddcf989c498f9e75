// The Gatys objective at one scale: targets computed once, without
// gradients, and the loss (with its gradient) of a candidate image.
#pragma once

#include "core/model.h"

#include <cstdint>
#include <vector>

namespace nst {

struct LossValues {
  double content = 0, style = 0, tv = 0, total = 0;
};

class Objective {
public:
  Objective(Model &model, const Options &options, torch::ScalarType dtype);

  // Gram matrices of one style image at the style layers (inference mode).
  // An image of more than `max_pixels` goes through the network in
  // overlapping crops whose products F F^T add up, each crop's features cut
  // to its own part of the image (its halo only gives context).
  std::vector<torch::Tensor> style_grams(const torch::Tensor &style,
                                         std::int64_t max_pixels = INT64_MAX) const;
  int deepest_conv() const;
  // The blended Gram targets (weighted average over the style images).
  void set_style_targets(std::vector<torch::Tensor> grams) { style_targets_ = std::move(grams); }
  // For a tile of a larger image: per style layer, the sum F F^T over the
  // rest of the image and the whole image's number of feature values, so
  // the tile's loss is the whole image's with everything else held fixed
  // (the tile then lowers the global objective, instead of matching the
  // style's statistics on its own). `own` is the part of the tile that
  // counts as the tile's, in its pixel coordinates. Empty: a whole image.
  struct PartContext {
    std::vector<torch::Tensor> rest;
    std::vector<double> values;
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  };
  void set_part_context(PartContext context) { part_ = std::move(context); }
  void clear_part_context() { part_ = PartContext{}; }

  // Per style layer, F F^T over the box [x0, x1) x [y0, y1) of `crop` (its
  // pixel coordinates), and the number of feature values in it (inference).
  std::vector<torch::Tensor> part_products(const torch::Tensor &crop, int x0, int y0, int x1,
                                           int y1, std::vector<double> &values) const;

  // Content features of `content` at the content layers (inference mode).
  void set_content(const torch::Tensor &content);

  // The loss of `image` (1 x 3 x H x W float32, requires_grad); with
  // `backward`, image.grad() receives its gradient.
  LossValues evaluate(const torch::Tensor &image, bool backward, torch::Tensor *total = nullptr);

  Model &model() { return model_; }
  torch::ScalarType dtype() const { return dtype_; }

private:
  torch::Tensor own_part(const torch::Tensor &features, std::size_t style_index) const;
  torch::Tensor layer_style_loss(const torch::Tensor &features, std::size_t index) const;

  Model &model_;
  const Options &options_;
  torch::ScalarType dtype_;
  std::vector<vgg::LayerRef> content_layers_, style_layers_, all_layers_;
  std::vector<torch::Tensor> content_targets_, style_targets_;
  PartContext part_;
};

// Weighted average of per-image Gram matrices.
std::vector<torch::Tensor> blend_grams(const std::vector<std::vector<torch::Tensor>> &grams,
                                       const std::vector<double> &weights);

} // namespace nst
