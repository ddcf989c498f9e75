// load_model on real files: the narrow fixtures PyTorch wrote in four
// encodings, files this test writes (key prefixes, other key names, a
// classifier to ignore), and the errors for missing keys and bad shapes.
#include "fixture_dirs.h"
#include "test_support.h"
#include "weights/tensor_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include <chrono>
#include <cstdlib>
#include <filesystem>

namespace nst {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const int kFeatureIndex[16] = {0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34};
const char *const kConvName[16] = {"conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2",
                                   "conv3_3", "conv3_4", "conv4_1", "conv4_2", "conv4_3", "conv4_4",
                                   "conv5_1", "conv5_2", "conv5_3", "conv5_4"};

weights::RawTensor raw(std::vector<float> values, std::vector<std::int64_t> shape) {
  auto owned = std::make_shared<std::vector<float>>(std::move(values));
  auto storage = std::make_shared<weights::StorageBytes>();
  storage->data = reinterpret_cast<const std::byte *>(owned->data());
  storage->size = owned->size() * sizeof(float);
  storage->owner = owned;
  weights::RawTensor tensor;
  tensor.dtype = weights::DType::float32;
  tensor.shape = shape;
  tensor.strides.assign(shape.size(), 1);
  for (int i = int(shape.size()) - 2; i >= 0; --i)
    tensor.strides[i] = tensor.strides[i + 1] * shape[i + 1];
  tensor.storage = storage;
  return tensor;
}

using Tensors = std::vector<std::pair<std::string, weights::RawTensor>>;

// The network of probe::random_vgg19 as named tensors; `name` gives a key.
Tensors named_tensors(const std::vector<probe::ConvArrays> &convs,
                      const std::function<std::string(int, const char *)> &name) {
  Tensors tensors;
  for (int i = 0; i < 16; ++i) {
    tensors.emplace_back(name(i, "weight"),
                         raw(convs[i].weight, {convs[i].out_channels, convs[i].in_channels, 3, 3}));
    tensors.emplace_back(name(i, "bias"), raw(convs[i].bias, {convs[i].out_channels}));
  }
  return tensors;
}

std::string torchvision_key(int i, const char *part) {
  return "features." + std::to_string(kFeatureIndex[i]) + "." + part;
}

class LoadModelTest : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("nst-load-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string &name, const Tensors &tensors) {
    const std::string path = (dir_ / name).string();
    weights::write_safetensors(path, tensors);
    return path;
  }

  Status load(const std::string &path, std::shared_ptr<Model> &model) {
    ModelOptions options;
    options.weights_path = path;
    options.device = DeviceKind::cpu;
    return load_model(options, model);
  }

  // A short run whose pixels identify the weights.
  static std::vector<float> fingerprint(Model &model) {
    const Image content = test::synthetic_image(40, 32, 3, 1);
    const Image style = test::synthetic_image(32, 32, 3, 4);
    Image result;
    const Status status =
        stylise(model, content.view(), {{style.view(), 1.0f}}, test::quick_options(3), result);
    EXPECT_TRUE(status.ok()) << status.message;
    return result.pixels;
  }

  std::vector<probe::ConvArrays> convs_ = probe::random_vgg19({8, 16, 32, 64, 64}, 9);
  fs::path dir_;
};

TEST_F(LoadModelTest, MapsTorchvisionKeysToTheNetwork) {
  std::shared_ptr<Model> from_file, in_memory;
  const Status status =
      load(write("vgg.safetensors", named_tensors(convs_, torchvision_key)), from_file);
  ASSERT_TRUE(status.ok()) << status.message;
  ModelOptions options;
  options.device = DeviceKind::cpu;
  ASSERT_TRUE(probe::make_model(convs_, options, in_memory).ok());
  EXPECT_EQ(fingerprint(*from_file), fingerprint(*in_memory));
}

TEST_F(LoadModelTest, AcceptsPrefixesOtherNamesAndIgnoresTheClassifier) {
  std::shared_ptr<Model> reference, prefixed, named;
  ASSERT_TRUE(load(write("a.safetensors", named_tensors(convs_, torchvision_key)), reference).ok());
  Tensors wrapped = named_tensors(
      convs_, [](int i, const char *part) { return "module." + torchvision_key(i, part); });
  wrapped.emplace_back("module.classifier.0.weight", raw(std::vector<float>(12, 1.0f), {3, 4}));
  Status status = load(write("b.safetensors", wrapped), prefixed);
  ASSERT_TRUE(status.ok()) << status.message;
  status =
      load(write("c.safetensors", named_tensors(convs_,
                                                [](int i, const char *part) {
                                                  return std::string(kConvName[i]) + "." + part;
                                                })),
           named);
  ASSERT_TRUE(status.ok()) << status.message;
  const auto expected = fingerprint(*reference);
  EXPECT_EQ(fingerprint(*prefixed), expected);
  EXPECT_EQ(fingerprint(*named), expected);
}

TEST_F(LoadModelTest, ManyWrapperPrefixesAreCutInLinearTime) {
  // Cutting 400000 "module." one at a time moves 560 GB; counting them
  // first, 2.8 MB.
  std::string prefixes;
  for (int i = 0; i < 400000; ++i)
    prefixes += "module.";
  Tensors tensors = named_tensors(convs_, torchvision_key);
  tensors[0].first = prefixes + tensors[0].first;
  tensors[1].first = "module.module." + tensors[1].first;
  const std::string plain = write("plain.safetensors", named_tensors(convs_, torchvision_key));
  const std::string path = write("prefixes.safetensors", tensors);
  const auto timed_load = [&](const std::string &file, std::shared_ptr<Model> &model) {
    const auto start = std::chrono::steady_clock::now();
    const Status status = load(file, model);
    EXPECT_TRUE(status.ok()) << status.message;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  std::shared_ptr<Model> reference, prefixed;
  const double plain_seconds = timed_load(plain, reference);
  const double prefixed_seconds = timed_load(path, prefixed);
  ASSERT_TRUE(reference && prefixed);
  EXPECT_LT(prefixed_seconds, 1.0 + 2 * plain_seconds) << "plain: " << plain_seconds << " s";
  EXPECT_EQ(fingerprint(*prefixed), fingerprint(*reference));
}

TEST_F(LoadModelTest, NonFiniteWeightsAreRefusedNamingTheTensor) {
  convs_[2].weight[7] = std::numeric_limits<float>::infinity();
  const std::string path = write("inf.safetensors", named_tensors(convs_, torchvision_key));
  std::shared_ptr<Model> model;
  const Status status = load(path, model);
  EXPECT_EQ(status.code, ErrorCode::corrupt_file) << status.message;
  EXPECT_THAT(status.message, HasSubstr("features.5.weight"));
  EXPECT_THAT(status.message, HasSubstr("finite"));
  EXPECT_THAT(status.message, HasSubstr(path));
}

TEST_F(LoadModelTest, MissingKeyNamesTheKeyAndTheFile) {
  Tensors tensors = named_tensors(convs_, torchvision_key);
  tensors.erase(tensors.begin() + 30); // features.34.weight
  const std::string path = write("missing.safetensors", tensors);
  std::shared_ptr<Model> model;
  const Status status = load(path, model);
  EXPECT_EQ(status.code, ErrorCode::missing_key) << status.message;
  EXPECT_THAT(status.message, HasSubstr("features.34.weight"));
  EXPECT_THAT(status.message, HasSubstr(path));
  EXPECT_THAT(status.message, HasSubstr("conv5_4"));
}

TEST_F(LoadModelTest, WrongShapeSaysWhatWasExpected) {
  Tensors tensors = named_tensors(convs_, torchvision_key);
  // conv2_1 taking 9 channels where conv1_2 gives 8.
  tensors[4].second = raw(std::vector<float>(16 * 9 * 9, 0.1f), {16, 9, 3, 3});
  std::shared_ptr<Model> model;
  Status status = load(write("shape.safetensors", tensors), model);
  EXPECT_EQ(status.code, ErrorCode::shape_mismatch) << status.message;
  EXPECT_THAT(status.message, HasSubstr("conv2_1"));
  EXPECT_THAT(status.message, HasSubstr("[16, 9, 3, 3]"));
  EXPECT_THAT(status.message, HasSubstr("expected [out, 8, 3, 3]"));

  tensors = named_tensors(convs_, torchvision_key);
  tensors[1].second = raw(std::vector<float>(7, 0.0f), {7}); // conv1_1's bias
  status = load(write("bias.safetensors", tensors), model);
  EXPECT_EQ(status.code, ErrorCode::shape_mismatch) << status.message;
  EXPECT_THAT(status.message, HasSubstr("expected [8]"));
}

TEST_F(LoadModelTest, MissingFileIsFileNotFound) {
  std::shared_ptr<Model> model;
  const Status status = load((dir_ / "nowhere.pth").string(), model);
  EXPECT_EQ(status.code, ErrorCode::file_not_found) << status.message;
}

TEST_F(LoadModelTest, EmptyPathFollowsTheSearchOrder) {
  const std::string path = write("env.safetensors", named_tensors(convs_, torchvision_key));
  ::setenv("NST_VGG19_WEIGHTS", path.c_str(), 1);
  std::shared_ptr<Model> model;
  const Status status = load("", model);
  ::unsetenv("NST_VGG19_WEIGHTS");
  ASSERT_TRUE(status.ok()) << status.message;
}

// The narrow VGG19 PyTorch wrote in each encoding (shared's, or the one
// make_weight_fixtures.py writes without it) loads to the same network.
TEST(LoadModelFixtures, AllEncodingsGiveTheSameNetwork) {
  std::string why_not;
  const auto found = fixtures::narrow_vgg19_dir(why_not);
  ASSERT_TRUE(found) << why_not;
  const fs::path dir = *found;
  std::vector<float> expected;
  for (const char *name : {"vgg19-narrow.safetensors", "vgg19-narrow-zip.pth",
                           "vgg19-narrow-legacy-v2.pth", "vgg19-narrow-legacy-v1.pth"}) {
    ModelOptions options;
    options.weights_path = (dir / name).string();
    options.device = DeviceKind::cpu;
    std::shared_ptr<Model> model;
    const Status status = load_model(options, model);
    ASSERT_TRUE(status.ok()) << name << ": " << status.message;
    const Image content = test::synthetic_image(40, 32, 3, 1);
    const Image style = test::synthetic_image(32, 32, 3, 4);
    Image result;
    ASSERT_TRUE(
        stylise(*model, content.view(), {{style.view(), 1.0f}}, test::quick_options(3), result)
            .ok());
    if (expected.empty())
      expected = result.pixels;
    else
      EXPECT_EQ(result.pixels, expected) << name;
  }
}

} // namespace
} // namespace nst
