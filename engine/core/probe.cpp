#include "core/probe.h"

#include "core/api_guard.h"
#include "core/constant_tensor.h"
#include "core/devices.h"
#include "core/image_ops.h"
#include "core/losses.h"
#include "core/model.h"
#include "core/objective.h"
#include "core/validation.h"

namespace nst::probe {

std::vector<ConvArrays> random_vgg19(const std::array<int, 5> &widths, std::uint64_t seed) {
  torch::manual_seed(seed);
  std::vector<ConvArrays> convs;
  int in = 3;
  for (const auto &info : vgg::kConvs) {
    const int out = widths[info.block - 1];
    const torch::Tensor w = torch::randn({out, in, 3, 3}) * std::sqrt(2.0 / (in * 9));
    const torch::Tensor b = torch::randn({out}) * 0.01;
    ConvArrays conv;
    conv.out_channels = out;
    conv.in_channels = in;
    conv.weight.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
    conv.bias.assign(b.data_ptr<float>(), b.data_ptr<float>() + b.numel());
    convs.push_back(std::move(conv));
    in = out;
  }
  return convs;
}

Status make_model(const std::vector<ConvArrays> &convs, const ModelOptions &options,
                  std::shared_ptr<Model> &model) {
  return guard_api("probe::make_model", [&] {
    std::vector<ConvWeights> weights;
    for (const auto &conv : convs) {
      weights.push_back({tensor_from(conv.weight, {conv.out_channels, conv.in_channels, 3, 3}),
                         tensor_from(conv.bias, {conv.out_channels}),
                         {}});
    }
    model = Model::create(std::move(weights), options, "(in memory)");
  });
}

std::vector<float> gram(const std::vector<float> &chw, int c, int h, int w, bool channels_last) {
  torch::Tensor f = tensor_from(chw, {1, c, h, w});
  if (channels_last)
    f = f.contiguous(torch::MemoryFormat::ChannelsLast);
  const torch::Tensor g = gram_matrix(f).contiguous();
  return {g.data_ptr<float>(), g.data_ptr<float>() + g.numel()};
}

double total_variation(const std::vector<float> &chw, int h, int w) {
  return nst::total_variation(tensor_from(chw, {1, 3, h, w})).item<double>();
}

Status evaluate(Model &model, const ImageView &content, const std::vector<StyleImage> &styles,
                const Options &options, const std::vector<double> &image, Evaluation &result,
                bool double_precision) {
  return guard_api("probe::evaluate", [&] {
    validate_request(content, styles, options);
    const torch::ScalarType dtype =
        double_precision ? torch::kFloat64 : compute_dtype(options.precision, model.device());
    const torch::ScalarType image_dtype = double_precision ? torch::kFloat64 : torch::kFloat32;
    Objective objective(model, options, dtype);
    std::vector<ScaledStyle> scaled;
    for (const auto &style : styles) {
      ScaledStyle s;
      s.image = rgb_tensor(style.image, model.device()).to(image_dtype);
      if (style.style_region.pixels)
        s.style_region = mask_tensor(style.style_region, model.device()).to(image_dtype);
      if (style.region.pixels)
        s.region = mask_tensor(style.region, model.device()).to(image_dtype);
      s.region_key = style.region.pixels;
      s.weight = style.weight;
      scaled.push_back(std::move(s));
    }
    objective.set_style_terms(make_style_terms(objective, scaled));
    objective.set_content(rgb_tensor(content, model.device()).to(image_dtype));
    const torch::Tensor x = torch::from_blob(const_cast<double *>(image.data()),
                                             {1, 3, content.height, content.width}, torch::kFloat64)
                                .to(model.device(), image_dtype, false, true)
                                .requires_grad_(true);
    const LossValues values = objective.evaluate(x, true);
    result.content = values.content;
    result.style = values.style;
    result.tv = values.tv;
    result.total = values.total;
    const torch::Tensor g = x.grad().to(torch::kCPU, torch::kFloat32).contiguous();
    result.gradient.assign(g.data_ptr<float>(), g.data_ptr<float>() + g.numel());
  });
}

} // namespace nst::probe
