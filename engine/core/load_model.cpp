// load_model: finds the weights file, maps its tensors to VGG19's sixteen
// convolutions, checks their shapes and builds the frozen network.
#include "core/api_guard.h"
#include "core/model.h"
#include "core/model_loading.h"
#include "nst/weights.h"
#include "weights/tensor_file.h"

#include <cmath>
#include <sstream>
#include <string_view>
#include <unordered_map>

namespace nst {
namespace {

std::string shape_string(const std::vector<std::int64_t> &shape) {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < shape.size(); ++i)
    out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

// Data-parallel training saves keys as "module.features.0.weight". The
// prefixes are counted first and cut once: erasing them one by one would be
// quadratic in a hostile key's length.
std::string without_wrapper_prefix(const std::string &key) {
  constexpr std::string_view kPrefix = "module.";
  std::size_t start = 0;
  while (key.compare(start, kPrefix.size(), kPrefix) == 0)
    start += kPrefix.size();
  return key.substr(start);
}

class KeyIndex {
public:
  explicit KeyIndex(const weights::TensorFile &file) {
    for (const auto &entry : file.tensors)
      by_key_.emplace(without_wrapper_prefix(entry.first), &entry.second);
  }

  // torchvision's and timm's "features.N.<part>", or "convX_Y.<part>".
  // `key_out` receives the key found, or the one looked for first when none is.
  const weights::RawTensor *find(int conv, const char *part, std::string &key_out) const {
    const std::string features_key =
        "features." + std::to_string(vgg::kConvs[conv].features_index) + "." + part;
    const std::string named_key = std::string(vgg::kConvs[conv].name) + "." + part;
    for (const auto &key : {features_key, named_key}) {
      auto found = by_key_.find(key);
      if (found != by_key_.end()) {
        key_out = key;
        return found->second;
      }
    }
    key_out = features_key;
    return nullptr;
  }

private:
  std::unordered_map<std::string, const weights::RawTensor *> by_key_;
};

// A NaN or infinity in the network would make every loss NaN: refused here,
// naming the tensor, rather than found as a black result minutes later.
torch::Tensor to_torch(const weights::RawTensor &raw, const std::string &key,
                       const std::string &path) {
  std::vector<float> values = raw.to_float32();
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      throw Error(ErrorCode::corrupt_file, "the weights file " + path + " holds " +
                                               std::to_string(values[i]) + " at element " +
                                               std::to_string(i) + " of '" + key +
                                               "'; expected finite numbers");
  return torch::from_blob(values.data(), raw.shape, torch::kFloat32).clone();
}

} // namespace

std::vector<ConvWeights> conv_weights_from(const weights::TensorFile &file, const std::string &path,
                                           const CancelToken *cancel) {
  const KeyIndex index(file);
  std::vector<ConvWeights> convs;
  std::int64_t in_channels = 3;
  for (int conv = 0; conv < vgg::kConvCount; ++conv) {
    // The file is mapped: each tensor is read from disk as it is converted.
    if (cancel && cancel->cancel_requested())
      throw Error(ErrorCode::cancelled, "cancelled while loading the network from " + path);
    const char *name = vgg::kConvs[conv].name;
    std::string weight_key, bias_key;
    const weights::RawTensor *weight = index.find(conv, "weight", weight_key);
    if (!weight)
      throw Error(ErrorCode::missing_key, "the weights file " + path + " has no tensor '" +
                                              weight_key + "' (the weight of VGG19's " + name +
                                              ")");
    const weights::RawTensor *bias = index.find(conv, "bias", bias_key);
    if (!bias)
      throw Error(ErrorCode::missing_key, "the weights file " + path + " has no tensor '" +
                                              bias_key + "' (the bias of VGG19's " + name + ")");
    const auto &ws = weight->shape;
    if (ws.size() != 4 || ws[1] != in_channels || ws[2] != 3 || ws[3] != 3 || ws[0] < 1)
      throw Error(ErrorCode::shape_mismatch,
                  "the weight of " + std::string(name) + " in " + path + " has shape " +
                      shape_string(ws) + "; expected [out, " + std::to_string(in_channels) +
                      ", 3, 3] (out channels >= 1, in channels = the previous layer's " +
                      std::to_string(in_channels) + ")");
    if (bias->shape != std::vector<std::int64_t>{ws[0]})
      throw Error(ErrorCode::shape_mismatch, "the bias of " + std::string(name) + " in " + path +
                                                 " has shape " + shape_string(bias->shape) +
                                                 "; expected [" + std::to_string(ws[0]) + "]");
    convs.push_back({to_torch(*weight, weight_key, path), to_torch(*bias, bias_key, path), {}});
    in_channels = ws[0];
  }
  return convs;
}

Status load_model(const ModelOptions &options, std::shared_ptr<Model> &model,
                  const CancelToken *cancel) {
  return guard_api("load_model", [&] {
    std::string path = options.weights_path;
    if (path.empty()) {
      WeightsLocation location;
      Status located = locate_weights("", location);
      if (!located.ok())
        throw Error(located.code, located.message);
      if (!location.found)
        throw Error(ErrorCode::file_not_found,
                    "no VGG19 weights file was found (looked at $" +
                        std::string(kWeightsEnvironmentVariable) +
                        ", the cache and PyTorch's hub folder); a download would go to " +
                        location.download_path);
      path = location.path;
    }
    const weights::TensorFile file = weights::read_tensor_file(path);
    std::vector<ConvWeights> convs = conv_weights_from(file, path, cancel);
    model = Model::create(std::move(convs), options, path);
  });
}

} // namespace nst
