// Every encoding of a set of tensors reads back as the values PyTorch wrote:
// files made by tests/tools/make_weight_fixtures.py at test time, and the
// files in shared/fixtures/weights (or, without them, the script's).
#include "weights_test_support.h"

#include "weights/mapped_file.h"
#include "weights/readers.h"
#include "weights/tensor_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace nst::weights::testing {
namespace {

const char *const kPythonEncodings[] = {
    "tiny-legacy-v1.pth", "tiny-legacy-v1-py2.pth", "tiny-legacy-v1-views.pth",
    "tiny-legacy-v2.pth", "tiny-zip.pth",           "tiny-zip-archive.pth",
    "tiny.safetensors",
};

FileFormat format_of(const std::string &file) {
  if (file.find("legacy") != std::string::npos)
    return FileFormat::torch_legacy;
  if (file.find("zip") != std::string::npos)
    return FileFormat::torch_zip;
  return FileFormat::safetensors;
}

void expect_matches(const std::string &path, const std::vector<ExpectedTensor> &expected) {
  SCOPED_TRACE(path);
  const TensorFile file = read_tensor_file(path);
  EXPECT_EQ(file.format, format_of(std::filesystem::path(path).filename().string()));
  ASSERT_EQ(file.tensors.size(), expected.size());
  for (const ExpectedTensor &want : expected) {
    const RawTensor *tensor = file.find(want.name);
    ASSERT_NE(tensor, nullptr) << want.name;
    EXPECT_EQ(compare(want, *tensor), "") << want.name;
  }
  // Pickled files keep the dict's order, which the expected file records.
  if (file.format != FileFormat::safetensors) {
    for (std::size_t i = 0; i < expected.size(); ++i)
      EXPECT_EQ(file.tensors[i].first, expected[i].name);
  }
}

class PythonFixtures : public ::testing::Test {
protected:
  void SetUp() override {
    std::string why_not;
    const auto found = python_fixture_dir(why_not);
    ASSERT_TRUE(found) << why_not;
    dir = *found;
  }
  std::string dir;
};

TEST_F(PythonFixtures, EveryEncodingHoldsTheValuesPyTorchWrote) {
  const auto expected = read_expected(dir + "/tiny-expected.txt");
  ASSERT_GT(expected.size(), 10u);
  for (const char *name : kPythonEncodings)
    expect_matches(dir + "/" + name, expected);
}

TEST_F(PythonFixtures, AllEncodingsGiveIdenticalTensors) {
  const TensorFile reference = read_tensor_file(dir + "/tiny-zip.pth");
  for (const char *name : kPythonEncodings)
    EXPECT_EQ(compare(reference, read_tensor_file(dir + "/" + name)), "") << name;
}

TEST_F(PythonFixtures, ViewsSharingAStorageShareItsBytes) {
  for (const char *name :
       {"tiny-legacy-v1.pth", "tiny-legacy-v1-py2.pth", "tiny-legacy-v2.pth", "tiny-zip.pth"}) {
    const TensorFile file = read_tensor_file(dir + "/" + name);
    const RawTensor *a = file.find("shared.a");
    const RawTensor *b = file.find("shared.b");
    ASSERT_TRUE(a && b) << name;
    EXPECT_EQ(a->storage, b->storage) << name;
    EXPECT_EQ(a->storage_offset, 2) << name;
    EXPECT_EQ(b->storage_offset, 20) << name;
    EXPECT_EQ(a->storage->size, 40 * sizeof(float)) << name;
  }
}

TEST_F(PythonFixtures, TransposedTensorKeepsItsStrides) {
  for (const char *name : {"tiny-legacy-v1.pth", "tiny-legacy-v2.pth", "tiny-zip.pth"}) {
    const TensorFile file = read_tensor_file(dir + "/" + name);
    const RawTensor *t = file.find("transposed");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->shape, (std::vector<std::int64_t>{6, 4}));
    EXPECT_EQ(t->strides, (std::vector<std::int64_t>{1, 6}));
  }
}

TEST_F(PythonFixtures, TensorDataPointsIntoTheFileNotACopy) {
  for (const char *name : kPythonEncodings) {
    const auto bytes = read_bytes(dir + "/" + name);
    const auto file = MappedFile::from_memory(name, bytes);
    const TensorFile tensors = read_tensor_bytes(file);
    for (const auto &[key, tensor] : tensors.tensors) {
      if (tensor.storage->size == 0)
        continue;
      EXPECT_GE(tensor.storage->data, file->data()) << name << " " << key;
      EXPECT_LE(tensor.storage->data + tensor.storage->size, file->data() + file->size())
          << name << " " << key;
      EXPECT_EQ(tensor.storage->owner.get(), static_cast<const void *>(file.get()));
    }
  }
}

TEST_F(PythonFixtures, TensorsOutliveTheTensorFile) {
  RawTensor kept;
  {
    const TensorFile file = read_tensor_file(dir + "/tiny-legacy-v1.pth");
    kept = *file.find("features.0.bias");
  }
  const auto expected = read_expected(dir + "/tiny-expected.txt");
  EXPECT_EQ(compare(expected[1], kept), "");
}

// shared/fixtures/weights: files written by PyTorch 2.6 independently of the
// script above. Without that folder, the script's tiny set and its
// --vgg19-narrow set stand in, so the checks still run (and fail, saying
// why, when Python with torch cannot write them either).
class SharedFixtures : public ::testing::Test {
protected:
  void SetUp() override {
    std::string why_not;
    const auto shared = shared_fixture_dir();
    const auto tiny_dir = shared && std::filesystem::exists(*shared + "/tiny-expected.txt")
                              ? shared
                              : python_fixture_dir(why_not);
    ASSERT_TRUE(tiny_dir) << "$NST_SHARED_DIR/fixtures/weights has no tiny set (it comes with the "
                             "project's shared folder beside the checkout) and "
                          << why_not;
    const auto narrow_dir = narrow_vgg19_dir(why_not);
    ASSERT_TRUE(narrow_dir) << why_not;
    tiny = *tiny_dir;
    narrow = *narrow_dir;
  }
  std::string dir_of(const std::string &set) const { return set == "tiny" ? tiny : narrow; }
  std::string tiny, narrow;
};

TEST_F(SharedFixtures, TinyFilesEqualTinyExpected) {
  const auto expected = read_expected(tiny + "/tiny-expected.txt");
  for (const char *name :
       {"tiny-legacy-v1.pth", "tiny-legacy-v2.pth", "tiny-zip.pth", "tiny.safetensors"})
    expect_matches(tiny + "/" + name, expected);
}

TEST_F(SharedFixtures, NarrowVgg19FilesEqualTheirExpectedValues) {
  const auto expected = read_expected(narrow + "/vgg19-narrow-expected.txt");
  ASSERT_GE(expected.size(), 33u);
  for (const char *name : {"vgg19-narrow-legacy-v1.pth", "vgg19-narrow-legacy-v2.pth",
                           "vgg19-narrow-zip.pth", "vgg19-narrow.safetensors"})
    expect_matches(narrow + "/" + name, expected);
}

TEST_F(SharedFixtures, FourEncodingsOfOneSetAreIdentical) {
  for (const char *set : {"tiny", "vgg19-narrow"}) {
    const std::string base = dir_of(set) + "/" + set;
    const TensorFile reference = read_tensor_file(base + "-zip.pth");
    for (const char *suffix : {"-legacy-v1.pth", "-legacy-v2.pth", ".safetensors"})
      EXPECT_EQ(compare(reference, read_tensor_file(base + suffix)), "") << set << suffix;
  }
}

TEST_F(SharedFixtures, EveryFileInTheFolderLoads) {
  int loaded = 0;
  for (const std::string &dir : std::set<std::string>{tiny, narrow}) { // one or two folders
    for (const auto &entry : std::filesystem::directory_iterator(dir)) {
      const std::string path = entry.path().string();
      if (entry.path().extension() == ".txt")
        continue;
      EXPECT_NO_THROW(read_tensor_file(path)) << path;
      ++loaded;
    }
  }
  EXPECT_GE(loaded, 8);
}

} // namespace
} // namespace nst::weights::testing
