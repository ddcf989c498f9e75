// RawTensor: dtype conversions and strided views, and the view checks that
// keep conversions inside their storage.
#include "base/error.h"
#include "weights/float_bits.h"
#include "weights/tensor_file.h"
#include "weights/tensor_view.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

namespace nst::weights {
namespace {

template <typename T>
RawTensor make_tensor(DType dtype, const std::vector<T> &values, std::vector<std::int64_t> shape,
                      std::vector<std::int64_t> strides = {}, std::int64_t offset = 0) {
  auto bytes = std::make_shared<std::vector<T>>(values);
  auto storage = std::make_shared<StorageBytes>();
  storage->data = reinterpret_cast<const std::byte *>(bytes->data());
  storage->size = bytes->size() * sizeof(T);
  storage->owner = bytes;
  RawTensor tensor;
  tensor.dtype = dtype;
  tensor.strides = strides.empty() ? contiguous_strides(shape) : strides;
  tensor.shape = std::move(shape);
  tensor.storage_offset = offset;
  tensor.storage = storage;
  return tensor;
}

ErrorCode code_of(const std::function<void()> &action) {
  try {
    action();
  } catch (const Error &error) {
    return error.code();
  }
  return ErrorCode::ok;
}

TEST(DType, SizesAndNames) {
  EXPECT_EQ(dtype_size(DType::float32), 4u);
  EXPECT_EQ(dtype_size(DType::float64), 8u);
  EXPECT_EQ(dtype_size(DType::bfloat16), 2u);
  EXPECT_EQ(dtype_size(DType::boolean), 1u);
  EXPECT_STREQ(dtype_name(DType::float16), "float16");
  EXPECT_STREQ(dtype_name(DType::int64), "int64");
}

// Every one of the 65536 float16 bit patterns against the definition.
TEST(FloatBits, Float16MatchesTheDefinitionForEveryValue) {
  for (std::uint32_t bits = 0; bits < 0x10000; ++bits) {
    const int sign = (bits >> 15) ? -1 : 1;
    const int exponent = (bits >> 10) & 0x1f;
    const int mantissa = bits & 0x3ff;
    const float got = float16_to_float(static_cast<std::uint16_t>(bits));
    if (exponent == 0x1f) {
      if (mantissa == 0)
        EXPECT_EQ(got, sign * std::numeric_limits<float>::infinity());
      else
        EXPECT_TRUE(std::isnan(got)) << bits;
      continue;
    }
    const double expected = exponent == 0 ? sign * std::ldexp(mantissa, -24)
                                          : sign * std::ldexp(1024 + mantissa, exponent - 25);
    ASSERT_EQ(static_cast<double>(got), expected) << "bits " << bits;
    EXPECT_EQ(std::signbit(got), sign < 0) << bits;
  }
}

TEST(FloatBits, BFloat16IsTheTopHalfOfAFloat32) {
  for (const float value : {1.0f, -2.5f, 3.140625f, 1e-30f, -65504.0f}) {
    std::uint32_t bits;
    std::memcpy(&bits, &value, 4);
    EXPECT_EQ(bfloat16_to_float(static_cast<std::uint16_t>(bits >> 16)),
              float_from_bits(bits & 0xffff0000u));
  }
  EXPECT_TRUE(std::isinf(bfloat16_to_float(0x7f80)));
}

TEST(RawTensor, ContiguousFloat32IsCopiedAsIs) {
  const RawTensor t = make_tensor<float>(DType::float32, {1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(t.numel(), 6);
  EXPECT_EQ(t.to_float32(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(t.to_float64(), (std::vector<double>{1, 2, 3, 4, 5, 6}));
}

TEST(RawTensor, TransposedViewIsReadInRowMajorOrder) {
  // A 2x3 matrix read through strides (1, 2) as its 3x2 transpose, at offset 1.
  const RawTensor t = make_tensor<float>(DType::float32, {9, 1, 2, 3, 4, 5, 6}, {3, 2}, {1, 3}, 1);
  EXPECT_EQ(t.to_float32(), (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(RawTensor, ThreeDimensionalStridedViewMatchesNaiveIndexing) {
  std::vector<double> storage(80);
  for (std::size_t i = 0; i < storage.size(); ++i)
    storage[i] = static_cast<double>(i) * 0.5 - 7;
  const std::vector<std::int64_t> shape{2, 3, 4}, strides{1, 20, 3};
  const std::int64_t offset = 5;
  const RawTensor t = make_tensor<double>(DType::float64, storage, shape, strides, offset);
  std::vector<double> expected;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k)
        expected.push_back(storage[offset + i * strides[0] + j * strides[1] + k * strides[2]]);
  EXPECT_EQ(t.to_float64(), expected);
}

TEST(RawTensor, HalfAndBFloat16WidenExactly) {
  const RawTensor half = make_tensor<std::uint16_t>(DType::float16, {0x3c00, 0xc000, 0x0001}, {3});
  EXPECT_EQ(half.to_float32(), (std::vector<float>{1.0f, -2.0f, std::ldexp(1.0f, -24)}));
  const RawTensor bf16 = make_tensor<std::uint16_t>(DType::bfloat16, {0x3f80, 0xc020}, {2});
  EXPECT_EQ(bf16.to_float64(), (std::vector<double>{1.0, -2.5}));
}

TEST(RawTensor, DoublesBeyondFloatRangeBecomeInfinity) {
  const RawTensor t = make_tensor<double>(DType::float64, {1e300, -1e300, 0.1, NAN}, {4});
  const std::vector<float> values = t.to_float32();
  EXPECT_EQ(values[0], std::numeric_limits<float>::infinity());
  EXPECT_EQ(values[1], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(values[2], 0.1f);
  EXPECT_TRUE(std::isnan(values[3]));
}

TEST(RawTensor, IntegersAndBoolsConvert) {
  EXPECT_EQ(make_tensor<std::int64_t>(DType::int64, {-3, 1LL << 40}, {2}).to_float64(),
            (std::vector<double>{-3, 1099511627776.0}));
  EXPECT_EQ(make_tensor<std::int8_t>(DType::int8, {-128, 127}, {2}).to_float32(),
            (std::vector<float>{-128, 127}));
  EXPECT_EQ(make_tensor<std::uint8_t>(DType::uint8, {255, 0}, {2}).to_float32(),
            (std::vector<float>{255, 0}));
  EXPECT_EQ(make_tensor<std::uint8_t>(DType::boolean, {0, 1, 2}, {3}).to_float32(),
            (std::vector<float>{0, 1, 1}));
  EXPECT_EQ(make_tensor<std::int16_t>(DType::int16, {-300}, {1}).to_float32(),
            (std::vector<float>{-300}));
  EXPECT_EQ(make_tensor<std::int32_t>(DType::int32, {-70000}, {1}).to_float32(),
            (std::vector<float>{-70000}));
}

TEST(RawTensor, ScalarAndEmptyTensors) {
  const RawTensor scalar = make_tensor<float>(DType::float32, {3.5f}, {});
  EXPECT_EQ(scalar.numel(), 1);
  EXPECT_EQ(scalar.to_float32(), std::vector<float>{3.5f});
  RawTensor empty;
  empty.shape = {0, 3};
  empty.strides = {3, 1};
  EXPECT_EQ(empty.numel(), 0);
  EXPECT_TRUE(empty.to_float32().empty());
}

TEST(RawTensor, ViewBeyondItsStorageIsRefused) {
  const RawTensor too_long = make_tensor<float>(DType::float32, {1, 2, 3}, {4});
  EXPECT_EQ(code_of([&] { too_long.to_float32(); }), ErrorCode::corrupt_file);
  const RawTensor offset = make_tensor<float>(DType::float32, {1, 2, 3}, {2}, {1}, 2);
  EXPECT_EQ(code_of([&] { check_tensor_view(offset, "w", "test"); }), ErrorCode::corrupt_file);
  const RawTensor stride = make_tensor<float>(DType::float32, {1, 2, 3, 4}, {2, 2}, {3, 1});
  EXPECT_EQ(code_of([&] { stride.to_float64(); }), ErrorCode::corrupt_file);
  const RawTensor negative = make_tensor<float>(DType::float32, {1, 2}, {2}, {-1}, 1);
  EXPECT_EQ(code_of([&] { negative.to_float32(); }), ErrorCode::corrupt_file);
  const RawTensor overflow =
      make_tensor<float>(DType::float32, {1, 2}, {2, 2}, {INT64_MAX / 2, INT64_MAX / 2});
  EXPECT_EQ(code_of([&] { overflow.to_float32(); }), ErrorCode::corrupt_file);
  RawTensor no_storage;
  no_storage.shape = {2};
  no_storage.strides = {1};
  EXPECT_EQ(code_of([&] { no_storage.to_float32(); }), ErrorCode::corrupt_file);
}

TEST(RawTensor, RepeatingViewsAreRefusedBeforeAnyHugeAllocation) {
  // Four bytes of storage viewed as 2^40 elements through stride 0.
  const RawTensor t = make_tensor<float>(DType::float32, {1}, {1LL << 40}, {0});
  EXPECT_EQ(code_of([&] { t.to_float32(); }), ErrorCode::unsupported);
}

TEST(RawTensor, ShapesWhoseStridesOverflowAreRefusedEvenWhenEmpty) {
  // No elements, but the row-major stride of the first dimension is 2^64.
  RawTensor empty;
  empty.shape = {0, 1LL << 32, 1LL << 32};
  empty.strides = {0, 0, 0};
  try {
    check_tensor_view(empty, "w", "weights file 'x.pth'");
    FAIL() << "accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.code(), ErrorCode::corrupt_file);
    EXPECT_NE(std::string(error.what()).find("'x.pth'"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("[0, 4294967296, 4294967296]"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(code_of([&] { empty.to_float32(); }), ErrorCode::corrupt_file);
  EXPECT_EQ(code_of([&] { contiguous_strides(empty.shape); }), ErrorCode::invalid_argument);
  // int64 elements: 2^60 of them fit, their 2^63 bytes do not.
  EXPECT_EQ(code_of([&] { check_shape({1LL << 60}, DType::int64, "t"); }), ErrorCode::corrupt_file);
  EXPECT_EQ(code_of([&] { check_shape({1LL << 60}, DType::uint8, "t"); }), ErrorCode::ok);
  // An empty dimension first leaves strides that fit.
  EXPECT_EQ(contiguous_strides({1LL << 32, 1LL << 30, 0}), (std::vector<std::int64_t>{0, 0, 1}));
  EXPECT_EQ(contiguous_strides({2, 3, 4}), (std::vector<std::int64_t>{12, 4, 1}));
}

TEST(RawTensor, ContiguousBytesFollowTheView) {
  const RawTensor t = make_tensor<std::uint16_t>(DType::float16, {1, 2, 3, 4}, {2, 2}, {1, 2});
  const std::vector<std::byte> bytes = contiguous_bytes(t);
  std::vector<std::uint16_t> values(4);
  std::memcpy(values.data(), bytes.data(), 8);
  EXPECT_EQ(values, (std::vector<std::uint16_t>{1, 3, 2, 4}));
}

} // namespace
} // namespace nst::weights
