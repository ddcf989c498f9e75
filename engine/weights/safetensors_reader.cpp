// safetensors: an 8-byte little-endian header length N, N bytes of JSON
//   {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]},
//    ..., "__metadata__": {"key": "value"}}
// then the data, with offsets relative to its start.
#include "weights/byte_reader.h"
#include "weights/json_value.h"
#include "weights/readers.h"
#include "weights/safetensors_format.h"
#include "weights/tensor_view.h"
#include "weights/weights_error.h"

#include <unordered_set>

namespace nst::weights {

const char *safetensors_dtype_name(DType dtype) {
  switch (dtype) {
  case DType::float32: return "F32";
  case DType::float64: return "F64";
  case DType::float16: return "F16";
  case DType::bfloat16: return "BF16";
  case DType::int64: return "I64";
  case DType::int32: return "I32";
  case DType::int16: return "I16";
  case DType::int8: return "I8";
  case DType::uint8: return "U8";
  case DType::boolean: return "BOOL";
  }
  return "?";
}

std::optional<DType> safetensors_dtype(const std::string &name) {
  static const DType kAll[] = {DType::float32, DType::float64, DType::float16, DType::bfloat16,
                               DType::int64,   DType::int32,   DType::int16,   DType::int8,
                               DType::uint8,   DType::boolean};
  for (const DType dtype : kAll)
    if (name == safetensors_dtype_name(dtype))
      return dtype;
  return std::nullopt;
}

namespace {

std::uint64_t expect_count(const JsonValue &value, const std::string &what,
                           const std::string &where) {
  if (value.type != JsonValue::Type::number || !value.is_integer || value.negative ||
      value.magnitude > static_cast<std::uint64_t>(INT64_MAX))
    fail(ErrorCode::corrupt_file, where + ": " + what + " is not a count");
  return value.magnitude;
}

} // namespace

TensorFile read_safetensors(const std::shared_ptr<const MappedFile> &file) {
  const std::string where = describe_file(file->name());
  ByteReader in(file->data(), file->size(), 0, where);
  const std::uint64_t header_size = in.u64("safetensors header length");
  if (header_size > kMaxSafetensorsHeader)
    fail(ErrorCode::corrupt_file, where + " declares a safetensors header of " +
                                      std::to_string(header_size) + " bytes, more than the " +
                                      std::to_string(kMaxSafetensorsHeader) + " allowed");
  if (header_size > in.remaining())
    in.fail_short(static_cast<std::size_t>(header_size), "safetensors header");
  const std::byte *header = in.bytes(static_cast<std::size_t>(header_size), "safetensors header");
  const JsonValue root =
      parse_json(std::string_view(reinterpret_cast<const char *>(header), header_size), 8, where);
  if (root.type != JsonValue::Type::object)
    fail(ErrorCode::corrupt_file, where + " has a safetensors header that is not a JSON object");

  const std::byte *data = file->data() + in.position();
  const std::uint64_t data_size = in.remaining();
  // One StorageBytes per tensor: offsets need not be multiples of the element size.
  TensorFile result;
  result.format = FileFormat::safetensors;
  std::unordered_set<std::string> names;
  for (const auto &[name, entry] : root.object) {
    if (name == "__metadata__") {
      if (entry.type != JsonValue::Type::object)
        fail(ErrorCode::corrupt_file, where + ": __metadata__ is not an object");
      continue;
    }
    const std::string subject = where + ": tensor " + quoted(name);
    if (!names.insert(name).second)
      fail(ErrorCode::corrupt_file, subject + " appears twice in the header");
    if (entry.type != JsonValue::Type::object)
      fail(ErrorCode::corrupt_file,
           subject + " is described by " + json_type_name(entry.type) + ", not an object");
    const JsonValue *dtype = entry.member("dtype");
    const JsonValue *shape = entry.member("shape");
    const JsonValue *offsets = entry.member("data_offsets");
    if (dtype == nullptr || dtype->type != JsonValue::Type::string)
      fail(ErrorCode::corrupt_file, subject + " has no dtype");
    if (shape == nullptr || shape->type != JsonValue::Type::array)
      fail(ErrorCode::corrupt_file, subject + " has no shape");
    if (offsets == nullptr || offsets->type != JsonValue::Type::array || offsets->array.size() != 2)
      fail(ErrorCode::corrupt_file, subject + " has no [begin, end] data_offsets");
    const auto type = safetensors_dtype(dtype->string);
    if (!type)
      fail(ErrorCode::unsupported, subject + " has dtype " + quoted(dtype->string) +
                                       ", which this reader does not convert");

    RawTensor tensor;
    tensor.dtype = *type;
    std::uint64_t count = 1;
    for (const JsonValue &extent : shape->array) {
      const std::uint64_t n = expect_count(extent, "a shape entry", subject);
      if (multiply_overflows(count, n, count) || count > static_cast<std::uint64_t>(INT64_MAX))
        fail(ErrorCode::corrupt_file, subject + " has more elements than can be counted");
      tensor.shape.push_back(static_cast<std::int64_t>(n));
    }
    if (tensor.shape.size() > 64)
      fail(ErrorCode::unsupported, subject + " has more than 64 dimensions");
    check_shape(tensor.shape, tensor.dtype, subject);
    tensor.strides = contiguous_strides(tensor.shape);
    const std::uint64_t begin = expect_count(offsets->array[0], "data_offsets[0]", subject);
    const std::uint64_t end = expect_count(offsets->array[1], "data_offsets[1]", subject);
    std::uint64_t expected = 0;
    if (multiply_overflows(count, dtype_size(*type), expected) || begin > end ||
        end - begin != expected)
      fail(ErrorCode::corrupt_file, subject + " has data_offsets [" + std::to_string(begin) + ", " +
                                        std::to_string(end) + "], which do not hold its " +
                                        std::to_string(count) + " " + dtype_name(*type) +
                                        " elements");
    if (end > data_size)
      fail(ErrorCode::corrupt_file, subject + " needs data up to offset " +
                                        std::to_string(8 + header_size + end) +
                                        ", but the file ends at " + std::to_string(file->size()) +
                                        " (truncated or damaged)");
    auto bytes = std::make_shared<StorageBytes>();
    bytes->data = data + begin;
    bytes->size = static_cast<std::size_t>(end - begin);
    bytes->owner = file;
    tensor.storage = std::move(bytes);
    result.tensors.emplace_back(name, std::move(tensor));
  }
  return result;
}

} // namespace nst::weights
