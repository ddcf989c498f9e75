// What the legacy and zip readers share once the pickle VM has run: finding
// the tensors in the unpickled state dict and pointing them at their bytes.
#pragma once

#include "weights/pickle_value.h"
#include "weights/tensor_file.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nst::weights {

struct PickledTensor {
  std::string name;
  const pickle::TensorRef *tensor = nullptr;
};

// The tensors of a state dict (a dict or OrderedDict of name -> tensor), in
// insertion order. A dict nested under a key (a checkpoint's "state_dict" or
// "model") contributes its tensors as "key.name". Values that are not
// tensors (an epoch number, a version) are skipped. Throws unsupported when
// the pickle holds no dict, or when the names would total more than
// kNameBytesFloor + kNameBytesPerPickleByte * `pickle_size` bytes (the size
// of the pickle that made `root`), so memory stays proportional to the input.
std::vector<PickledTensor> tensors_in(const pickle::Value *root, std::size_t pickle_size,
                                      const std::string &where);

// Each tensor of a state dict takes tens of pickle bytes (its rebuild call
// and storage id), more than its name; the floor leaves room for deep
// checkpoints with few tensors.
constexpr std::uint64_t kNameBytesFloor = std::uint64_t{16} << 20;
constexpr std::uint64_t kNameBytesPerPickleByte = 16;

// Bytes of each root storage, by key.
using StorageBytesByKey = std::unordered_map<std::string, std::shared_ptr<const StorageBytes>>;

// RawTensors over the storages' bytes, each view checked against its storage.
std::vector<std::pair<std::string, RawTensor>>
make_raw_tensors(const std::vector<PickledTensor> &tensors, const StorageBytesByKey &storages,
                 const std::string &where);

} // namespace nst::weights
