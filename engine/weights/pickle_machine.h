// A pickle virtual machine for PyTorch weights files that executes nothing.
//
// It supports the opcodes of protocols 0-5 that torch.save, Python 2's and
// Python 3's picklers use for a state dict. GLOBAL is accepted only for an
// allow-list (collections.OrderedDict, torch._utils._rebuild_tensor*,
// _rebuild_parameter*, the torch *Storage types) and REDUCE only calls those
// functions, modelled here rather than run. Persistent ids must be the
// ('storage', type, key, location, numel[, view]) tuples of torch files.
// Any other global throws unsupported naming it; malformed input throws
// corrupt_file naming the offset. Memory stays proportional to the input.
#pragma once

#include "weights/pickle_value.h"

#include <cstddef>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace nst::weights::pickle {

class PickleMachine {
public:
  // `where` describes the file for messages ("weights file '/x.pth'").
  explicit PickleMachine(std::string where);

  // Runs the pickle starting at `data` (which lies at `file_offset` in the
  // file) up to its STOP and returns the value it leaves. `consumed` receives
  // the number of bytes read. Each call starts with an empty memo; values of
  // earlier calls stay valid.
  const Value *run(const std::byte *data, std::size_t size, std::size_t file_offset,
                   std::size_t &consumed);

  // The storages that persistent ids named, each key once, in first-use order
  // (views of a storage are listed as the storage they view).
  const std::vector<const StorageRef *> &storages() const { return storages_; }

private:
  class Run;
  void memo_size_check(std::size_t size) const;
  StorageRef *root_storage(const std::string &key, DType dtype, std::int64_t numel, const Run &run);

  PickleArena arena_;
  std::string where_;
  std::deque<StorageRef> storage_refs_;      // every root storage and view
  std::vector<const StorageRef *> storages_; // root storages only
  std::unordered_map<std::string, StorageRef *> roots_;
  std::unordered_map<std::string, StorageRef *> views_;
  Value *none_ = nullptr;
  Value *true_ = nullptr;
  Value *false_ = nullptr;
};

} // namespace nst::weights::pickle
