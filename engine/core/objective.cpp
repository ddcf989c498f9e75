#include "core/objective.h"

#include "base/error.h"
#include "core/guidance.h"
#include "core/losses.h"
#include "core/validation.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace nst {

Objective::Objective(Model &model, const Options &options, torch::ScalarType dtype,
                     const CancelToken *cancel)
    : model_(model), options_(options), dtype_(dtype), cancel_(cancel),
      content_layers_(parse_layers(options.content_layers)),
      style_layers_(parse_layers(options.style_layers)), all_layers_(read_layers(options)) {}

int Objective::deepest_conv() const {
  return nst::deepest_conv(options_);
}

namespace {

using torch::indexing::Slice;

// The one place a 4-D map is cut: rows x columns of every channel.
torch::Tensor window_of(const torch::Tensor &map, const Span &rows, const Span &columns) {
  return map.index(
      {Slice(), Slice(), Slice(rows.first, rows.last), Slice(columns.first, columns.last)});
}

torch::Tensor read_box(const torch::Tensor &image, const Box &box) {
  return window_of(image, Span{box.y0, box.y1}, Span{box.x0, box.x1});
}

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// A window of a feature map whose gradient keeps the map's memory format.
// LibTorch's slice backward makes a contiguous (NCHW) map of zeros, and
// adding it to the channels-last gradient from the deeper layers visited
// every element out of order (perf, 2026-12-06: a sixth of a step in blocks).
class FeatureWindow : public torch::autograd::Function<FeatureWindow> {
public:
  static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &map, Span rows,
                               Span columns) {
    ctx->saved_data["sizes"] = map.sizes().vec();
    ctx->saved_data["window"] =
        std::vector<int64_t>{rows.first, rows.last, columns.first, columns.last};
    // suggest: a kept map's window is channels-last but not contiguous.
    ctx->saved_data["channels_last"] =
        map.suggest_memory_format() == torch::MemoryFormat::ChannelsLast;
    return window_of(map, rows, columns);
  }

  static variable_list backward(AutogradContext *ctx, variable_list grad_outputs) {
    const std::vector<int64_t> window = ctx->saved_data["window"].toIntVector();
    const auto format = ctx->saved_data["channels_last"].toBool()
                            ? torch::MemoryFormat::ChannelsLast
                            : torch::MemoryFormat::Contiguous;
    const std::vector<int64_t> sizes = ctx->saved_data["sizes"].toIntVector();
    torch::Tensor grad = torch::empty(sizes, grad_outputs[0].options().memory_format(format));
    const Span rows{window[0], window[1]}, columns{window[2], window[3]};
    window_of(grad, rows, columns).copy_(grad_outputs[0]);
    // Only the margins around the window are zero: filling the whole map
    // first wrote every element twice.
    const Span all_columns{0, sizes[3]};
    window_of(grad, Span{0, rows.first}, all_columns).zero_();
    window_of(grad, Span{rows.last, sizes[2]}, all_columns).zero_();
    window_of(grad, rows, Span{0, columns.first}).zero_();
    window_of(grad, rows, Span{columns.last, sizes[3]}).zero_();
    return {grad, torch::Tensor(), torch::Tensor()};
  }
};

// The features of `block`'s own part in the features of its read box at a
// layer after convolution `conv`, of an image of width x height.
torch::Tensor own_features(const torch::Tensor &features, int conv, const Block &block, int width,
                           int height) {
  const int factor = pooling_factor(conv);
  const Span rows =
      feature_span(block.own.y0, block.own.y1, block.read.y0, height, factor, features.size(2));
  const Span columns =
      feature_span(block.own.x0, block.own.x1, block.read.x0, width, factor, features.size(3));
  return FeatureWindow::apply(features, rows, columns);
}

// What guided features F * g divide their F F^T by: C * sum(g^2).
double guided_values(int channels, const torch::Tensor &g) {
  return double(channels) * g.square().sum().item<double>();
}

// A part's features times its guidance `g` (undefined: as they are), and
// what their F F^T is divided by: guided_values, or the features' count.
std::pair<torch::Tensor, double> guided(const torch::Tensor &features, const torch::Tensor &g) {
  if (!g.defined())
    return {features, double(features.numel())};
  return {features * g.to(features.scalar_type()), guided_values(int(features.size(1)), g)};
}

} // namespace

void Objective::set_style_targets(std::vector<torch::Tensor> grams) {
  StyleTerm everywhere;
  everywhere.targets = std::move(grams);
  set_style_terms({everywhere});
}

void Objective::set_style_terms(std::vector<StyleTerm> terms) {
  style_terms_ = std::move(terms);
  whole_guidance_.clear();
  whole_guidance_values_.clear();
  gaussians_.clear();
  if (!mean_covariance())
    return;
  for (const StyleTerm &term : style_terms_) {
    if (term.means.size() != term.targets.size())
      throw Error(ErrorCode::internal, "the mean-and-covariance loss needs the styles' means");
    std::vector<GaussianTarget> layers(term.targets.size());
    for (std::size_t l = 0; l < term.targets.size(); ++l)
      if (term.targets[l].defined()) // the Gram matrix divides by C: E[f f^T] = C G
        layers[l] =
            gaussian_target(term.targets[l] * double(term.targets[l].size(0)), term.means[l]);
    gaussians_.push_back(std::move(layers));
  }
}

std::vector<torch::Tensor> Objective::guidance_in(const torch::Tensor &region,
                                                  const Box &box) const {
  return guidance_at_layers(read_box(region, box), style_layers_, options_.mask_erosion);
}

void Objective::check_cancel() const {
  if (cancel_ && cancel_->cancel_requested())
    throw Error(ErrorCode::cancelled, kCancelledMessage);
}

namespace {

// Adds one part's F F^T, weighted feature sum and `values` to layer `l`
// of `sum` (no gradients); in float64 when `exact` (exact_moment_sums: ten
// Adam steps of the mean-and-covariance loss in blocks strayed 4e-4 from
// the whole image's with float32 sums, 1e-6 with float64 ones).
template <typename Sums>
void add_to_sums(Sums &sum, std::size_t l, const torch::Tensor &part, const torch::Tensor &g,
                 double values, bool exact) {
  torch::NoGradGuard no_grad;
  torch::Tensor product, features;
  if (exact) {
    MomentSums sums = exact_moment_sums(part, g);
    product = std::move(sums.products);
    features = std::move(sums.features);
  } else { // the Gram loss: no means
    const torch::Tensor cl = part.contiguous(torch::MemoryFormat::ChannelsLast);
    product = gram_matrix(cl) * double(cl.numel()); // F F^T
  }
  sum.products[l] = sum.products[l].defined() ? sum.products[l] + product : product;
  if (features.defined())
    sum.features[l] = sum.features[l].defined() ? sum.features[l] + features : features;
  sum.values[l] += values;
}

template <typename Sums> void size_sums(Sums &sum, std::size_t layers) {
  sum.products.resize(layers);
  sum.features.resize(layers);
  sum.values.resize(layers, 0.0);
}

} // namespace

namespace {

// `read`'s part of a whole-image map after convolution `conv`: the extent a
// pass on that read box gives the layer (reads start on its grid).
torch::Tensor read_window(const torch::Tensor &map, int conv, const Box &read) {
  const int factor = pooling_factor(conv);
  const long y0 = read.y0 / factor, x0 = read.x0 / factor;
  return window_of(map, Span{y0, y0 + read.height() / factor},
                   Span{x0, x0 + read.width() / factor});
}

} // namespace

Objective::KeptMaps Objective::kept_maps(int first) const {
  KeptMaps kept;
  kept.first = first;
  for (int conv = first; conv <= deepest_conv(); ++conv)
    kept.layers.push_back(vgg::LayerRef{conv, true});
  return kept;
}

void Objective::keep_own_part(const std::vector<torch::Tensor> &features, std::size_t first,
                              const Block &block, int width, int height, KeptMaps &kept) const {
  torch::NoGradGuard no_grad;
  kept.maps.resize(kept.layers.size());
  for (std::size_t k = 0; k < kept.layers.size(); ++k) {
    const int conv = kept.layers[k].conv;
    const int factor = pooling_factor(conv);
    const torch::Tensor &block_map = features[first + k];
    torch::Tensor &map = kept.maps[k];
    if (!map.defined())
      map = torch::empty({1, block_map.size(1), height / factor, width / factor},
                         block_map.options().memory_format(torch::MemoryFormat::ChannelsLast));
    const Span rows =
        feature_span(block.own.y0, block.own.y1, block.read.y0, height, factor, block_map.size(2));
    const Span columns =
        feature_span(block.own.x0, block.own.x1, block.read.x0, width, factor, block_map.size(3));
    window_of(read_window(map, conv, block.read), rows, columns)
        .copy_(window_of(block_map, rows, columns));
  }
}

void Objective::add_style_products(const torch::Tensor &image, const Block &block,
                                   const std::vector<torch::Tensor> &regions,
                                   std::vector<StyleSums> &sums, KeptMaps *kept) const {
  check_cancel();
  torch::NoGradGuard no_grad;
  std::vector<vgg::LayerRef> layers = style_layers_;
  if (kept)
    layers.insert(layers.end(), kept->layers.begin(), kept->layers.end());
  const auto features =
      model_.features(model_.preprocess(read_box(image, block.read), dtype_), layers);
  add_products_of(features, 0, block, image, regions, sums);
  if (kept)
    keep_own_part(features, style_layers_.size(), block, int(image.size(3)), int(image.size(2)),
                  *kept);
}

void Objective::add_products_of(const std::vector<torch::Tensor> &features, std::size_t first,
                                const Block &block, const torch::Tensor &image,
                                const std::vector<torch::Tensor> &regions,
                                std::vector<StyleSums> &sums) const {
  torch::NoGradGuard no_grad;
  const int height = int(image.size(2)), width = int(image.size(3));
  sums.resize(regions.size());
  for (std::size_t t = 0; t < regions.size(); ++t) {
    const std::vector<torch::Tensor> guidance =
        regions[t].defined() ? guidance_in(regions[t], block.read) : std::vector<torch::Tensor>();
    StyleSums &sum = sums[t];
    size_sums(sum, style_layers_.size());
    for (std::size_t l = 0; l < style_layers_.size(); ++l) {
      const int conv = style_layers_[l].conv;
      const torch::Tensor own = own_features(features[first + l], conv, block, width, height);
      if (own.numel() == 0)
        continue;
      const torch::Tensor g = guidance.empty()
                                  ? torch::Tensor()
                                  : own_features(guidance[l], conv, block, width, height);
      const auto [part, values] = guided(own, g);
      if (values == 0)
        continue;
      add_to_sums(sum, l, part, g, values, mean_covariance());
    }
  }
}

StyleStatistics Objective::style_statistics(const torch::Tensor &style, double max_read_pixels,
                                            const torch::Tensor &region) const {
  const int height = int(style.size(2)), width = int(style.size(3));
  int deepest = 0;
  for (const auto &layer : style_layers_)
    deepest = std::max(deepest, layer.conv);
  torch::NoGradGuard no_grad;
  std::vector<Block> blocks = {Block{{0, 0, width, height}, {0, 0, width, height}}};
  if (double(width) * height > max_read_pixels) {
    const int side = std::max(largest_own_side(max_read_pixels, deepest), 1);
    blocks = plan_blocks(width, height, side, deepest);
  }
  std::vector<StyleSums> sums;
  for (const Block &block : blocks)
    add_style_products(style, block, {region}, sums);
  StyleStatistics statistics;
  const StyleSums &sum = sums[0];
  for (std::size_t l = 0; l < sum.products.size(); ++l) {
    const bool any = sum.values[l] > 0;
    statistics.grams.push_back(any ? sum.products[l] / sum.values[l] : torch::Tensor());
    // The mean divides by sum(g^2) (the positions), values by C times it.
    statistics.means.push_back(any && sum.features[l].defined()
                                   ? sum.features[l] *
                                         (double(sum.products[l].size(0)) / sum.values[l])
                                   : torch::Tensor());
  }
  return statistics;
}

std::vector<torch::Tensor> Objective::style_grams(const torch::Tensor &style,
                                                  double max_read_pixels,
                                                  const torch::Tensor &region) const {
  return style_statistics(style, max_read_pixels, region).grams;
}

Objective::LayerLoss Objective::layer_loss(std::size_t t, std::size_t l,
                                           const StyleSums &sums) const {
  torch::NoGradGuard no_grad;
  LayerLoss loss;
  if (!mean_covariance()) {
    loss.difference = sums.products[l] / sums.values[l] - style_terms_[t].targets[l];
    loss.value = loss.difference.square().mean().item<double>();
    return loss;
  }
  const double weight = sums.values[l] / double(sums.products[l].size(0)); // sum(g^2)
  loss.w2 = w2_value(sums.products[l] / weight, sums.features[l] / weight, gaussians_[t][l]);
  loss.value = loss.w2.loss;
  return loss;
}

torch::Tensor Objective::loss_gradient_of_part(const LayerLoss &loss, const torch::Tensor &part,
                                               const torch::Tensor &guidance, double values) const {
  if (!mean_covariance())
    return style_loss_gradient_of_part(part.contiguous(torch::MemoryFormat::ChannelsLast),
                                       loss.difference, values);
  return w2_gradient_of_part(part, guidance, loss.w2, values / double(part.size(1)));
}

void Objective::set_content(const torch::Tensor &content, const std::vector<Block> &blocks,
                            bool keep) {
  torch::NoGradGuard no_grad;
  content_targets_.clear();
  block_content_targets_.clear();
  content_values_.assign(content_layers_.size(), 0.0);
  content_ = torch::Tensor();
  if (blocks.empty()) {
    auto features = model_.features(model_.preprocess(content, dtype_), content_layers_);
    // Kept in the compute dtype: the loss promotes them exactly, and in
    // bfloat16 they take half the memory.
    for (auto &f : features)
      content_targets_.push_back(f);
    return;
  }
  content_ = content;
  for (const Block &block : blocks) {
    std::vector<torch::Tensor> targets = content_targets_of(block);
    for (std::size_t i = 0; i < targets.size(); ++i)
      content_values_[i] += double(targets[i].numel());
    if (keep)
      block_content_targets_.push_back(std::move(targets));
  }
  if (keep)
    content_ = torch::Tensor();
}

std::vector<torch::Tensor> Objective::content_targets_of(const Block &block) const {
  check_cancel();
  torch::NoGradGuard no_grad;
  const int height = int(content_.size(2)), width = int(content_.size(3));
  const auto features =
      model_.features(model_.preprocess(read_box(content_, block.read), dtype_), content_layers_);
  std::vector<torch::Tensor> targets;
  for (std::size_t i = 0; i < features.size(); ++i)
    targets.push_back(
        own_features(features[i], content_layers_[i].conv, block, width, height).contiguous());
  return targets;
}

LossValues Objective::evaluate(const torch::Tensor &image, bool backward, torch::Tensor *total) {
  const auto features = model_.features(model_.preprocess(image, dtype_), all_layers_);
  const auto float_options = image.options().requires_grad(false);
  torch::Tensor content = torch::zeros({}, float_options);
  for (std::size_t i = 0; i < content_layers_.size(); ++i) {
    const double w = options_.content_layers[i].weight;
    if (w != 0)
      content = content + w * mean_squared_error(features[i], content_targets_[i]);
  }
  torch::Tensor style = torch::zeros({}, float_options);
  const std::size_t first_style = content_layers_.size();
  if (whole_guidance_.empty()) {
    const Box whole{0, 0, int(image.size(3)), int(image.size(2))};
    for (const StyleTerm &term : style_terms_) {
      whole_guidance_.push_back(term.region.defined() ? guidance_in(term.region, whole)
                                                      : std::vector<torch::Tensor>());
      std::vector<double> values;
      for (std::size_t i = 0; i < whole_guidance_.back().size(); ++i)
        values.push_back(
            guided_values(int(features[first_style + i].size(1)), whole_guidance_.back()[i]));
      whole_guidance_values_.push_back(std::move(values));
    }
  }
  for (std::size_t t = 0; t < style_terms_.size(); ++t) {
    const StyleTerm &term = style_terms_[t];
    for (std::size_t i = 0; i < style_layers_.size(); ++i) {
      const double w = options_.style_layers[i].weight * term.weight;
      if (w == 0 || !term.targets[i].defined())
        continue;
      const torch::Tensor &f = features[first_style + i];
      if (mean_covariance()) { // from the image's statistics, as in blocks
        const torch::Tensor g = term.region.defined() ? whole_guidance_[t][i] : torch::Tensor();
        const double values = g.defined() ? whole_guidance_values_[t][i] : double(f.numel());
        if (values == 0)
          continue;
        const torch::Tensor part = g.defined() ? f * g.to(f.scalar_type()) : f;
        StyleSums sums;
        size_sums(sums, style_layers_.size());
        add_to_sums(sums, i, part.detach(), g, values, true);
        const LayerLoss loss = layer_loss(t, i, sums);
        style = style + w * (loss_gradient_of_part(loss, part, g, values) + loss.value);
        continue;
      }
      if (!term.region.defined()) {
        style = style + w * style_loss(f, term.targets[i]);
        continue;
      }
      const double values = whole_guidance_values_[t][i];
      if (values > 0)
        style = style + w * style_loss(f * whole_guidance_[t][i].to(f.scalar_type()),
                                       term.targets[i], values);
    }
  }
  const torch::Tensor tv = total_variation(image);
  const torch::Tensor loss =
      options_.content_weight * content + options_.style_weight * style + options_.tv_weight * tv;
  if (backward)
    loss.backward();
  if (total)
    *total = loss.detach();
  LossValues values;
  values.content = content.item<double>();
  values.style = style.item<double>();
  values.tv = tv.item<double>();
  values.total = loss.item<double>();
  return values;
}

Objective::BlockForward Objective::forward_block(const torch::Tensor &image, const Block &block,
                                                 const std::vector<vgg::LayerRef> &extra,
                                                 const KeptMaps *kept) const {
  check_cancel();
  BlockForward forward;
  forward.pixels = read_box(image, block.read).clone().requires_grad_(true);
  std::vector<vgg::LayerRef> layers = all_layers_;
  layers.insert(layers.end(), extra.begin(), extra.end());
  KeptActivations activations;
  if (kept) {
    activations.first_conv = kept->first;
    for (std::size_t k = 0; k < kept->layers.size(); ++k)
      activations.relu.push_back(read_window(kept->maps[k], kept->layers[k].conv, block.read));
  }
  forward.features = model_.features(model_.preprocess(forward.pixels, dtype_), layers,
                                     kept ? &activations : nullptr);
  return forward;
}

LossValues Objective::evaluate_in_blocks(const torch::Tensor &image,
                                         const std::vector<Block> &blocks, torch::Tensor &gradient,
                                         const std::vector<Block> &statistics_blocks,
                                         int keep_from) {
  const torch::Tensor source = image.detach();
  const int height = int(source.size(2)), width = int(source.size(3));
  const std::size_t first_style = content_layers_.size();
  // First pass: the whole image's F F^T at every style layer, per term.
  std::vector<torch::Tensor> regions;
  for (const StyleTerm &term : style_terms_)
    regions.push_back(term.region);
  std::vector<StyleSums> sums;
  std::optional<BlockForward> kept; // the last block's, when both passes take `blocks`
  std::optional<KeptMaps> maps;
  if (keep_from >= 0)
    maps = kept_maps(keep_from);
  KeptMaps *keep = maps ? &*maps : nullptr;
  if (statistics_blocks.empty() && !blocks.empty()) {
    for (std::size_t b = 0; b + 1 < blocks.size(); ++b)
      add_style_products(source, blocks[b], regions, sums, keep);
    kept = forward_block(source, blocks.back(), keep ? keep->layers : std::vector<vgg::LayerRef>());
    add_products_of(kept->features, first_style, blocks.back(), source, regions, sums);
    if (keep)
      keep_own_part(kept->features, all_layers_.size(), blocks.back(), width, height, *keep);
  } else {
    for (const Block &block : statistics_blocks)
      add_style_products(source, block, regions, sums, keep);
  }
  LossValues result;
  // Per term and layer, the loss (empty where the term has nothing there).
  std::vector<std::vector<std::optional<LayerLoss>>> losses(style_terms_.size());
  for (std::size_t t = 0; t < style_terms_.size(); ++t) {
    const StyleTerm &term = style_terms_[t];
    losses[t].resize(style_layers_.size());
    for (std::size_t l = 0; l < style_layers_.size(); ++l) {
      const double w = options_.style_layers[l].weight * term.weight;
      if (w == 0 || sums[t].values[l] == 0 || !term.targets[l].defined())
        continue;
      losses[t][l] = layer_loss(t, l, sums[t]);
      result.style += w * losses[t][l]->value;
    }
  }
  // Second pass: each block's part of the loss against the whole image's
  // statistics, back-propagated to the block's pixels, margins included
  // (their pixels also shape this block's features); the kept block first,
  // so that its graph is let go before any other is made.
  gradient = torch::zeros_like(source);
  const std::size_t first_block = kept ? blocks.size() - 1 : 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::size_t b = (first_block + i) % blocks.size();
    const Block &block = blocks[b];
    BlockForward forward = kept ? std::move(*kept) : forward_block(source, block, {}, keep);
    kept.reset();
    const auto &features = forward.features;
    const std::vector<torch::Tensor> targets =
        block_content_targets_.empty() ? content_targets_of(block) : block_content_targets_[b];
    torch::Tensor content = torch::zeros({}, source.options());
    for (std::size_t i = 0; i < content_layers_.size(); ++i) {
      const double w = options_.content_layers[i].weight;
      if (w == 0)
        continue;
      const torch::Tensor own =
          own_features(features[i], content_layers_[i].conv, block, width, height);
      content =
          content + w * (own.to(loss_dtype(own)) - targets[i]).square().sum() / content_values_[i];
    }
    torch::Tensor style = torch::zeros({}, source.options());
    for (std::size_t t = 0; t < style_terms_.size(); ++t) {
      const StyleTerm &term = style_terms_[t];
      const std::vector<torch::Tensor> guidance = term.region.defined()
                                                      ? guidance_in(term.region, block.read)
                                                      : std::vector<torch::Tensor>();
      for (std::size_t l = 0; l < style_layers_.size(); ++l) {
        if (!losses[t][l])
          continue;
        const int conv = style_layers_[l].conv;
        const torch::Tensor own =
            own_features(features[first_style + l], conv, block, width, height);
        const torch::Tensor g = guidance.empty()
                                    ? torch::Tensor()
                                    : own_features(guidance[l], conv, block, width, height);
        const torch::Tensor part = g.defined() ? own * g.to(own.scalar_type()) : own;
        style = style + options_.style_layers[l].weight * term.weight *
                            loss_gradient_of_part(*losses[t][l], part, g, sums[t].values[l]);
      }
    }
    const torch::Tensor loss = options_.content_weight * content + options_.style_weight * style;
    result.content += content.item<double>();
    if (!loss.requires_grad())
      continue; // every layer weighs 0: nothing of this block's to add
    loss.backward();
    torch::NoGradGuard no_grad;
    read_box(gradient, block.read).add_(forward.pixels.grad());
  }
  result.tv = add_total_variation_gradient(source, options_.tv_weight, gradient);
  result.total = options_.content_weight * result.content + options_.style_weight * result.style +
                 options_.tv_weight * result.tv;
  return result;
}

std::vector<torch::Tensor> blend_grams(const std::vector<std::vector<torch::Tensor>> &grams,
                                       const std::vector<double> &weights) {
  std::vector<torch::Tensor> blended;
  for (std::size_t layer = 0; layer < grams.front().size(); ++layer) {
    torch::Tensor g;
    double sum = 0;
    for (std::size_t i = 0; i < grams.size(); ++i) {
      if (!grams[i][layer].defined())
        continue;
      g = g.defined() ? g + grams[i][layer] * weights[i] : grams[i][layer] * weights[i];
      sum += weights[i];
    }
    blended.push_back(g.defined() && sum > 0 ? g / sum : torch::Tensor());
  }
  return blended;
}

std::vector<StyleTerm> make_style_terms(const Objective &objective,
                                        const std::vector<ScaledStyle> &styles,
                                        double max_read_pixels) {
  std::vector<const void *> keys;
  double total_weight = 0;
  for (const ScaledStyle &style : styles) {
    if (std::find(keys.begin(), keys.end(), style.region_key) == keys.end())
      keys.push_back(style.region_key);
    total_weight += style.weight;
  }
  std::vector<StyleTerm> terms;
  for (const void *key : keys) {
    std::vector<std::vector<torch::Tensor>> grams, means;
    std::vector<double> weights;
    StyleTerm term;
    term.weight = 0;
    for (const ScaledStyle &style : styles) {
      if (style.region_key != key)
        continue;
      StyleStatistics statistics =
          objective.style_statistics(style.image, max_read_pixels, style.style_region);
      grams.push_back(std::move(statistics.grams));
      means.push_back(std::move(statistics.means));
      weights.push_back(style.weight);
      term.weight += style.weight / total_weight * double(keys.size());
      if (!term.region.defined())
        term.region = style.region;
    }
    // Several styles' mixture: its second moments and means are their blends.
    term.targets = blend_grams(grams, weights);
    term.means = blend_grams(means, weights);
    terms.push_back(std::move(term));
  }
  return terms;
}

} // namespace nst
