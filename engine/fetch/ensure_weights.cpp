// ensure_weights: locate, else download; then prefer the features cache.
#include "fetch/cache_folders.h"
#include "fetch/download.h"
#include "fetch/download_lock.h"
#include "fetch/features_cache.h"
#include "fetch/fetch_guard.h"
#include "fetch/sha256.h"
#include "fetch/stale_temporaries.h"
#include "nst/weights.h"

#include <filesystem>
#include <system_error>

namespace nst {
namespace {

namespace fs = std::filesystem;

// Turns the full published .pth into the features cache and returns the
// cache's path, or the .pth's when the cache cannot be written (read-only
// folder, full disk, a file without the tensors: load_model then says why).
// A cancel is not a failure to fall back from: it ends ensure_weights.
std::string features_cache_or(const std::string &pth, bool remove_pth,
                              const std::atomic<bool> *cancel) {
  const std::string folder = fetch::plugin_cache_folder();
  if (folder.empty())
    return pth;
  const std::string cache = folder + "/" + kFeaturesCacheFileName;
  try {
    std::error_code ignored;
    fs::create_directories(folder, ignored);
    fetch::write_features_cache(pth, cache, cancel);
  } catch (const Error &error) {
    if (error.code() == ErrorCode::cancelled)
      throw;
    return pth;
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

bool is_named(const std::string &path, const char *name) {
  return fs::path(path).filename() == name;
}

// The features cache is ours to rebuild; a file that no longer reads as one
// would otherwise be reported by every run.
bool features_cache_reads(const std::string &path) {
  try {
    fetch::check_features_cache(path);
    return true;
  } catch (const std::exception &) {
    return false;
  }
}

// The file to load, converting a published .pth in a cache into the features
// cache and removing a broken features cache; "" when nothing was found.
std::string find_weights(const std::string &explicit_path, WeightsLocation &location,
                         const std::atomic<bool> *cancel) {
  for (bool first = true;; first = false) {
    const Status located = locate_weights(explicit_path, location);
    if (!located.ok())
      throw Error(located.code, located.message);
    if (!location.found)
      return "";
    if (location.source == "cache" && is_named(location.path, kFeaturesCacheFileName)) {
      if (!first || features_cache_reads(location.path))
        return location.path;
      std::error_code ignored;
      fs::remove(location.path, ignored); // then the .pth, PyTorch's copy or a download
      continue;
    }
    const bool convertible = (location.source == "cache" || location.source == "torch-hub") &&
                             is_named(location.path, kPublishedWeightsFileName);
    return convertible ? features_cache_or(location.path, location.source == "cache", cancel)
                       : location.path;
  }
}

DownloadOptions published_download(const std::string &destination) {
  DownloadOptions options;
  options.destination = destination;
  const auto url = fetch::environment_variable(kWeightsUrlEnvironmentVariable);
  options.url = url && !url->empty() ? *url : kPublishedWeightsUrl;
  const auto sha256 = fetch::environment_variable(kWeightsSha256EnvironmentVariable);
  if (!sha256) {
    options.expected_sha256 = kPublishedWeightsSha256;
    options.expected_bytes = kPublishedWeightsBytes;
  } else if (sha256->empty() || fetch::is_sha256_digest(*sha256)) {
    options.expected_sha256 = *sha256; // another file: its size is not known
  } else {
    throw Error(ErrorCode::invalid_argument,
                "$" + std::string(kWeightsSha256EnvironmentVariable) + " is '" + *sha256 +
                    "': expected the weights file's full SHA-256 (64 hex digits), or empty " +
                    "for no check");
  }
  return options;
}

} // namespace

Status ensure_weights(const std::string &explicit_path, std::string &path,
                      const std::function<void(const DownloadProgress &)> &progress,
                      const std::atomic<bool> *cancel) {
  return fetch::guard_fetch("ensure_weights", [&] {
    path.clear();
    fetch::remove_stale_temporaries(fetch::plugin_cache_folder());
    WeightsLocation location;
    path = find_weights(explicit_path, location, cancel);
    if (!path.empty())
      return Status::success();
    if (location.download_path.empty())
      throw Error(ErrorCode::file_not_found,
                  "no VGG19 weights were found, and there is no cache folder to download them "
                  "into: neither $XDG_CACHE_HOME nor $HOME is set");

    DownloadOptions options = published_download(location.download_path);
    options.progress = progress;
    options.cancel = cancel;
    fetch::prepare_download(options);
    // Held until the features cache is written, so a waiting process finds it.
    const fetch::DownloadLock lock(options);
    if (lock.waited() && !(path = find_weights(explicit_path, location, cancel)).empty())
      return Status::success();
    fetch::download_locked(options);
    path = features_cache_or(location.download_path, true, cancel);
    return Status::success();
  });
}

} // namespace nst
