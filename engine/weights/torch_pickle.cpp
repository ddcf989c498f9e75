#include "weights/torch_pickle.h"

#include "weights/tensor_view.h"
#include "weights/weights_error.h"

#include <unordered_set>

namespace nst::weights {

using pickle::Kind;
using pickle::Value;

namespace {

std::string key_text(const Value *key) {
  if (key->kind == Kind::string)
    return key->text;
  if (key->kind == Kind::integer)
    return std::to_string(key->integer);
  return {};
}

} // namespace

std::vector<PickledTensor> tensors_in(const Value *root, std::size_t pickle_size,
                                      const std::string &where) {
  if (root->kind != Kind::dict)
    fail(ErrorCode::unsupported, where + " holds " + pickle::kind_name(root->kind) +
                                     ", not a dictionary of tensors (a state dict)");
  // SETITEM and memo GET make no values, so a short pickle can reuse a long
  // key in thousands of nested dicts and ask for names of terabytes: the
  // bytes of all names made are bounded by the pickle's size instead.
  std::uint64_t name_budget = 0;
  if (multiply_overflows(pickle_size, kNameBytesPerPickleByte, name_budget) ||
      add_overflows(name_budget, kNameBytesFloor, name_budget))
    name_budget = UINT64_MAX;
  std::uint64_t name_bytes = 0;
  std::vector<PickledTensor> found;
  std::unordered_map<std::string, std::size_t> position; // a repeated key replaces its value
  std::unordered_set<const Value *> visited;             // each dict once, even in cycles
  struct Pending {
    const Value *dict;
    std::string prefix;
  };
  std::vector<Pending> pending{{root, ""}};
  visited.insert(root);
  // Depth-first in insertion order: a nested dict is expanded where it stands.
  while (!pending.empty()) {
    Pending current = std::move(pending.back());
    pending.pop_back();
    std::vector<Pending> nested;
    for (const auto &[key, value] : current.dict->entries) {
      if (key->kind != Kind::string && key->kind != Kind::integer)
        continue;
      const bool is_tensor = value->kind == Kind::tensor;
      if (!is_tensor && (value->kind != Kind::dict || visited.count(value) != 0))
        continue; // no name needed
      const std::string text = key_text(key);
      // The name and, for a dict, its prefix with the dot.
      const std::uint64_t length = current.prefix.size() + text.size() + (is_tensor ? 0 : 1);
      if (add_overflows(name_bytes, length, name_bytes) || name_bytes > name_budget)
        fail(ErrorCode::unsupported,
             where + " has a state dict whose nested dicts make tensor names of more than " +
                 std::to_string(name_budget) + " bytes in all, more than a " +
                 std::to_string(pickle_size) +
                 "-byte pickle describes (a long key reused at every level?)");
      std::string name = current.prefix + text;
      if (is_tensor) {
        const auto [at, inserted] = position.emplace(name, found.size());
        if (inserted)
          found.push_back({std::move(name), value->tensor.get()});
        else
          found[at->second].tensor = value->tensor.get();
      } else {
        visited.insert(value);
        nested.push_back({value, std::move(name) + "."});
      }
    }
    for (auto it = nested.rbegin(); it != nested.rend(); ++it)
      pending.push_back(std::move(*it));
  }
  return found;
}

std::vector<std::pair<std::string, RawTensor>>
make_raw_tensors(const std::vector<PickledTensor> &tensors, const StorageBytesByKey &storages,
                 const std::string &where) {
  // Views of a storage share one StorageBytes, like the tensors that use them.
  std::unordered_map<const pickle::StorageRef *, std::shared_ptr<const StorageBytes>> views;
  std::vector<std::pair<std::string, RawTensor>> result;
  result.reserve(tensors.size());
  for (const PickledTensor &pickled : tensors) {
    const pickle::StorageRef &ref = *pickled.tensor->storage;
    const auto root = storages.find(ref.key);
    if (root == storages.end())
      fail(ErrorCode::corrupt_file, where + " has no data for storage " + quoted(ref.key) +
                                        " of tensor " + quoted(pickled.name));
    std::shared_ptr<const StorageBytes> bytes = root->second;
    if (ref.view_numel >= 0) {
      auto &view = views[&ref];
      if (!view) {
        const std::size_t element = dtype_size(ref.dtype);
        auto part = std::make_shared<StorageBytes>();
        part->data = bytes->data + static_cast<std::size_t>(ref.view_offset) * element;
        part->size = static_cast<std::size_t>(ref.view_numel) * element;
        part->owner = bytes->owner;
        view = std::move(part);
      }
      bytes = view;
    }
    RawTensor tensor;
    tensor.dtype = ref.dtype;
    tensor.shape = pickled.tensor->shape;
    tensor.strides = pickled.tensor->strides;
    tensor.storage_offset = pickled.tensor->storage_offset;
    tensor.storage = std::move(bytes);
    check_tensor_view(tensor, pickled.name, where);
    result.emplace_back(pickled.name, std::move(tensor));
  }
  return result;
}

} // namespace nst::weights
