// The values a torch pickle builds: Python scalars, strings, tuples, lists and
// dicts, plus the two objects the allow-listed torch functions make, storage
// references and tensors. All values live in a PickleArena, so cycles that a
// hostile pickle builds through its memo cannot leak.
#pragma once

#include "weights/tensor_file.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nst::weights::pickle {

enum class Kind : std::uint8_t {
  none,
  boolean,
  integer,     // fits in int64
  big_integer, // LONG1/LONG4 beyond int64: `text` holds its little-endian bytes
  floating,
  string, // text or Python 2 byte strings (keys are ASCII either way)
  tuple,
  list,
  dict,    // dict and OrderedDict, in insertion order
  global,  // an allow-listed GLOBAL; `text` holds "module.name"
  storage, // a persistent id ('storage', ...) turned into a StorageRef
  tensor,  // the result of torch._utils._rebuild_tensor*
};

const char *kind_name(Kind kind);

// A storage as a persistent id names it: the key of its bytes (a file in a
// zip, a record after the pickles in the legacy format) and, for the views
// that 2017 files may hold, which part of the key's storage it covers.
struct StorageRef {
  std::string key;
  DType dtype = DType::float32;
  std::int64_t numel = 0;       // elements of the whole storage `key`
  std::int64_t view_offset = 0; // elements; 0 unless a view
  std::int64_t view_numel = -1; // -1: the whole storage
};

struct TensorRef {
  const StorageRef *storage = nullptr;
  std::int64_t storage_offset = 0;
  std::vector<std::int64_t> shape;
  std::vector<std::int64_t> strides;
};

struct Value {
  Kind kind = Kind::none;
  std::int64_t integer = 0; // boolean, integer
  double floating = 0;
  std::string text;                                 // string, big_integer, global
  std::vector<Value *> items;                       // tuple, list
  std::vector<std::pair<Value *, Value *>> entries; // dict
  const StorageRef *storage = nullptr;              // owned by the PickleMachine
  std::unique_ptr<TensorRef> tensor;
};

// Owns every Value; their addresses stay stable. The count is bounded so that
// a small hostile file cannot make a huge number of objects.
class PickleArena {
public:
  explicit PickleArena(std::size_t max_values) : max_values_(max_values) {}
  Value *make(Kind kind);
  std::size_t size() const { return values_.size(); }

private:
  std::deque<Value> values_;
  std::size_t max_values_;
};

} // namespace nst::weights::pickle
