// The features-only cache: the sixteen convolutions of VGG19 (torchvision's
// "features.N.weight/bias") as float32 safetensors, without the 400 MB of
// classifier weights that style transfer never reads.
#pragma once

#include <array>
#include <atomic>
#include <string>

namespace nst::fetch {

// Indices of VGG19's convolutions in torchvision's `features` Sequential.
constexpr std::array<int, 16> kConvFeatureIndices = {0,  2,  5,  7,  10, 12, 14, 16,
                                                     19, 21, 23, 25, 28, 30, 32, 34};

// Throws nst::Error unless `cache` reads as a tensor file holding the 32
// convolution tensors (corrupt_file naming the missing one, the reader's codes).
void check_features_cache(const std::string &cache);

// Reads `source` (any format read_tensor_file knows) and writes its 32
// convolution tensors to `cache` through a temporary file renamed into place,
// then reads the cache back to check it. Throws nst::Error: missing_key when
// a tensor is absent, cancelled when `cancel` is set (checked between
// tensors; nothing is then written), the reader's and writer's codes
// otherwise.
void write_features_cache(const std::string &source, const std::string &cache,
                          const std::atomic<bool> *cancel = nullptr);

} // namespace nst::fetch
