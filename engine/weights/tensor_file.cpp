// read_tensor_file: maps the file, tells its format from the first bytes and
// hands it to that format's reader.
#include "weights/tensor_file.h"

#include "weights/mapped_file.h"
#include "weights/readers.h"
#include "weights/safetensors_format.h"
#include "weights/weights_error.h"

#include <cstring>

namespace nst::weights {

const char *file_format_name(FileFormat format) {
  switch (format) {
  case FileFormat::torch_legacy: return "PyTorch legacy";
  case FileFormat::torch_zip: return "PyTorch zip";
  case FileFormat::safetensors: return "safetensors";
  }
  return "unknown";
}

const RawTensor *TensorFile::find(const std::string &name) const {
  for (const auto &[key, tensor] : tensors)
    if (key == name)
      return &tensor;
  return nullptr;
}

TensorFile read_tensor_bytes(const std::shared_ptr<const MappedFile> &file) {
  const std::string where = describe_file(file->name());
  const auto *bytes = reinterpret_cast<const unsigned char *>(file->data());
  const std::size_t size = file->size();
  if (size == 0)
    fail(ErrorCode::corrupt_file, where + " is empty");
  if (size >= 4 && bytes[0] == 'P' && bytes[1] == 'K' &&
      ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6)))
    return read_torch_zip(file);
  // safetensors: a header length, then the JSON object's brace. This comes
  // before the pickle test because the length's low byte, the first byte,
  // may be 0x80 or 0x8a; a torch pickle has its magic number where the
  // brace would be.
  if (size >= 9 && bytes[8] == '{') {
    std::uint64_t header = 0;
    for (int i = 7; i >= 0; --i)
      header = (header << 8) | bytes[i];
    const bool pickle_start = bytes[0] == 0x80 || bytes[0] == 0x8a;
    // With a pickle's first byte, only a header that fits the file counts.
    if (header <= kMaxSafetensorsHeader && (!pickle_start || header <= size - 8))
      return read_safetensors(file);
  }
  // A pickle starts with PROTO (protocol 2 and later) or, in the oldest
  // legacy files, with the LONG1 of the magic number.
  if (bytes[0] == 0x80 || bytes[0] == 0x8a)
    return read_torch_legacy(file);
  if (size >= 262 && std::memcmp(bytes + 257, "ustar", 5) == 0)
    fail(ErrorCode::unsupported,
         where + " is a tar archive, the format of the earliest torch.save versions, "
                 "which this reader does not read; save it again with a newer PyTorch");
  fail(ErrorCode::not_a_weights_file,
       where + " is not a weights file: expected a PyTorch .pth file (zip or legacy format) "
               "or a .safetensors file");
}

TensorFile read_tensor_file(const std::string &path) {
  return read_tensor_bytes(MappedFile::open(path));
}

} // namespace nst::weights
