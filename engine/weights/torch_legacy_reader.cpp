// PyTorch's legacy stream format (torch.save before 1.6, or with
// _use_new_zipfile_serialization=False), e.g. torchvision's 2017 VGG19:
//   pickle: magic number 0x1950a86a20f9469cfc6c
//   pickle: protocol version 1001
//   pickle: sys_info {'protocol_version', 'little_endian', 'type_sizes'}
//   pickle: the object, whose storages are persistent ids
//   pickle: the list of storage keys, in the order their data follows
//   per key: int64 little-endian element count, then the raw elements
#include "weights/byte_reader.h"
#include "weights/pickle_machine.h"
#include "weights/readers.h"
#include "weights/torch_pickle.h"
#include "weights/weights_error.h"

#include <cstring>
#include <unordered_set>

namespace nst::weights {
namespace {

using pickle::Kind;
using pickle::Value;

constexpr std::int64_t kLegacyProtocol = 1001;
// 0x1950a86a20f9469cfc6c as LONG1 stores it: little-endian.
constexpr unsigned char kMagic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};

bool is_magic_number(const Value *value) {
  return value->kind == Kind::big_integer && value->text.size() == sizeof kMagic &&
         std::memcmp(value->text.data(), kMagic, sizeof kMagic) == 0;
}

const Value *dict_entry(const Value *dict, const char *key) {
  for (const auto &[k, v] : dict->entries)
    if (k->kind == Kind::string && k->text == key)
      return v;
  return nullptr;
}

} // namespace

TensorFile read_torch_legacy(const std::shared_ptr<const MappedFile> &file) {
  const std::string where = describe_file(file->name());
  pickle::PickleMachine machine(where);
  std::size_t offset = 0;
  const auto next_pickle = [&]() {
    std::size_t consumed = 0;
    const Value *value =
        machine.run(file->data() + offset, file->size() - offset, offset, consumed);
    offset += consumed;
    return value;
  };

  if (!is_magic_number(next_pickle()))
    fail(ErrorCode::not_a_weights_file,
         where + " is a Python pickle but not a PyTorch file (it lacks PyTorch's magic number); "
                 "weights files are PyTorch .pth files (zip or legacy) or .safetensors files");
  const Value *protocol = next_pickle();
  if (protocol->kind != Kind::integer || protocol->integer != kLegacyProtocol)
    fail(ErrorCode::unsupported,
         where + " uses a PyTorch legacy protocol other than 1001, which this reader knows");
  const Value *sys_info = next_pickle();
  if (sys_info->kind != Kind::dict)
    fail(ErrorCode::corrupt_file, where + " has no system information dict after its header");
  if (const Value *little = dict_entry(sys_info, "little_endian");
      little != nullptr && little->kind == Kind::boolean && little->integer == 0)
    fail(ErrorCode::unsupported, where + " was written on a big-endian machine");

  const std::size_t root_offset = offset;
  const Value *root = next_pickle();
  const std::vector<PickledTensor> tensors = tensors_in(root, offset - root_offset, where);

  const Value *keys = next_pickle();
  if (keys->kind != Kind::list)
    fail(ErrorCode::corrupt_file, where + " lacks the list of storage keys after its object");

  std::unordered_map<std::string, const pickle::StorageRef *> declared;
  for (const pickle::StorageRef *storage : machine.storages())
    declared.emplace(storage->key, storage);

  // The data records follow in the order of the key list.
  ByteReader in(file->data(), file->size(), 0, where);
  in.seek(offset);
  StorageBytesByKey storages;
  for (const Value *key : keys->items) {
    if (key->kind != Kind::string)
      fail(ErrorCode::corrupt_file, where + " has a storage key that is not a string");
    const auto found = declared.find(key->text);
    if (found == declared.end())
      fail(ErrorCode::corrupt_file,
           where + " has data for storage " + quoted(key->text) + ", which its object never uses");
    const pickle::StorageRef &ref = *found->second;
    const std::size_t record_offset = in.file_offset();
    const std::uint64_t count = in.u64("storage element count");
    if (count != static_cast<std::uint64_t>(ref.numel))
      fail(ErrorCode::corrupt_file,
           where + " is corrupt: storage " + quoted(ref.key) + " at offset " +
               std::to_string(record_offset) + " has " + std::to_string(count) +
               " elements, but its tensors were saved with " + std::to_string(ref.numel));
    std::uint64_t size = 0;
    if (multiply_overflows(count, dtype_size(ref.dtype), size) || size > in.remaining())
      in.fail_short(static_cast<std::size_t>(std::min<std::uint64_t>(size, SIZE_MAX)),
                    "storage data");
    auto bytes = std::make_shared<StorageBytes>();
    bytes->data = in.bytes(static_cast<std::size_t>(size), "storage data");
    bytes->size = static_cast<std::size_t>(size);
    bytes->owner = file;
    if (!storages.emplace(key->text, std::move(bytes)).second)
      fail(ErrorCode::corrupt_file, where + " lists storage " + quoted(key->text) + " twice");
  }

  TensorFile result;
  result.format = FileFormat::torch_legacy;
  result.tensors = make_raw_tensors(tensors, storages, where);
  return result;
}

} // namespace nst::weights
