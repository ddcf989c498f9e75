#include "core/objective.h"

#include "core/losses.h"
#include "core/validation.h"

#include <algorithm>
#include <cmath>

namespace nst {

Objective::Objective(Model &model, const Options &options, torch::ScalarType dtype)
    : model_(model), options_(options), dtype_(dtype),
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

std::vector<torch::Tensor> Objective::style_grams(const torch::Tensor &style,
                                                  std::int64_t max_pixels) const {
  const int64_t height = style.size(2), width = style.size(3);
  std::vector<torch::Tensor> grams;
  if (height * width > max_pixels) {
    // Crop origins and halos on multiples of 16, so every crop's pooled
    // grids line up with the whole image's down to conv5.
    const int64_t side = std::max<int64_t>(64, int64_t(std::sqrt(double(max_pixels))) / 16 * 16);
    const int64_t halo = std::min<int64_t>(48, side / 4 / 16 * 16);
    const int64_t core = side - 2 * halo;
    std::vector<torch::Tensor> sums(style_layers_.size());
    std::vector<double> counts(style_layers_.size(), 0.0);
    torch::InferenceMode inference;
    for (int64_t y0 = 0; y0 < height; y0 += core) {
      for (int64_t x0 = 0; x0 < width; x0 += core) {
        const int64_t y1 = std::min(height, y0 + core), x1 = std::min(width, x0 + core);
        const int64_t py0 = std::max<int64_t>(0, y0 - halo), px0 = std::max<int64_t>(0, x0 - halo);
        const int64_t py1 = std::min(height, y1 + halo), px1 = std::min(width, x1 + halo);
        using torch::indexing::Slice;
        const torch::Tensor crop =
            style.index({Slice(), Slice(), Slice(py0, py1), Slice(px0, px1)});
        const auto features = model_.features(model_.preprocess(crop, dtype_), style_layers_);
        for (std::size_t l = 0; l < features.size(); ++l) {
          const int64_t d = int64_t(1) << (vgg::kConvs[style_layers_[l].conv].block - 1);
          const torch::Tensor &f = features[l];
          const int64_t fy0 = y0 / d - py0 / d, fx0 = x0 / d - px0 / d;
          const int64_t fy1 = std::min(f.size(2), y1 / d - py0 / d);
          const int64_t fx1 = std::min(f.size(3), x1 / d - px0 / d);
          if (fy1 <= fy0 || fx1 <= fx0)
            continue;
          const torch::Tensor part = f.index({Slice(), Slice(), Slice(fy0, fy1), Slice(fx0, fx1)})
                                         .contiguous(torch::MemoryFormat::ChannelsLast);
          const double n = double(part.numel());
          torch::Tensor product = gram_matrix(part) * n; // F F^T
          sums[l] = sums[l].defined() ? sums[l] + product : product;
          counts[l] += n;
        }
      }
    }
    for (std::size_t l = 0; l < sums.size(); ++l)
      grams.push_back(sums[l] / counts[l]);
  } else {
    torch::InferenceMode inference;
    const auto features = model_.features(model_.preprocess(style, dtype_), style_layers_);
    for (const auto &f : features)
      grams.push_back(gram_matrix(f));
  }
  // Inference tensors cannot be saved for backward; ordinary copies can.
  for (auto &g : grams)
    g = g.clone();
  return grams;
}

void Objective::set_content(const torch::Tensor &content) {
  content_targets_.clear();
  {
    torch::InferenceMode inference;
    auto features = model_.features(model_.preprocess(content, dtype_), content_layers_);
    for (auto &f : features)
      content_targets_.push_back(f.to(loss_dtype(f)));
  }
  for (auto &t : content_targets_)
    t = t.clone();
}

namespace {

// The feature rows and columns of pixel box [p0, p1) at a layer `block`
// deep: pooling halves the grid before blocks 2..5.
std::pair<int64_t, int64_t> feature_span(int p0, int p1, int block, int64_t size) {
  const int64_t d = int64_t(1) << (block - 1);
  return {std::min<int64_t>(size, p0 / d), std::min<int64_t>(size, p1 / d)};
}

} // namespace

torch::Tensor Objective::own_part(const torch::Tensor &features, std::size_t style_index) const {
  using torch::indexing::Slice;
  const int block = vgg::kConvs[style_layers_[style_index].conv].block;
  const auto [fy0, fy1] = feature_span(part_.y0, part_.y1, block, features.size(2));
  const auto [fx0, fx1] = feature_span(part_.x0, part_.x1, block, features.size(3));
  return features.index({Slice(), Slice(), Slice(fy0, fy1), Slice(fx0, fx1)});
}

torch::Tensor Objective::layer_style_loss(const torch::Tensor &features, std::size_t index) const {
  if (part_.rest.empty())
    return style_loss(features, style_targets_[index]);
  return style_loss_of_part(own_part(features, index), style_targets_[index], part_.rest[index],
                            part_.values[index]);
}

std::vector<torch::Tensor> Objective::part_products(const torch::Tensor &crop, int x0, int y0,
                                                    int x1, int y1,
                                                    std::vector<double> &values) const {
  std::vector<torch::Tensor> products;
  values.clear();
  {
    torch::InferenceMode inference;
    const auto features = model_.features(model_.preprocess(crop, dtype_), style_layers_);
    for (std::size_t l = 0; l < features.size(); ++l) {
      using torch::indexing::Slice;
      const int block = vgg::kConvs[style_layers_[l].conv].block;
      const auto [fy0, fy1] = feature_span(y0, y1, block, features[l].size(2));
      const auto [fx0, fx1] = feature_span(x0, x1, block, features[l].size(3));
      const torch::Tensor part = features[l]
                                     .index({Slice(), Slice(), Slice(fy0, fy1), Slice(fx0, fx1)})
                                     .contiguous(torch::MemoryFormat::ChannelsLast);
      const double n = double(part.numel());
      products.push_back(n > 0 ? gram_matrix(part) * n
                               : torch::zeros({part.size(1), part.size(1)},
                                              part.options().dtype(loss_dtype(part))));
      values.push_back(n);
    }
  }
  for (auto &p : products)
    p = p.clone();
  return products;
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
      style = style + w * layer_style_loss(features[first_style + i], i);
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
