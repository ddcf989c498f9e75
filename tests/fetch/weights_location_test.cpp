// locate_weights: each step of the search order, in temporary folders named
// by HOME, XDG_CACHE_HOME, TORCH_HOME and NST_VGG19_WEIGHTS.
#include "fetch_test_support.h"
#include "nst/weights.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace nst::testing {
namespace {

class LocateWeights : public ::testing::Test {
protected:
  void SetUp() override {
    env_.set("HOME", folder_ / "home");
    env_.set("XDG_CACHE_HOME", folder_ / "xdg");
    env_.set("TORCH_HOME", folder_ / "torch");
    env_.unset("NST_VGG19_WEIGHTS");
  }

  WeightsLocation locate(const std::string &explicit_path = "") {
    WeightsLocation location;
    const Status status = locate_weights(explicit_path, location);
    EXPECT_TRUE(status.ok()) << status.message;
    return location;
  }

  std::string cache(const std::string &name) {
    return folder_ / ("xdg/neural-style-transfer/" + name);
  }
  std::string hub(const std::string &torch_home) {
    return torch_home + "/hub/checkpoints/vgg19-dcbb9e9d.pth";
  }

  TemporaryFolder folder_;
  ScopedEnvironment env_;
};

TEST_F(LocateWeights, NothingFoundSaysWhereTheDownloadGoes) {
  const WeightsLocation location = locate();
  EXPECT_FALSE(location.found);
  EXPECT_EQ(location.path, "");
  EXPECT_EQ(location.download_path, cache("vgg19-dcbb9e9d.pth"));
}

TEST_F(LocateWeights, ExplicitPathComesFirst) {
  write_file(folder_ / "mine.pth", "x");
  write_file(folder_ / "env.pth", "x");
  write_file(cache("vgg19-features.safetensors"), "x");
  env_.set("NST_VGG19_WEIGHTS", folder_ / "env.pth");
  const WeightsLocation location = locate(folder_ / "mine.pth");
  EXPECT_TRUE(location.found);
  EXPECT_EQ(location.path, folder_ / "mine.pth");
  EXPECT_EQ(location.source, "argument");
  EXPECT_EQ(location.download_path, cache("vgg19-dcbb9e9d.pth"));
}

TEST_F(LocateWeights, MissingExplicitPathIsAnErrorNamingIt) {
  write_file(cache("vgg19-features.safetensors"), "x");
  WeightsLocation location;
  const Status status = locate_weights(folder_ / "missing.pth", location);
  EXPECT_EQ(status.code, ErrorCode::file_not_found);
  EXPECT_NE(status.message.find(folder_ / "missing.pth"), std::string::npos) << status.message;
  EXPECT_FALSE(location.found);
}

TEST_F(LocateWeights, FolderAsExplicitPathIsAnError) {
  std::filesystem::create_directories(folder_ / "a-folder");
  WeightsLocation location;
  const Status status = locate_weights(folder_ / "a-folder", location);
  EXPECT_EQ(status.code, ErrorCode::file_not_found);
  EXPECT_NE(status.message.find("folder"), std::string::npos) << status.message;
}

TEST_F(LocateWeights, EnvironmentVariableComesSecond) {
  write_file(folder_ / "env.pth", "x");
  write_file(cache("vgg19-features.safetensors"), "x");
  env_.set("NST_VGG19_WEIGHTS", folder_ / "env.pth");
  const WeightsLocation location = locate();
  EXPECT_EQ(location.path, folder_ / "env.pth");
  EXPECT_EQ(location.source, "environment");
}

TEST_F(LocateWeights, MissingFileInTheVariableIsAnErrorNamingBoth) {
  write_file(cache("vgg19-features.safetensors"), "x");
  env_.set("NST_VGG19_WEIGHTS", folder_ / "gone.pth");
  WeightsLocation location;
  const Status status = locate_weights("", location);
  EXPECT_EQ(status.code, ErrorCode::file_not_found);
  EXPECT_NE(status.message.find(folder_ / "gone.pth"), std::string::npos) << status.message;
  EXPECT_NE(status.message.find("NST_VGG19_WEIGHTS"), std::string::npos) << status.message;
}

TEST_F(LocateWeights, EmptyVariableIsIgnored) {
  env_.set("NST_VGG19_WEIGHTS", "");
  EXPECT_FALSE(locate().found);
}

TEST_F(LocateWeights, CacheOrderIsFeaturesThenDownloadThenTorchHub) {
  write_file(cache("vgg19-features.safetensors"), "x");
  write_file(cache("vgg19-dcbb9e9d.pth"), "x");
  write_file(hub(folder_ / "torch"), "x");

  WeightsLocation location = locate();
  EXPECT_EQ(location.path, cache("vgg19-features.safetensors"));
  EXPECT_EQ(location.source, "cache");

  std::filesystem::remove(cache("vgg19-features.safetensors"));
  location = locate();
  EXPECT_EQ(location.path, cache("vgg19-dcbb9e9d.pth"));
  EXPECT_EQ(location.source, "cache");

  std::filesystem::remove(cache("vgg19-dcbb9e9d.pth"));
  location = locate();
  EXPECT_EQ(location.path, hub(folder_ / "torch"));
  EXPECT_EQ(location.source, "torch-hub");
}

TEST_F(LocateWeights, EmptyOrFolderCacheEntriesAreSkipped) {
  write_file(cache("vgg19-features.safetensors"), "");
  std::filesystem::create_directories(cache("vgg19-dcbb9e9d.pth"));
  write_file(hub(folder_ / "torch"), "x");
  const WeightsLocation location = locate();
  EXPECT_EQ(location.source, "torch-hub");
}

TEST_F(LocateWeights, WithoutXdgCacheHomeTheCacheIsUnderHome) {
  env_.unset("XDG_CACHE_HOME");
  env_.unset("TORCH_HOME");
  const std::string home_cache = folder_ / "home/.cache";
  EXPECT_EQ(locate().download_path, home_cache + "/neural-style-transfer/vgg19-dcbb9e9d.pth");
  write_file(hub(home_cache + "/torch"), "x");
  EXPECT_EQ(locate().path, hub(home_cache + "/torch"));
}

TEST_F(LocateWeights, RelativeXdgCacheHomeIsIgnored) {
  env_.set("XDG_CACHE_HOME", "relative/cache");
  EXPECT_EQ(locate().download_path,
            folder_ / "home/.cache/neural-style-transfer/vgg19-dcbb9e9d.pth");
}

TEST_F(LocateWeights, TorchHomeDefaultsToXdgCacheHomeAsPyTorchDoes) {
  env_.unset("TORCH_HOME");
  write_file(hub(folder_ / "xdg/torch"), "x");
  const WeightsLocation location = locate();
  EXPECT_EQ(location.path, hub(folder_ / "xdg/torch"));
  EXPECT_EQ(location.source, "torch-hub");
}

TEST_F(LocateWeights, TildeInTorchHomeIsTheHomeFolder) {
  env_.set("TORCH_HOME", "~/my-torch");
  write_file(hub(folder_ / "home/my-torch"), "x");
  EXPECT_EQ(locate().path, hub(folder_ / "home/my-torch"));
}

} // namespace
} // namespace nst::testing
