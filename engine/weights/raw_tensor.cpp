// RawTensor: element counts, view checks and conversion of strided views of
// any dtype to contiguous float32 / float64.
#include "weights/float_bits.h"
#include "weights/tensor_file.h"
#include "weights/tensor_view.h"
#include "weights/weights_error.h"

#include <cfloat>
#include <cmath>
#include <cstring>

namespace nst::weights {

std::size_t dtype_size(DType dtype) {
  switch (dtype) {
  case DType::float64:
  case DType::int64: return 8;
  case DType::float32:
  case DType::int32: return 4;
  case DType::float16:
  case DType::bfloat16:
  case DType::int16: return 2;
  case DType::int8:
  case DType::uint8:
  case DType::boolean: return 1;
  }
  return 1;
}

const char *dtype_name(DType dtype) {
  switch (dtype) {
  case DType::float32: return "float32";
  case DType::float64: return "float64";
  case DType::float16: return "float16";
  case DType::bfloat16: return "bfloat16";
  case DType::int64: return "int64";
  case DType::int32: return "int32";
  case DType::int16: return "int16";
  case DType::int8: return "int8";
  case DType::uint8: return "uint8";
  case DType::boolean: return "bool";
  }
  return "unknown";
}

std::int64_t RawTensor::numel() const {
  std::int64_t count = 1;
  for (const std::int64_t extent : shape)
    if (__builtin_mul_overflow(count, extent, &count))
      fail(ErrorCode::invalid_argument, "a tensor has more elements than fit in int64");
  return count;
}

namespace {

// Row-major strides of `shape` into `strides`; false when a size is negative
// or a stride, the element count or the size in `element`-byte elements does
// not fit in int64. An empty dimension does not excuse the others: the
// strides of [0, 2^32, 2^32] overflow although it holds no element.
bool row_major_strides(const std::vector<std::int64_t> &shape, std::size_t element,
                       std::vector<std::int64_t> &strides) {
  strides.assign(shape.size(), 1);
  std::uint64_t extent = 1; // elements spanned by the dimensions after i
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i] = static_cast<std::int64_t>(extent);
    if (shape[i] < 0 || multiply_overflows(extent, static_cast<std::uint64_t>(shape[i]), extent) ||
        extent > static_cast<std::uint64_t>(INT64_MAX))
      return false;
  }
  return !multiply_overflows(extent, element, extent) &&
         extent <= static_cast<std::uint64_t>(INT64_MAX);
}

std::string shape_string(const std::vector<std::int64_t> &shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

} // namespace

void check_shape(const std::vector<std::int64_t> &shape, DType dtype, const std::string &subject) {
  for (const std::int64_t extent : shape)
    if (extent < 0)
      fail(ErrorCode::corrupt_file,
           subject + " has shape " + shape_string(shape) + ", with a negative size");
  std::vector<std::int64_t> strides;
  if (!row_major_strides(shape, dtype_size(dtype), strides))
    fail(ErrorCode::corrupt_file, subject + " has shape " + shape_string(shape) +
                                      ", whose row-major strides or size in bytes overflow "
                                      "int64 (expected each product of its trailing sizes, and "
                                      "its size in bytes, to stay below 2^63)");
}

std::vector<std::int64_t> contiguous_strides(const std::vector<std::int64_t> &shape) {
  std::vector<std::int64_t> strides;
  if (!row_major_strides(shape, 1, strides))
    fail(ErrorCode::invalid_argument,
         "the shape " + shape_string(shape) + " has no row-major strides that fit in int64");
  return strides;
}

bool is_contiguous(const RawTensor &tensor) {
  std::vector<std::int64_t> strides;
  return row_major_strides(tensor.shape, 1, strides) && tensor.strides == strides;
}

void check_tensor_view(const RawTensor &tensor, const std::string &name, const std::string &where) {
  const std::string subject = "tensor " + quoted(name) + " in " + where;
  if (tensor.strides.size() != tensor.shape.size())
    fail(ErrorCode::corrupt_file, subject + " has " + std::to_string(tensor.shape.size()) +
                                      " sizes but " + std::to_string(tensor.strides.size()) +
                                      " strides");
  if (tensor.storage_offset < 0)
    fail(ErrorCode::corrupt_file, subject + " has a negative storage offset");
  std::uint64_t count = 1;
  std::uint64_t last = static_cast<std::uint64_t>(tensor.storage_offset);
  bool overflow = false;
  for (std::size_t i = 0; i < tensor.shape.size(); ++i) {
    if (tensor.shape[i] < 0 || tensor.strides[i] < 0)
      fail(ErrorCode::corrupt_file, subject + " has a negative size or stride");
    overflow |= multiply_overflows(count, static_cast<std::uint64_t>(tensor.shape[i]), count);
  }
  const std::size_t element = dtype_size(tensor.dtype);
  const std::uint64_t stored = tensor.storage ? tensor.storage->size / element : 0;
  if (overflow || count > static_cast<std::uint64_t>(INT64_MAX))
    fail(ErrorCode::corrupt_file, subject + " has more elements than can be counted");
  // Conversions and the writer lay it out row-major, even when empty.
  check_shape(tensor.shape, tensor.dtype, subject);
  if (count == 0)
    return; // an empty tensor reads nothing
  for (std::size_t i = 0; i < tensor.shape.size(); ++i) {
    std::uint64_t reach = 0;
    overflow |= multiply_overflows(static_cast<std::uint64_t>(tensor.shape[i] - 1),
                                   static_cast<std::uint64_t>(tensor.strides[i]), reach);
    overflow |= add_overflows(last, reach, last);
  }
  if (overflow || last >= stored)
    fail(ErrorCode::corrupt_file,
         subject + " reads " +
             (overflow ? std::string("beyond any") : "element " + std::to_string(last)) +
             " of its storage, which holds only " + std::to_string(stored) + " " +
             dtype_name(tensor.dtype) + " elements");
  if (count > stored)
    fail(ErrorCode::unsupported, subject + " repeats elements (a stride-0 view of " +
                                     std::to_string(count) + " elements over a storage of " +
                                     std::to_string(stored) +
                                     "); weights files hold plain tensors");
}

namespace {

template <typename T> T load(const std::byte *at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

// Calls `emit(element_pointer)` for each element of the (checked) view in
// row-major order.
template <typename Emit> void for_each_element(const RawTensor &tensor, Emit emit) {
  const std::int64_t count = tensor.numel();
  if (count == 0)
    return;
  const std::size_t element = dtype_size(tensor.dtype);
  const std::byte *base = tensor.storage->data + tensor.storage_offset * element;
  if (is_contiguous(tensor)) {
    for (std::int64_t i = 0; i < count; ++i)
      emit(base + i * element);
    return;
  }
  // Odometer over every dimension but the last, which is the inner loop.
  const std::size_t rank = tensor.shape.size();
  const std::int64_t inner = tensor.shape[rank - 1];
  const std::int64_t inner_stride = tensor.strides[rank - 1];
  std::vector<std::int64_t> index(rank, 0);
  std::int64_t offset = 0; // elements from base to the current row
  for (std::int64_t done = 0; done < count; done += inner) {
    for (std::int64_t j = 0; j < inner; ++j)
      emit(base + (offset + j * inner_stride) * element);
    for (std::size_t d = rank - 1; d-- > 0;) {
      offset += tensor.strides[d];
      if (++index[d] < tensor.shape[d])
        break;
      offset -= tensor.strides[d] * tensor.shape[d];
      index[d] = 0;
    }
  }
}

// A double narrowed to float; magnitudes beyond float's range become inf
// (the plain conversion of such values is undefined behaviour in C++).
float narrow(double value) {
  if (std::isfinite(value) && std::fabs(value) > FLT_MAX)
    return value > 0 ? INFINITY : -INFINITY;
  return static_cast<float>(value);
}

template <typename Out> Out *convert(const RawTensor &tensor, Out *out) {
  switch (tensor.dtype) {
  case DType::float32:
    for_each_element(tensor,
                     [&](const std::byte *p) { *out++ = static_cast<Out>(load<float>(p)); });
    break;
  case DType::float64:
    for_each_element(tensor, [&](const std::byte *p) {
      const double value = load<double>(p);
      if constexpr (std::is_same_v<Out, float>)
        *out++ = narrow(value);
      else
        *out++ = value;
    });
    break;
  case DType::float16:
    for_each_element(tensor, [&](const std::byte *p) {
      *out++ = static_cast<Out>(float16_to_float(load<std::uint16_t>(p)));
    });
    break;
  case DType::bfloat16:
    for_each_element(tensor, [&](const std::byte *p) {
      *out++ = static_cast<Out>(bfloat16_to_float(load<std::uint16_t>(p)));
    });
    break;
  case DType::int64:
    for_each_element(tensor,
                     [&](const std::byte *p) { *out++ = static_cast<Out>(load<std::int64_t>(p)); });
    break;
  case DType::int32:
    for_each_element(tensor,
                     [&](const std::byte *p) { *out++ = static_cast<Out>(load<std::int32_t>(p)); });
    break;
  case DType::int16:
    for_each_element(tensor,
                     [&](const std::byte *p) { *out++ = static_cast<Out>(load<std::int16_t>(p)); });
    break;
  case DType::int8:
    for_each_element(tensor,
                     [&](const std::byte *p) { *out++ = static_cast<Out>(load<std::int8_t>(p)); });
    break;
  case DType::uint8:
    for_each_element(tensor,
                     [&](const std::byte *p) { *out++ = static_cast<Out>(load<std::uint8_t>(p)); });
    break;
  case DType::boolean:
    for_each_element(tensor,
                     [&](const std::byte *p) { *out++ = load<std::uint8_t>(p) != 0 ? 1 : 0; });
    break;
  }
  return out;
}

template <typename Out> std::vector<Out> converted(const RawTensor &tensor) {
  check_tensor_view(tensor, "(converted)", "memory");
  std::vector<Out> values(static_cast<std::size_t>(tensor.numel()));
  if (tensor.dtype == DType::float32 && std::is_same_v<Out, float> && is_contiguous(tensor)) {
    if (!values.empty()) // one copy for the common case
      std::memcpy(values.data(), tensor.storage->data + tensor.storage_offset * sizeof(float),
                  values.size() * sizeof(float));
    return values;
  }
  convert(tensor, values.data());
  return values;
}

} // namespace

std::vector<float> RawTensor::to_float32() const {
  return converted<float>(*this);
}

std::vector<double> RawTensor::to_float64() const {
  return converted<double>(*this);
}

std::vector<std::byte> contiguous_bytes(const RawTensor &tensor) {
  check_tensor_view(tensor, "(copied)", "memory");
  const std::size_t element = dtype_size(tensor.dtype);
  std::vector<std::byte> bytes(static_cast<std::size_t>(tensor.numel()) * element);
  std::byte *out = bytes.data();
  for_each_element(tensor, [&](const std::byte *p) {
    std::memcpy(out, p, element);
    out += element;
  });
  return bytes;
}

} // namespace nst::weights
