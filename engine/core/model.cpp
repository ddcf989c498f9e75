#include "core/model.h"

#include "base/error.h"
#include "core/constant_tensor.h"
#include "core/devices.h"
#include "core/validation.h"
#include "core/winograd.h"

namespace nst {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// A 3x3 convolution, stride 1, padding 1. On the CPU always oneDNN's: for
// inputs under 20480 values LibTorch would pick its generic kernel, which
// took 60 times longer here on the tiny images of the tests.
torch::Tensor conv3x3(const torch::Tensor &input, const torch::Tensor &weight,
                      const torch::Tensor &bias) {
  const auto dtype = input.scalar_type();
  if (input.is_cpu() && (dtype == torch::kFloat32 || dtype == torch::kBFloat16))
    return torch::mkldnn_convolution(input, weight, bias, {1, 1}, {1, 1}, {1, 1}, 1);
  return torch::conv2d(input, weight, bias, 1, 1);
}

// A 3x3, stride 1, padding 1 convolution whose backward pass computes only
// the input's gradient, as a forward convolution with the transposed,
// rotated kernel. oneDNN's forward kernels ran 25% faster here than its
// backward-data ones, and the input need not be kept for backward.
// By Winograd with `winograd`'s forward kernel when given, directly otherwise.
torch::Tensor conv3x3(const torch::Tensor &input, const torch::Tensor &weight,
                      const torch::Tensor &bias, const WinogradKernels *winograd) {
  return winograd ? winograd_conv3x3(input, winograd->forward, bias) : conv3x3(input, weight, bias);
}

// The gradient of a 3x3 convolution's input: the convolution of the output's
// gradient with `kernel`, the transposed one (Winograd's when `winograd`).
torch::Tensor input_gradient(const torch::Tensor &output_grad, const torch::Tensor &kernel,
                             bool winograd) {
  const torch::Tensor grad = output_grad.contiguous(torch::MemoryFormat::ChannelsLast);
  return winograd ? winograd_conv3x3(grad, kernel, {}) : conv3x3(grad, kernel, {});
}

class Conv3x3 : public torch::autograd::Function<Conv3x3> {
public:
  // `winograd`: the layer's kernels when it runs by Winograd, else null.
  static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &input,
                               const torch::Tensor &weight, const torch::Tensor &bias,
                               const torch::Tensor &transposed, const WinogradKernels *winograd) {
    // The one kernel backward needs: Winograd's transposed one, or the direct.
    ctx->save_for_backward({winograd ? winograd->transposed : transposed});
    ctx->saved_data["winograd"] = winograd != nullptr;
    return conv3x3(input, weight, bias, winograd);
  }

  static variable_list backward(AutogradContext *ctx, variable_list grad_outputs) {
    const torch::Tensor input_grad = input_gradient(grad_outputs[0], ctx->get_saved_variables()[0],
                                                    ctx->saved_data["winograd"].toBool());
    return {input_grad, torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

// A convolution and its ReLU whose output an earlier pass kept: forward
// returns the kept output and computes nothing; backward is the ReLU's
// (through the kept output's zeros) and Conv3x3's.
class KeptConvRelu : public torch::autograd::Function<KeptConvRelu> {
public:
  static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &input,
                               const torch::Tensor &kept, const torch::Tensor &kernel,
                               bool winograd) {
    TORCH_CHECK(input.size(2) == kept.size(2) && input.size(3) == kept.size(3),
                "kept activations of another size than the pass's");
    ctx->save_for_backward({kept, kernel});
    ctx->saved_data["winograd"] = winograd;
    return kept.view_as(kept);
  }

  static variable_list backward(AutogradContext *ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor input_grad =
        input_gradient(torch::threshold_backward(grad_outputs[0], saved[0], 0), saved[1],
                       ctx->saved_data["winograd"].toBool());
    return {input_grad, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

torch::Tensor transposed_kernel(const torch::Tensor &weight) {
  return weight.transpose(0, 1).flip({2, 3}).contiguous(torch::MemoryFormat::ChannelsLast);
}

} // namespace

std::shared_ptr<Model> Model::create(std::vector<ConvWeights> convs, const ModelOptions &options,
                                     const std::string &source) {
  validate_model_options(options);
  const torch::Device device = resolve_device(options.device, options.device_index);
  const int threads = resolve_threads(options.threads);
  at::set_num_threads(threads);
  return std::make_shared<Model>(std::move(convs), options, device, threads, source);
}

Model::Model(std::vector<ConvWeights> convs, const ModelOptions &options, torch::Device device,
             int threads, std::string source)
    : convs_(std::move(convs)), device_(device), preprocessing_(options.preprocessing),
      pooling_(options.pooling), threads_(threads), source_(std::move(source)) {
  const auto float_options = torch::TensorOptions().dtype(torch::kFloat32).device(device_);
  // Frozen, and channels-last like the activations they meet.
  for (auto &conv : convs_) {
    conv.weight =
        conv.weight.to(device_, torch::kFloat32, false, false, torch::MemoryFormat::ChannelsLast)
            .set_requires_grad(false);
    conv.bias = conv.bias.to(device_, torch::kFloat32).set_requires_grad(false);
  }
  if (preprocessing_ == Preprocessing::torchvision) {
    mean_ = constant_tensor<3>({0.485f, 0.456f, 0.406f}, float_options).view({1, 3, 1, 1});
    inverse_std_ =
        constant_tensor<3>({1 / 0.229f, 1 / 0.224f, 1 / 0.225f}, float_options).view({1, 3, 1, 1});
  } else {
    // Caffe: BGR in 0..255 less the mean pixel; the channel flip happens first.
    mean_ = constant_tensor<3>({103.939f, 116.779f, 123.68f}, float_options).view({1, 3, 1, 1});
    inverse_std_ = torch::full({1, 3, 1, 1}, 255.0f, float_options);
  }
}

torch::Tensor Model::preprocess(const torch::Tensor &rgb, torch::ScalarType dtype) const {
  torch::Tensor x;
  if (preprocessing_ == Preprocessing::torchvision)
    x = (rgb - mean_) * inverse_std_;
  else
    x = rgb.flip({1}) * inverse_std_ - mean_;
  return x.to(dtype, false, false, torch::MemoryFormat::ChannelsLast);
}

bool Model::uses_winograd(int conv, torch::ScalarType dtype) const {
  return winograd_enabled_ && winograd_pays(device_, in_channels(conv), channels(conv), dtype);
}

const std::vector<ConvWeights> &Model::weights_as(torch::ScalarType dtype) {
  auto found = converted_.find(dtype);
  if (found != converted_.end())
    return found->second;
  // Made outside inference mode even when first asked for inside it: the
  // cached copies also serve passes that are differentiated.
  c10::InferenceMode normal_tensors(false);
  std::vector<ConvWeights> converted;
  converted.reserve(convs_.size());
  for (const auto &conv : convs_) {
    converted.push_back({conv.weight.to(dtype, false, false, torch::MemoryFormat::ChannelsLast),
                         conv.bias.to(dtype), transposed_kernel(conv.weight.to(dtype))});
  }
  return converted_.emplace(dtype, std::move(converted)).first->second;
}

const WinogradKernels &Model::winograd_kernels(int conv) {
  auto found = winograd_.find(conv);
  if (found != winograd_.end())
    return found->second;
  c10::InferenceMode normal_tensors(false);
  const ConvWeights &w = convs_[conv]; // from the float32 masters whatever the compute dtype
  return winograd_
      .emplace(conv, WinogradKernels{winograd_kernel(w.weight),
                                     winograd_kernel(transposed_kernel(w.weight))})
      .first->second;
}

std::vector<torch::Tensor> Model::features(const torch::Tensor &input,
                                           const std::vector<vgg::LayerRef> &layers,
                                           const KeptActivations *kept) {
  int deepest = -1;
  for (const auto &layer : layers)
    deepest = std::max(deepest, layer.conv);
  ++forward_passes_;
  const auto &weights = weights_as(input.scalar_type());
  std::vector<torch::Tensor> out(layers.size());
  torch::Tensor h = input;
  for (int conv = 0; conv <= deepest; ++conv) {
    if (vgg::pool_before(conv)) {
      h = pooling_ == Pooling::max ? torch::max_pool2d(h, 2, 2) : torch::avg_pool2d(h, 2, 2);
    }
    const ConvWeights &w = weights[conv];
    const WinogradKernels *winograd =
        uses_winograd(conv, input.scalar_type()) ? &winograd_kernels(conv) : nullptr;
    if (kept && conv >= kept->first_conv) {
      h = KeptConvRelu::apply(h, kept->relu.at(std::size_t(conv - kept->first_conv)),
                              winograd ? winograd->transposed : w.transposed, winograd != nullptr);
      for (std::size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].conv == conv) {
          TORCH_CHECK(layers[i].after_relu, "a kept convolution's output before its ReLU");
          out[i] = h;
        }
      }
      continue;
    }
    ++convolutions_run_;
    h = torch::GradMode::is_enabled() ? Conv3x3::apply(h, w.weight, w.bias, w.transposed, winograd)
                                      : conv3x3(h, w.weight, w.bias, winograd);
    bool wants_conv = false, wants_relu = false;
    for (const auto &layer : layers) {
      if (layer.conv == conv)
        (layer.after_relu ? wants_relu : wants_conv) = true;
    }
    if (wants_conv) {
      for (std::size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].conv == conv && !layers[i].after_relu)
          out[i] = h;
      }
    }
    if (conv == deepest && !wants_relu)
      break;
    // In place unless the pre-activation is kept: the convolution's backward
    // pass needs its input, not its output.
    h = wants_conv ? torch::relu(h) : torch::relu_(h);
    if (wants_relu) {
      for (std::size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].conv == conv && layers[i].after_relu)
          out[i] = h;
      }
    }
  }
  return out;
}

} // namespace nst
