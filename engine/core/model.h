// The frozen VGG19 feature network (the engine's nst::Model): convolution
// weights on one device, the input preprocessing its weights expect, and a
// forward pass that stops at the deepest layer asked for.
#pragma once

#include "core/vgg_layout.h"
#include "nst/engine.h"

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nst {

struct ConvWeights {
  torch::Tensor weight; // out x in x 3 x 3, float32
  torch::Tensor bias;   // out, float32
  // in x out x 3 x 3, rotated half a turn: the convolution that is this
  // one's gradient with respect to its input (empty for the float32 masters).
  torch::Tensor transposed;
};

// A float32 convolution's weight and transposed kernel as winograd_kernel
// makes them.
struct WinogradKernels {
  torch::Tensor forward, transposed;
};

// The ReLU outputs of convolutions first_conv, first_conv + 1, ... of one
// read box, from an earlier pass (Objective::evaluate_in_blocks): a pass
// handed them returns them for those layers instead of computing them, and
// back-propagates through them, so it skips those convolutions' forward.
struct KeptActivations {
  int first_conv = -1;
  std::vector<torch::Tensor> relu;
};

class Model {
public:
  // Resolves the device and thread count of `options` (throws Error) and
  // moves the weights there.
  static std::shared_ptr<Model> create(std::vector<ConvWeights> convs, const ModelOptions &options,
                                       const std::string &source);

  Model(std::vector<ConvWeights> convs, const ModelOptions &options, torch::Device device,
        int threads, std::string source);

  torch::Device device() const { return device_; }
  int threads() const { return threads_; }
  Pooling pooling() const { return pooling_; }
  const std::string &source() const { return source_; } // the weights file
  int conv_count() const { return static_cast<int>(convs_.size()); }
  int channels(int conv) const { return static_cast<int>(convs_[conv].weight.size(0)); }
  int in_channels(int conv) const { return static_cast<int>(convs_[conv].weight.size(1)); }

  // Whether convolution `conv` runs by Winograd (winograd.h) in `dtype`:
  // on the CPU where it was measured faster, unless switched off.
  bool uses_winograd(int conv, torch::ScalarType dtype) const;
  // For comparisons with the direct convolutions (tests, benchmark).
  void set_winograd_enabled(bool enabled) { winograd_enabled_ = enabled; }

  // The network's input for an RGB image (1 x 3 x H x W, float32, 0..1):
  // normalised as its weights expect, channels-last, in `dtype`.
  torch::Tensor preprocess(const torch::Tensor &rgb, torch::ScalarType dtype) const;

  // The features at `layers`, in their order, in `input`'s dtype; layers
  // deeper than the deepest one asked for are not computed. With `kept`,
  // the convolutions from kept->first_conv on are not computed either: their
  // ReLU outputs are kept's (every layer asked for there must be after its
  // ReLU), and the gradient flows through them by the transposed kernels.
  std::vector<torch::Tensor> features(const torch::Tensor &input,
                                      const std::vector<vgg::LayerRef> &layers,
                                      const KeptActivations *kept = nullptr);
  // How many times features() has run: what a step costs in forward
  // passes, for the tests.
  std::size_t forward_passes() const { return forward_passes_; }
  // How many convolutions those passes computed (kept ones not counted).
  std::size_t convolutions_run() const { return convolutions_run_; }

private:
  // The weights in a compute dtype, channels-last, converted once.
  const std::vector<ConvWeights> &weights_as(torch::ScalarType dtype);
  // Made on first use, for the layers that use them.
  const WinogradKernels &winograd_kernels(int conv);

  std::vector<ConvWeights> convs_; // float32 masters
  std::map<torch::ScalarType, std::vector<ConvWeights>> converted_;
  std::map<int, WinogradKernels> winograd_;
  torch::Device device_;
  Preprocessing preprocessing_;
  Pooling pooling_;
  int threads_;
  bool winograd_enabled_ = true;
  std::size_t forward_passes_ = 0;
  std::size_t convolutions_run_ = 0;
  std::string source_;
  torch::Tensor mean_, inverse_std_; // 1 x 3 x 1 x 1, in the network's units
};

} // namespace nst
