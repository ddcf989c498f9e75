// ensure_weights: downloads from $NST_VGG19_URL (a local server) into the
// cache folder, checks $NST_VGG19_SHA256 (or the published prefix), writes
// the float32 features cache and finds it next time without downloading;
// converts PyTorch's copy, uses named files as they are, falls back to the
// .pth when the cache cannot be written, rebuilds a broken cache, removes a
// killed conversion's temporary files and shares one download between two
// callers.
#include "fetch/features_cache.h"
#include "fetch/sha256.h"
#include "fetch_test_support.h"
#include "local_http_server.h"
#include "nst/weights.h"
#include "weights/tensor_file.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>

namespace nst::testing {
namespace {

using weights::DType;
using weights::RawTensor;

// A contiguous tensor owning its bytes; float64 when `as_double`.
RawTensor make_tensor(std::vector<std::int64_t> shape, float first, bool as_double = false) {
  std::int64_t count = 1;
  for (const auto d : shape)
    count *= d;
  const std::size_t element = as_double ? sizeof(double) : sizeof(float);
  auto bytes = std::make_shared<std::vector<std::byte>>(static_cast<std::size_t>(count) * element);
  for (std::int64_t i = 0; i < count; ++i) {
    const float value = first + 0.25f * static_cast<float>(i);
    if (as_double) {
      const double wide = value;
      std::memcpy(bytes->data() + i * element, &wide, element);
    } else {
      std::memcpy(bytes->data() + i * element, &value, element);
    }
  }
  auto storage = std::make_shared<weights::StorageBytes>();
  storage->data = bytes->data();
  storage->size = bytes->size();
  storage->owner = bytes;
  RawTensor tensor;
  tensor.dtype = as_double ? DType::float64 : DType::float32;
  tensor.strides.assign(shape.size(), 1);
  for (std::size_t i = shape.size(); i-- > 1;)
    tensor.strides[i - 1] = tensor.strides[i] * shape[i];
  tensor.shape = std::move(shape);
  tensor.storage = storage;
  return tensor;
}

// A VGG19 two channels wide with torchvision's names, one float64 tensor and
// a classifier tensor the cache must leave out.
std::vector<std::pair<std::string, RawTensor>> tiny_vgg19() {
  std::vector<std::pair<std::string, RawTensor>> tensors;
  std::int64_t in = 3;
  float first = 1;
  for (const int index : fetch::kConvFeatureIndices) {
    const std::string prefix = "features." + std::to_string(index) + ".";
    tensors.emplace_back(prefix + "weight", make_tensor({2, in, 3, 3}, first, index == 0));
    tensors.emplace_back(prefix + "bias", make_tensor({2}, -first));
    in = 2;
    first += 1;
  }
  tensors.emplace_back("classifier.0.weight", make_tensor({3, 4}, 0));
  return tensors;
}

class EnsureWeights : public ::testing::Test {
protected:
  void SetUp() override {
    weights::write_safetensors(folder_ / "source.safetensors", tiny_vgg19());
    served_ = read_file(folder_ / "source.safetensors");
    server_.set_body(served_);
    env_.set("HOME", folder_ / "home");
    env_.set("XDG_CACHE_HOME", folder_ / "xdg");
    env_.set("TORCH_HOME", folder_ / "torch");
    env_.unset("NST_VGG19_WEIGHTS");
    env_.set("NST_VGG19_URL", server_.url("/models/vgg19-dcbb9e9d.pth"));
    env_.set("NST_VGG19_SHA256", fetch::sha256_hex(served_.data(), served_.size()));
  }

  std::string cache(const std::string &name) {
    return folder_ / ("xdg/neural-style-transfer/" + name);
  }
  std::string features_cache() { return cache("vgg19-features.safetensors"); }
  std::string downloaded() { return cache("vgg19-dcbb9e9d.pth"); }

  // The cache holds exactly the 32 convolution tensors, float32, same values.
  void expect_features_cache(const std::string &path) {
    const weights::TensorFile source = weights::read_tensor_file(folder_ / "source.safetensors");
    const weights::TensorFile file = weights::read_tensor_file(path);
    EXPECT_EQ(file.format, weights::FileFormat::safetensors);
    EXPECT_EQ(file.tensors.size(), 32u);
    EXPECT_EQ(file.find("classifier.0.weight"), nullptr);
    for (const auto &[name, tensor] : file.tensors) {
      EXPECT_EQ(tensor.dtype, DType::float32) << name;
      const RawTensor *original = source.find(name);
      ASSERT_NE(original, nullptr) << name;
      EXPECT_EQ(tensor.shape, original->shape) << name;
      EXPECT_EQ(tensor.to_float32(), original->to_float32()) << name;
    }
  }

  TemporaryFolder folder_;
  ScopedEnvironment env_;
  LocalHttpServer server_;
  std::string served_;
};

TEST_F(EnsureWeights, DownloadsThenWritesAndReturnsTheFeaturesCache) {
  std::vector<DownloadProgress> seen;
  std::string path;
  const Status status =
      ensure_weights("", path, [&](const DownloadProgress &progress) { seen.push_back(progress); });
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(path, features_cache());
  expect_features_cache(path);
  EXPECT_FALSE(file_exists(downloaded())); // the full file is not kept
  EXPECT_EQ(server_.request_count(), 1);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().received_bytes, served_.size());

  // The next run finds the cache and downloads nothing.
  std::string again;
  ASSERT_TRUE(ensure_weights("", again).ok());
  EXPECT_EQ(again, features_cache());
  EXPECT_EQ(server_.request_count(), 1);
  WeightsLocation location;
  ASSERT_TRUE(locate_weights("", location).ok());
  EXPECT_EQ(location.path, features_cache());
  EXPECT_EQ(location.source, "cache");
}

TEST_F(EnsureWeights, ChecksumFromTheEnvironmentIsChecked) {
  env_.set("NST_VGG19_SHA256", std::string(64, '0'));
  std::string path;
  const Status status = ensure_weights("", path);
  EXPECT_EQ(status.code, ErrorCode::checksum_mismatch) << status.message;
  EXPECT_EQ(path, "");
  EXPECT_FALSE(file_exists(downloaded()));
  EXPECT_FALSE(file_exists(features_cache()));
}

TEST_F(EnsureWeights, ChecksumPrefixInTheEnvironmentIsRefused) {
  env_.set("NST_VGG19_SHA256", "dcbb9e9d");
  std::string path;
  const Status status = ensure_weights("", path);
  EXPECT_EQ(status.code, ErrorCode::invalid_argument) << status.message;
  EXPECT_NE(status.message.find("NST_VGG19_SHA256"), std::string::npos) << status.message;
  EXPECT_NE(status.message.find("64 hex digits"), std::string::npos) << status.message;
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(EnsureWeights, WithoutTheVariableThePublishedSizeAndDigestAreExpected) {
  env_.unset("NST_VGG19_SHA256");
  std::string path;
  const Status status = ensure_weights("", path);
  EXPECT_EQ(status.code, ErrorCode::checksum_mismatch) << status.message;
  EXPECT_NE(status.message.find("574673361"), std::string::npos) << status.message;
  EXPECT_FALSE(file_exists(downloaded()));
}

TEST_F(EnsureWeights, EmptyChecksumVariableSkipsTheCheck) {
  env_.set("NST_VGG19_SHA256", "");
  std::string path;
  const Status status = ensure_weights("", path);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(path, features_cache());
}

TEST_F(EnsureWeights, DownloadErrorsComeBack) {
  server_.set_mode(LocalHttpServer::Mode::not_found);
  std::string path;
  const Status status = ensure_weights("", path);
  EXPECT_EQ(status.code, ErrorCode::download_failed) << status.message;
  EXPECT_NE(status.message.find("404"), std::string::npos) << status.message;
}

TEST_F(EnsureWeights, CancelledBeforeTheDownload) {
  std::atomic<bool> cancel{true};
  std::string path;
  const Status status = ensure_weights("", path, {}, &cancel);
  EXPECT_EQ(status.code, ErrorCode::cancelled) << status.message;
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(EnsureWeights, ACancelDuringTheConversionWritesNothingAndTheNextRunConverts) {
  write_file(downloaded(), served_);
  std::atomic<bool> cancel{true};
  std::string path;
  Status status = ensure_weights("", path, {}, &cancel);
  EXPECT_EQ(status.code, ErrorCode::cancelled) << status.message;
  EXPECT_NE(status.message.find("features cache"), std::string::npos) << status.message;
  EXPECT_FALSE(file_exists(features_cache()));
  EXPECT_TRUE(file_exists(downloaded())) << "the source is kept for the next run";
  for (const auto &entry :
       std::filesystem::directory_iterator(std::filesystem::path(downloaded()).parent_path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
  cancel = false;
  status = ensure_weights("", path, {}, &cancel);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(path, features_cache());
  expect_features_cache(path);
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(EnsureWeights, PyTorchsCopyIsConvertedAndKept) {
  const std::string hub = folder_ / "torch/hub/checkpoints/vgg19-dcbb9e9d.pth";
  write_file(hub, served_);
  std::string path;
  const Status status = ensure_weights("", path);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(path, features_cache());
  expect_features_cache(path);
  EXPECT_TRUE(file_exists(hub));
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(EnsureWeights, EarlierDownloadInTheCacheIsConverted) {
  write_file(downloaded(), served_);
  std::string path;
  ASSERT_TRUE(ensure_weights("", path).ok());
  EXPECT_EQ(path, features_cache());
  expect_features_cache(path);
  EXPECT_FALSE(file_exists(downloaded()));
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(EnsureWeights, UnwritableCacheFallsBackToThePth) {
  write_file(downloaded(), served_);
  // A folder where the cache file would go: the rename onto it fails, even for root.
  std::filesystem::create_directories(features_cache());
  std::string path;
  const Status status = ensure_weights("", path);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(path, downloaded());
  EXPECT_TRUE(file_exists(downloaded()));
}

TEST_F(EnsureWeights, FileWithoutTheConvolutionsIsReturnedForLoadModelToReport) {
  std::filesystem::create_directories(cache(""));
  weights::write_safetensors(downloaded(), {{"features.0.weight", make_tensor({2, 3, 3, 3}, 1)}});
  std::string path;
  ASSERT_TRUE(ensure_weights("", path).ok());
  EXPECT_EQ(path, downloaded());
  EXPECT_FALSE(file_exists(features_cache()));
}

TEST_F(EnsureWeights, BrokenFeaturesCacheIsRebuiltFromADownload) {
  write_file(features_cache(), "safetensors cut short by a crash");
  std::string path;
  const Status status = ensure_weights("", path);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(path, features_cache());
  expect_features_cache(path);
  EXPECT_EQ(server_.request_count(), 1);
}

TEST_F(EnsureWeights, BrokenFeaturesCacheIsRebuiltFromPyTorchsCopy) {
  write_file(features_cache(), std::string(100, '\0'));
  write_file(folder_ / "torch/hub/checkpoints/vgg19-dcbb9e9d.pth", served_);
  std::string path;
  ASSERT_TRUE(ensure_weights("", path).ok());
  EXPECT_EQ(path, features_cache());
  expect_features_cache(path);
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(EnsureWeights, StaleTemporaryFilesOfAKilledConversionAreRemoved) {
  const std::string stale = cache("vgg19-features.safetensors.tmp-AbC123");
  const std::string fresh = cache("vgg19-features.safetensors.tmp-XyZ789");
  const std::string other = cache("notes.tmp-AbC123");
  for (const std::string &file : {stale, fresh, other})
    write_file(file, "half a cache");
  const auto old = std::filesystem::file_time_type::clock::now() - std::chrono::hours(1);
  std::filesystem::last_write_time(stale, old);
  std::filesystem::last_write_time(other, old);
  write_file(features_cache(), read_file(folder_ / "source.safetensors"));
  std::string path;
  ASSERT_TRUE(ensure_weights("", path).ok());
  EXPECT_FALSE(file_exists(stale));
  EXPECT_TRUE(file_exists(fresh)); // perhaps another process's conversion, still running
  EXPECT_TRUE(file_exists(other));
}

TEST_F(EnsureWeights, TwoCallersAtOnceShareOneDownload) {
  server_.set_mode(LocalHttpServer::Mode::slow);
  server_.set_slow(64, std::chrono::milliseconds(2));
  std::string first_path;
  Status first;
  std::thread first_caller([&] { first = ensure_weights("", first_path); });
  while (server_.request_count() == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  bool waited = false;
  std::string second_path;
  const Status second = ensure_weights(
      "", second_path, [&](const DownloadProgress &progress) { waited |= progress.waiting; });
  first_caller.join();
  ASSERT_TRUE(first.ok()) << first.message;
  ASSERT_TRUE(second.ok()) << second.message;
  EXPECT_TRUE(waited);
  EXPECT_EQ(first_path, features_cache());
  EXPECT_EQ(second_path, features_cache());
  EXPECT_EQ(server_.request_count(), 1);
}

TEST_F(EnsureWeights, NamedFilesAreUsedAsTheyAre) {
  const std::string mine = folder_ / "elsewhere/vgg19-dcbb9e9d.pth";
  write_file(mine, served_);
  std::string path;
  ASSERT_TRUE(ensure_weights(mine, path).ok());
  EXPECT_EQ(path, mine);
  env_.set("NST_VGG19_WEIGHTS", mine);
  ASSERT_TRUE(ensure_weights("", path).ok());
  EXPECT_EQ(path, mine);
  EXPECT_FALSE(file_exists(features_cache()));
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(EnsureWeights, MissingNamedFileIsNotDownloaded) {
  std::string path;
  const Status status = ensure_weights(folder_ / "missing.pth", path);
  EXPECT_EQ(status.code, ErrorCode::file_not_found) << status.message;
  EXPECT_EQ(server_.request_count(), 0);
}

} // namespace
} // namespace nst::testing
