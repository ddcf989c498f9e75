#include "fetch/features_cache.h"

#include "base/error.h"
#include "weights/tensor_file.h"

#include <memory>
#include <utility>
#include <vector>

namespace nst::fetch {
namespace {

using weights::RawTensor;

// A contiguous float32 copy that owns its values.
RawTensor float32_copy(const RawTensor &tensor) {
  auto values = std::make_shared<std::vector<float>>(tensor.to_float32());
  auto storage = std::make_shared<weights::StorageBytes>();
  storage->data = reinterpret_cast<const std::byte *>(values->data());
  storage->size = values->size() * sizeof(float);
  storage->owner = values;
  RawTensor copy;
  copy.dtype = weights::DType::float32;
  copy.shape = tensor.shape;
  copy.strides.assign(tensor.shape.size(), 1);
  for (std::size_t i = tensor.shape.size(); i-- > 1;)
    copy.strides[i - 1] = copy.strides[i] * tensor.shape[i];
  copy.storage = std::move(storage);
  return copy;
}

std::vector<std::string> cache_tensor_names() {
  std::vector<std::string> names;
  for (const int index : kConvFeatureIndices)
    for (const char *part : {"weight", "bias"})
      names.push_back("features." + std::to_string(index) + "." + part);
  return names;
}

} // namespace

void write_features_cache(const std::string &source, const std::string &cache,
                          const std::atomic<bool> *cancel) {
  const std::vector<std::string> names = cache_tensor_names();
  std::vector<std::pair<std::string, RawTensor>> tensors;
  // Reading a 548 MB file from disk takes seconds: a cancel is seen between
  // tensors, before anything is written.
  auto check_cancel = [&] {
    if (cancel && cancel->load())
      throw Error(ErrorCode::cancelled, "cancelled while converting '" + source +
                                            "' into the features cache; the next run converts it");
  };
  {
    const weights::TensorFile file = weights::read_tensor_file(source);
    for (const std::string &name : names) {
      check_cancel();
      const RawTensor *tensor = file.find(name);
      if (!tensor)
        throw Error(ErrorCode::missing_key, "the weights file '" + source + "' has no tensor '" +
                                                name + "' for the features cache");
      tensors.emplace_back(name, float32_copy(*tensor));
    }
  }
  check_cancel();
  weights::write_safetensors(cache, tensors);
  check_features_cache(cache);
}

void check_features_cache(const std::string &cache) {
  const weights::TensorFile file = weights::read_tensor_file(cache);
  for (const std::string &name : cache_tensor_names())
    if (!file.find(name))
      throw Error(ErrorCode::corrupt_file,
                  "the features cache '" + cache + "' has no tensor '" + name + "'");
}

} // namespace nst::fetch
