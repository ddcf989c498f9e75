// write_safetensors: round trips through the reader and through Python's
// safetensors library; refuses bad names; leaves nothing behind on failure.
#include "weights_test_support.h"

#include "base/error.h"
#include "weights/tensor_file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace nst::weights::testing {
namespace {

RawTensor float_tensor(std::vector<float> values, std::vector<std::int64_t> shape,
                       std::vector<std::int64_t> strides) {
  auto held = std::make_shared<std::vector<float>>(std::move(values));
  auto storage = std::make_shared<StorageBytes>();
  storage->data = reinterpret_cast<const std::byte *>(held->data());
  storage->size = held->size() * sizeof(float);
  storage->owner = held;
  RawTensor tensor;
  tensor.shape = std::move(shape);
  tensor.strides = std::move(strides);
  tensor.storage = storage;
  return tensor;
}

TEST(SafetensorsWriter, RoundTripsThroughTheReader) {
  const std::string path = temporary_dir() + "/out.safetensors";
  const std::vector<std::pair<std::string, RawTensor>> tensors = {
      {"conv.weight", float_tensor({1, 2, 3, 4, 5, 6}, {2, 3}, {3, 1})},
      {"transposed", float_tensor({1, 2, 3, 4, 5, 6}, {3, 2}, {1, 3})},
      {"scalar", float_tensor({7}, {}, {})},
      {"empty", float_tensor({}, {0, 4}, {4, 1})},
      {"name with \"quotes\"", float_tensor({-1}, {1}, {1})},
  };
  write_safetensors(path, tensors);
  const TensorFile file = read_tensor_file(path);
  EXPECT_EQ(file.format, FileFormat::safetensors);
  ASSERT_EQ(file.tensors.size(), tensors.size());
  for (const auto &[name, tensor] : tensors) {
    const RawTensor *read = file.find(name);
    ASSERT_NE(read, nullptr) << name;
    EXPECT_EQ(read->shape, tensor.shape) << name;
    EXPECT_EQ(read->to_float32(), tensor.to_float32()) << name;
  }
  EXPECT_EQ(file.find("transposed")->to_float32(), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  // The data starts 8-byte aligned.
  const std::vector<std::byte> bytes = read_bytes(path);
  std::uint64_t header = 0;
  for (int i = 7; i >= 0; --i)
    header = (header << 8) | static_cast<std::uint8_t>(bytes[i]);
  EXPECT_EQ((8 + header) % 8, 0u);
}

TEST(SafetensorsWriter, EveryDtypeOfAPyTorchFileRoundTrips) {
  std::string why_not;
  const auto dir = python_fixture_dir(why_not);
  if (!dir)
    GTEST_SKIP() << why_not;
  const TensorFile source = read_tensor_file(*dir + "/tiny-legacy-v2.pth");
  const std::string path = temporary_dir() + "/copy.safetensors";
  write_safetensors(path, source.tensors);
  EXPECT_EQ(compare(source, read_tensor_file(path)), "");

  // Python's safetensors reads it back as the values PyTorch wrote.
  const std::string check =
      std::string("'") + std::getenv("NST_PYTHON") +
      "' -c 'import sys, torch\n"
      "from safetensors.torch import load_file\n"
      "d = load_file(sys.argv[1])\n"
      "for line in open(sys.argv[2]):\n"
      "    k, dtype, shape, values = line.rstrip(\"\\n\").split(\"\\t\")\n"
      "    t = d[k]\n"
      "    assert str(t.dtype) == \"torch.\" + dtype, (k, t.dtype)\n"
      "    assert [float(v) for v in values.split()] == t.double().flatten().tolist(), k\n"
      "' '" +
      path + "' '" + *dir + "/tiny-expected.txt'";
  EXPECT_EQ(std::system(check.c_str()), 0) << check;
}

TEST(SafetensorsWriter, RepeatedOrReservedNamesAreRefused) {
  const std::string path = temporary_dir() + "/bad.safetensors";
  const RawTensor t = float_tensor({1}, {1}, {1});
  for (const auto &tensors :
       {std::vector<std::pair<std::string, RawTensor>>{{"a", t}, {"a", t}},
        std::vector<std::pair<std::string, RawTensor>>{{"__metadata__", t}}}) {
    try {
      write_safetensors(path, tensors);
      FAIL() << "accepted";
    } catch (const Error &error) {
      EXPECT_EQ(error.code(), ErrorCode::invalid_argument);
    }
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(SafetensorsWriter, UnwritableFolderIsAnErrorAndLeavesNothing) {
  const std::string dir = temporary_dir();
  try {
    write_safetensors(dir + "/missing/out.safetensors", {{"a", float_tensor({1}, {1}, {1})}});
    FAIL() << "accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.code(), ErrorCode::file_unreadable);
    EXPECT_NE(std::string(error.what()).find("missing/out.safetensors"), std::string::npos);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

TEST(SafetensorsWriter, ReplacesAnExistingFileWhole) {
  const std::string path = temporary_dir() + "/w.safetensors";
  write_safetensors(path, {{"a", float_tensor({1, 2, 3}, {3}, {1})}});
  write_safetensors(path, {{"b", float_tensor({4}, {1}, {1})}});
  const TensorFile file = read_tensor_file(path);
  ASSERT_EQ(file.tensors.size(), 1u);
  EXPECT_EQ(file.tensors[0].first, "b");
}

} // namespace
} // namespace nst::weights::testing
