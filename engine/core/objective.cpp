#include "core/objective.h"

#include "base/error.h"
#include "core/losses.h"
#include "core/validation.h"

#include <algorithm>
#include <cmath>

namespace nst {

Objective::Objective(Model &model, const Options &options, torch::ScalarType dtype,
                     const CancelToken *cancel)
    : model_(model), options_(options), dtype_(dtype), cancel_(cancel),
      content_layers_(parse_layers(options.content_layers)),
      style_layers_(parse_layers(options.style_layers)) {
  all_layers_ = content_layers_;
  all_layers_.insert(all_layers_.end(), style_layers_.begin(), style_layers_.end());
}

int Objective::deepest_conv() const {
  int deepest = 0;
  for (const auto &layer : all_layers_)
    deepest = std::max(deepest, layer.conv);
  return deepest;
}

namespace {

using torch::indexing::Slice;

torch::Tensor read_box(const torch::Tensor &image, const Box &box) {
  return image.index({Slice(), Slice(), Slice(box.y0, box.y1), Slice(box.x0, box.x1)});
}

// The features of `block`'s own part in the features of its read box at a
// layer after convolution `conv`, of an image of width x height.
torch::Tensor own_features(const torch::Tensor &features, int conv, const Block &block, int width,
                           int height) {
  const int factor = pooling_factor(conv);
  const Span rows =
      feature_span(block.own.y0, block.own.y1, block.read.y0, height, factor, features.size(2));
  const Span columns =
      feature_span(block.own.x0, block.own.x1, block.read.x0, width, factor, features.size(3));
  return features.index(
      {Slice(), Slice(), Slice(rows.first, rows.last), Slice(columns.first, columns.last)});
}

} // namespace

void Objective::check_cancel() const {
  if (cancel_ && cancel_->cancel_requested())
    throw Error(ErrorCode::cancelled, kCancelledMessage);
}

void Objective::add_style_products(const torch::Tensor &image, const Block &block,
                                   std::vector<torch::Tensor> &sums,
                                   std::vector<double> &values) const {
  check_cancel();
  torch::NoGradGuard no_grad;
  const int height = int(image.size(2)), width = int(image.size(3));
  const auto features =
      model_.features(model_.preprocess(read_box(image, block.read), dtype_), style_layers_);
  sums.resize(features.size());
  values.resize(features.size(), 0.0);
  for (std::size_t l = 0; l < features.size(); ++l) {
    const torch::Tensor part =
        own_features(features[l], style_layers_[l].conv, block, width, height)
            .contiguous(torch::MemoryFormat::ChannelsLast);
    const double n = double(part.numel());
    if (n == 0)
      continue;
    const torch::Tensor product = gram_matrix(part) * n; // F F^T
    sums[l] = sums[l].defined() ? sums[l] + product : product;
    values[l] += n;
  }
}

std::vector<torch::Tensor> Objective::style_grams(const torch::Tensor &style,
                                                  double max_read_pixels) const {
  const int height = int(style.size(2)), width = int(style.size(3));
  int deepest = 0;
  for (const auto &layer : style_layers_)
    deepest = std::max(deepest, layer.conv);
  std::vector<torch::Tensor> grams;
  torch::NoGradGuard no_grad;
  if (double(width) * height > max_read_pixels) {
    const int side = std::max(largest_own_side(max_read_pixels, deepest), 1);
    std::vector<torch::Tensor> sums;
    std::vector<double> values;
    for (const Block &block : plan_blocks(width, height, side, deepest))
      add_style_products(style, block, sums, values);
    for (std::size_t l = 0; l < sums.size(); ++l)
      grams.push_back(sums[l] / values[l]);
  } else {
    const auto features = model_.features(model_.preprocess(style, dtype_), style_layers_);
    for (const auto &f : features)
      grams.push_back(gram_matrix(f));
  }
  return grams;
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
    for (auto &f : features)
      content_targets_.push_back(f.to(loss_dtype(f)));
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
    targets.push_back(own_features(features[i], content_layers_[i].conv, block, width, height)
                          .to(loss_dtype(features[i]))
                          .contiguous());
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
  for (std::size_t i = 0; i < style_layers_.size(); ++i) {
    const double w = options_.style_layers[i].weight;
    if (w != 0)
      style = style + w * style_loss(features[first_style + i], style_targets_[i]);
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

LossValues Objective::evaluate_in_blocks(const torch::Tensor &image,
                                         const std::vector<Block> &blocks,
                                         torch::Tensor &gradient) {
  const torch::Tensor source = image.detach();
  const int height = int(source.size(2)), width = int(source.size(3));
  // First pass: the whole image's F F^T at every style layer.
  std::vector<torch::Tensor> sums;
  std::vector<double> values;
  for (const Block &block : blocks)
    add_style_products(source, block, sums, values);
  LossValues result;
  std::vector<torch::Tensor> differences(style_layers_.size()); // G - A
  {
    torch::NoGradGuard no_grad;
    for (std::size_t l = 0; l < style_layers_.size(); ++l) {
      differences[l] = sums[l] / values[l] - style_targets_[l];
      const double w = options_.style_layers[l].weight;
      if (w != 0)
        result.style += w * differences[l].square().mean().item<double>();
    }
  }
  // Second pass: each block's part of the loss against the whole image's
  // statistics, back-propagated to the block's pixels, margins included
  // (their pixels also shape this block's features).
  gradient = torch::zeros_like(source);
  const std::size_t first_style = content_layers_.size();
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const Block &block = blocks[b];
    check_cancel();
    const torch::Tensor pixels = read_box(source, block.read).clone().requires_grad_(true);
    const auto features = model_.features(model_.preprocess(pixels, dtype_), all_layers_);
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
    for (std::size_t l = 0; l < style_layers_.size(); ++l) {
      const double w = options_.style_layers[l].weight;
      if (w == 0)
        continue;
      const torch::Tensor own =
          own_features(features[first_style + l], style_layers_[l].conv, block, width, height)
              .contiguous(torch::MemoryFormat::ChannelsLast);
      style = style + w * style_loss_gradient_of_part(own, differences[l], values[l]);
    }
    const torch::Tensor loss = options_.content_weight * content + options_.style_weight * style;
    result.content += content.item<double>();
    if (!loss.requires_grad())
      continue; // every layer weighs 0: nothing of this block's to add
    loss.backward();
    torch::NoGradGuard no_grad;
    read_box(gradient, block.read).add_(pixels.grad());
  }
  const torch::Tensor leaf = source.detach().requires_grad_(true);
  const torch::Tensor tv = total_variation(leaf);
  (options_.tv_weight * tv).backward();
  gradient.add_(leaf.grad());
  result.tv = tv.item<double>();
  result.total = options_.content_weight * result.content + options_.style_weight * result.style +
                 options_.tv_weight * result.tv;
  return result;
}

std::vector<torch::Tensor> blend_grams(const std::vector<std::vector<torch::Tensor>> &grams,
                                       const std::vector<double> &weights) {
  double sum = 0;
  for (double w : weights)
    sum += w;
  std::vector<torch::Tensor> blended;
  for (std::size_t layer = 0; layer < grams.front().size(); ++layer) {
    torch::Tensor g = torch::zeros_like(grams.front()[layer]);
    for (std::size_t i = 0; i < grams.size(); ++i)
      g += grams[i][layer] * (weights[i] / sum);
    blended.push_back(g);
  }
  return blended;
}

} // namespace nst
