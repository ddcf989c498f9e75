// The Gatys objective at one scale: targets computed once, without
// gradients, and the loss (with its gradient) of a candidate image.
#pragma once

#include "core/blocks.h"
#include "core/model.h"
#include "core/w2_loss.h"

#include <cstdint>
#include <vector>

namespace nst {

struct LossValues {
  double content = 0, style = 0, tv = 0, total = 0;
};

// One term of the style loss: Gram targets at the style layers (undefined
// where the style's region holds nothing) and the features' means there
// (what the mean-and-covariance loss also reads), its weight, and where it
// applies: a 1 x 1 x H x W float32 region of the scale's size, or undefined
// for everywhere. A region's term compares guided statistics.
struct StyleTerm {
  std::vector<torch::Tensor> targets;
  std::vector<torch::Tensor> means; // empty: only the Gram loss can use this term
  double weight = 1.0;
  torch::Tensor region;
};

// A style image's statistics at the style layers: Gram matrices F F^T /
// values and the features' means (both undefined where its region holds
// nothing).
struct StyleStatistics {
  std::vector<torch::Tensor> grams, means;
};

class Objective {
public:
  // `cancel` (may be null) is checked between blocks: a step, a style's
  // statistics or the content's features in blocks can take minutes.
  Objective(Model &model, const Options &options, torch::ScalarType dtype,
            const CancelToken *cancel = nullptr);

  // Gram matrices of one style image at the style layers (no gradients);
  // with a `region` of the style's size, its guided Gram matrices (undefined
  // at a layer where the region holds nothing). An image whose read would
  // exceed `max_read_pixels` goes through the network in blocks (blocks.h),
  // their products F F^T summed: the same matrices, in less memory.
  std::vector<torch::Tensor> style_grams(const torch::Tensor &style, double max_read_pixels = 1e300,
                                         const torch::Tensor &region = {}) const;
  // The same with the features' means.
  StyleStatistics style_statistics(const torch::Tensor &style, double max_read_pixels = 1e300,
                                   const torch::Tensor &region = {}) const;
  int deepest_conv() const;
  // One term everywhere: the blended Gram targets.
  void set_style_targets(std::vector<torch::Tensor> grams);
  void set_style_terms(std::vector<StyleTerm> terms);

  // Content features of `content` at the content layers (no gradients):
  // for the whole image, or for evaluate_in_blocks's `blocks`, each block's
  // own part kept (`keep`) or recomputed at every evaluation.
  void set_content(const torch::Tensor &content, const std::vector<Block> &blocks = {},
                   bool keep = true);

  // The loss of `image` (1 x 3 x H x W float32, requires_grad); with
  // `backward`, image.grad() receives its gradient.
  LossValues evaluate(const torch::Tensor &image, bool backward, torch::Tensor *total = nullptr);

  // The same loss and its gradient (into `gradient`, the image's size),
  // computed in `blocks` (those of set_content): a first pass sums every
  // style layer's F F^T over the own parts of `statistics_blocks` (any
  // blocks that cover the image; empty: `blocks`); a second pass
  // back-propagates each block against the whole image's Gram matrices and
  // adds its gradient, margins included. Equal to evaluate's to rounding.
  // When both passes take `blocks`, the first pass keeps its last block's
  // graph and the second begins with it: one forward pass fewer, in no
  // more memory than any block of the second pass holds.
  // With `keep_from` (one of keep_candidates), the first pass also keeps
  // the whole image's ReLU outputs from that convolution on, and the second
  // pass reads them instead of computing those layers (Model::features):
  // the same loss and gradient, since a block's features equal the whole
  // image's wherever its own part's depend on them.
  LossValues evaluate_in_blocks(const torch::Tensor &image, const std::vector<Block> &blocks,
                                torch::Tensor &gradient,
                                const std::vector<Block> &statistics_blocks = {},
                                int keep_from = -1);

  Model &model() { return model_; }
  torch::ScalarType dtype() const { return dtype_; }

private:
  // Per style layer, a first pass's sums: F F^T, what divides them (the
  // number of feature values, or C * sum(g^2) for guided features) and the
  // features' sum (guided: weighted by g^2).
  struct StyleSums {
    std::vector<torch::Tensor> products, features;
    std::vector<double> values;
  };
  bool mean_covariance() const { return options_.style_loss == StyleLossKind::mean_covariance; }
  // The loss of one term at one layer from the whole image's sums: its
  // value, and for the second pass G - A (Gram) or the W2 gradients.
  struct LayerLoss {
    double value = 0;
    torch::Tensor difference; // Gram: G - A
    W2Value w2;               // mean and covariance
  };
  LayerLoss layer_loss(std::size_t term, std::size_t layer, const StyleSums &sums) const;
  // A zero whose gradient in the part's features is the layer's loss's.
  torch::Tensor loss_gradient_of_part(const LayerLoss &loss, const torch::Tensor &part,
                                      const torch::Tensor &guidance, double values) const;
  // Adds, for each of `regions` (undefined: everywhere), each style layer's
  // F F^T over `block`'s own part of `image` to `sums` (no gradients).
  // The whole image's ReLU outputs from convolution `first` to the deepest
  // layer, filled by a first pass from its blocks' own parts.
  struct KeptMaps {
    int first = -1;
    std::vector<vgg::LayerRef> layers; // the ReLUs of first .. deepest
    std::vector<torch::Tensor> maps;
  };
  KeptMaps kept_maps(int first) const;
  // Copies `block`'s own part of features[first...] (kept's layers) into kept.
  void keep_own_part(const std::vector<torch::Tensor> &features, std::size_t first,
                     const Block &block, int width, int height, KeptMaps &kept) const;
  // With `kept`, its layers' own part too.
  void add_style_products(const torch::Tensor &image, const Block &block,
                          const std::vector<torch::Tensor> &regions, std::vector<StyleSums> &sums,
                          KeptMaps *kept = nullptr) const;
  // The same from `block`'s features already computed: the style layers'
  // are features[first...].
  void add_products_of(const std::vector<torch::Tensor> &features, std::size_t first,
                       const Block &block, const torch::Tensor &image,
                       const std::vector<torch::Tensor> &regions,
                       std::vector<StyleSums> &sums) const;
  // A block's pixels (requiring gradients) and their features at every
  // layer, with the graph a backward pass needs.
  struct BlockForward {
    torch::Tensor pixels;
    std::vector<torch::Tensor> features;
  };
  // With `extra` layers' features after all_layers_'; with `kept` (filled),
  // the kept layers read from it.
  BlockForward forward_block(const torch::Tensor &image, const Block &block,
                             const std::vector<vgg::LayerRef> &extra = {},
                             const KeptMaps *kept = nullptr) const;
  // The guidance of `region` read in `box`, at the style layers.
  std::vector<torch::Tensor> guidance_in(const torch::Tensor &region, const Box &box) const;
  // Throws Error(cancelled) when the run is to be abandoned.
  void check_cancel() const;
  // Content targets of one block's own part.
  std::vector<torch::Tensor> content_targets_of(const Block &block) const;

  Model &model_;
  const Options &options_;
  torch::ScalarType dtype_;
  const CancelToken *cancel_;
  std::vector<vgg::LayerRef> content_layers_, style_layers_, all_layers_;
  std::vector<torch::Tensor> content_targets_;
  std::vector<StyleTerm> style_terms_;
  // Per term and style layer, the mean-and-covariance targets (that loss only).
  std::vector<std::vector<GaussianTarget>> gaussians_;
  // For evaluate: each term's guidance for the whole image at the style
  // layers and C * sum(g^2) there, made on first use (the same every step).
  std::vector<std::vector<torch::Tensor>> whole_guidance_;
  std::vector<std::vector<double>> whole_guidance_values_;
  // For evaluate_in_blocks: per block, the content targets of its own part
  // (empty when recomputed from content_), and per content layer the whole
  // image's number of feature values.
  std::vector<std::vector<torch::Tensor>> block_content_targets_;
  std::vector<double> content_values_;
  torch::Tensor content_;
};

// A style as one scale's objective takes it.
struct ScaledStyle {
  torch::Tensor image;              // at its size for the scale
  torch::Tensor style_region;       // of the image's size; undefined: the whole image
  torch::Tensor region;             // of the scale's size; undefined: everywhere
  const void *region_key = nullptr; // styles with the same key share a region (null: none)
  double weight = 1.0;              // blend weight
};

// The style loss's terms: one per region, its styles' Gram matrices blended
// by weight, each weighing its styles' share of the weights times the
// number of terms (nst::StyleImage::region).
std::vector<StyleTerm> make_style_terms(const Objective &objective,
                                        const std::vector<ScaledStyle> &styles,
                                        double max_read_pixels = 1e300);

// Weighted average of per-image Gram matrices; at each layer of the
// matrices defined there.
std::vector<torch::Tensor> blend_grams(const std::vector<std::vector<torch::Tensor>> &grams,
                                       const std::vector<double> &weights);

} // namespace nst
