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
  ASSERT_TRUE(dir) << why_not;
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

// The first byte of a safetensors file is the low byte of its header length,
// so a length of 0x80 or 0x8a modulo 256 starts it like a pickle.
std::uint64_t header_length(const std::vector<std::byte> &bytes) {
  std::uint64_t header = 0;
  for (int i = 7; i >= 0; --i)
    header = (header << 8) | static_cast<std::uint8_t>(bytes[i]);
  return header;
}

TEST(SafetensorsWriter, HeaderLengthsThatStartLikeAPickleReadBack) {
  // The writer pads the header to 8 bytes: each 8 more bytes of name add 8.
  const std::string dir = temporary_dir();
  const std::string path = dir + "/cache.safetensors";
  std::string name = "features.0.weight";
  write_safetensors(path, {{name, float_tensor({1, 2}, {2}, {1})}});
  name.append((0x180 - header_length(read_bytes(path)) % 256) % 256, 'x');
  write_safetensors(path, {{name, float_tensor({1, 2}, {2}, {1})}});
  ASSERT_EQ(header_length(read_bytes(path)) % 256, 0x80u);
  const TensorFile file = read_tensor_file(path);
  EXPECT_EQ(file.format, FileFormat::safetensors);
  ASSERT_NE(file.find(name), nullptr);
  EXPECT_EQ(file.find(name)->to_float32(), (std::vector<float>{1, 2}));

  // By hand, for lengths the writer's padding cannot give.
  for (const std::uint64_t length : {0x8aull, 0x18aull, 0x280ull, 0x38bull}) {
    const std::string entry = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)";
    const std::string tail = R"("__metadata__":{"pad":""}})";
    const std::string header = entry + R"("__metadata__":{"pad":")" +
                               std::string(length - entry.size() - tail.size(), ' ') + "\"}}";
    ASSERT_EQ(header.size(), length);
    std::string bytes;
    for (int i = 0; i < 8; ++i)
      bytes += static_cast<char>(length >> (8 * i));
    const float values[2] = {1.5f, -2.0f};
    bytes += header + std::string(reinterpret_cast<const char *>(values), sizeof values);
    const std::string hand = dir + "/hand-" + std::to_string(length) + ".safetensors";
    write_bytes(hand, to_bytes(bytes));
    const TensorFile read = read_tensor_file(hand);
    EXPECT_EQ(read.format, FileFormat::safetensors) << length;
    ASSERT_NE(read.find("w"), nullptr) << length;
    EXPECT_EQ(read.find("w")->to_float32(), (std::vector<float>{1.5f, -2.0f})) << length;
  }
}

TEST(SafetensorsWriter, PicklesAreStillToldFromSafetensors) {
  // A legacy torch file, whose magic number lies where the brace would be.
  const std::string pickle = one_tensor_pickle();
  const std::string path = temporary_dir() + "/legacy.pth";
  write_bytes(path, to_bytes(legacy_file(pickle, {{"k0", 1, std::string(4, '\0')}})));
  EXPECT_EQ(read_tensor_file(path).format, FileFormat::torch_legacy);
  // {1: '{'}: a pickle with a brace at byte 8, but no header length that fits.
  write_bytes(path, to_bytes("\x80\x02}(K\x01\x8c\x01{u."));
  try {
    read_tensor_file(path);
    FAIL() << "accepted";
  } catch (const Error &error) {
    EXPECT_EQ(error.code(), ErrorCode::not_a_weights_file) << error.what();
    EXPECT_NE(std::string(error.what()).find("pickle"), std::string::npos) << error.what();
  }
}

} // namespace
} // namespace nst::weights::testing
