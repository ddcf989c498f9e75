// PyTorch's zip format (torch.save since 1.6): under one top folder whose
// name varies (the file's stem when saved, "archive" from a buffer):
//   <prefix>/data.pkl   the object; storages are persistent ids
//                       ('storage', type, key, location, numel)
//   <prefix>/data/<key> each storage's raw little-endian bytes, stored
//   <prefix>/byteorder  "little" (absent in files from before 2.1)
#include "weights/pickle_machine.h"
#include "weights/readers.h"
#include "weights/torch_pickle.h"
#include "weights/weights_error.h"
#include "weights/zip_archive.h"

namespace nst::weights {
namespace {

constexpr char kPickleName[] = "data.pkl";

// The data.pkl at the shallowest level: "<prefix>/data.pkl" or "data.pkl".
const ZipEntry *find_pickle(const ZipArchive &archive, std::string &prefix) {
  const ZipEntry *best = nullptr;
  const std::string suffix = std::string("/") + kPickleName;
  for (const ZipEntry &entry : archive.entries()) {
    const std::string &name = entry.name;
    const bool top = name == kPickleName;
    const bool nested = name.size() > suffix.size() &&
                        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (!top && !nested)
      continue;
    if (best == nullptr || name.size() < best->name.size())
      best = &entry;
  }
  if (best != nullptr)
    prefix = best->name.substr(0, best->name.size() - (sizeof kPickleName - 1));
  return best;
}

} // namespace

TensorFile read_torch_zip(const std::shared_ptr<const MappedFile> &file) {
  const std::string where = describe_file(file->name());
  const ZipArchive archive(*file, where);
  std::string prefix; // with its trailing '/', or empty
  const ZipEntry *pickle_entry = find_pickle(archive, prefix);
  if (pickle_entry == nullptr)
    fail(ErrorCode::not_a_weights_file,
         where + " is a zip archive without a data.pkl, so not a PyTorch file; weights files "
                 "are PyTorch .pth files (zip or legacy) or .safetensors files");

  if (const ZipEntry *order = archive.find(prefix + "byteorder")) {
    const std::byte *bytes = archive.stored_data(*order);
    const std::string byteorder(reinterpret_cast<const char *>(bytes),
                                static_cast<std::size_t>(order->size));
    if (byteorder != "little")
      fail(ErrorCode::unsupported,
           where + " stores its tensors with byte order " + quoted(byteorder) + ", not 'little'");
  }

  // The pickle is small: its CRC catches damage the VM might not.
  archive.check_crc(*pickle_entry);
  pickle::PickleMachine machine(where + " (" + pickle_entry->name + ")");
  std::size_t consumed = 0;
  const pickle::Value *root =
      machine.run(archive.stored_data(*pickle_entry), static_cast<std::size_t>(pickle_entry->size),
                  static_cast<std::size_t>(pickle_entry->data_offset), consumed);
  const std::vector<PickledTensor> tensors = tensors_in(root, consumed, where);

  StorageBytesByKey storages;
  for (const pickle::StorageRef *storage : machine.storages()) {
    const std::string name = prefix + "data/" + storage->key;
    const ZipEntry *entry = archive.find(name);
    if (entry == nullptr)
      fail(ErrorCode::corrupt_file, where + " lacks the zip entry " + quoted(name) +
                                        " holding storage " + quoted(storage->key));
    std::uint64_t needed = 0;
    if (multiply_overflows(static_cast<std::uint64_t>(storage->numel), dtype_size(storage->dtype),
                           needed) ||
        entry->size < needed)
      fail(ErrorCode::corrupt_file,
           where + " has " + std::to_string(entry->size) + " bytes in " + quoted(name) +
               ", too few for the " + std::to_string(storage->numel) + " " +
               dtype_name(storage->dtype) + " elements its tensors were saved with");
    auto bytes = std::make_shared<StorageBytes>();
    bytes->data = archive.stored_data(*entry);
    bytes->size = static_cast<std::size_t>(needed);
    bytes->owner = file;
    storages.emplace(storage->key, std::move(bytes));
  }

  TensorFile result;
  result.format = FileFormat::torch_zip;
  result.tensors = make_raw_tensors(tensors, storages, where);
  return result;
}

} // namespace nst::weights
