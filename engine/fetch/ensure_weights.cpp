// ensure_weights: locate, else download; then prefer the features cache.
#include "fetch/cache_folders.h"
#include "fetch/features_cache.h"
#include "fetch/fetch_guard.h"
#include "nst/weights.h"

#include <filesystem>
#include <system_error>

namespace nst {
namespace {

namespace fs = std::filesystem;

// Turns the full published .pth into the features cache and returns the
// cache's path, or the .pth's when the cache cannot be written (read-only
// folder, full disk, a file without the tensors: load_model then says why).
std::string features_cache_or(const std::string &pth, bool remove_pth) {
  const std::string folder = fetch::plugin_cache_folder();
  if (folder.empty())
    return pth;
  const std::string cache = folder + "/" + kFeaturesCacheFileName;
  try {
    std::error_code ignored;
    fs::create_directories(folder, ignored);
    fetch::write_features_cache(pth, cache);
  } catch (const std::exception &) {
    return pth;
  }
  // Our own download is no longer needed: 548 MB back. PyTorch's stays.
  if (remove_pth) {
    std::error_code ignored;
    fs::remove(pth, ignored);
  }
  return cache;
}

bool is_published_pth(const std::string &path) {
  return fs::path(path).filename() == kPublishedWeightsFileName;
}

DownloadOptions published_download(const std::string &destination) {
  DownloadOptions options;
  options.destination = destination;
  const auto url = fetch::environment_variable(kWeightsUrlEnvironmentVariable);
  options.url = url && !url->empty() ? *url : kPublishedWeightsUrl;
  options.expected_sha256 = fetch::environment_variable(kWeightsSha256EnvironmentVariable)
                                .value_or(kPublishedWeightsSha256Prefix);
  return options;
}

} // namespace

Status ensure_weights(const std::string &explicit_path, std::string &path,
                      const std::function<void(const DownloadProgress &)> &progress,
                      const std::atomic<bool> *cancel) {
  return fetch::guard_fetch("ensure_weights", [&] {
    path.clear();
    WeightsLocation location;
    const Status located = locate_weights(explicit_path, location);
    if (!located.ok())
      return located;
    if (location.found) {
      const bool convertible = (location.source == "cache" || location.source == "torch-hub") &&
                               is_published_pth(location.path);
      path = convertible ? features_cache_or(location.path, location.source == "cache")
                         : location.path;
      return Status::success();
    }
    if (location.download_path.empty())
      throw Error(ErrorCode::file_not_found,
                  "no VGG19 weights were found, and there is no cache folder to download them "
                  "into: neither $XDG_CACHE_HOME nor $HOME is set");

    DownloadOptions options = published_download(location.download_path);
    options.progress = progress;
    options.cancel = cancel;
    const Status downloaded = download_file(options);
    if (!downloaded.ok())
      return downloaded;
    path = features_cache_or(location.download_path, true);
    return Status::success();
  });
}

} // namespace nst
