// Where the VGG19 weights come from, and their first-use download.
// No GIMP, GTK or LibTorch types; no exception crosses these functions.
#pragma once

#include "nst/status.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nst {

// torchvision's published VGG19 (ImageNet) weights.
extern const char *const kPublishedWeightsUrl;      // https://download.pytorch.org/models/vgg19-dcbb9e9d.pth
extern const char *const kPublishedWeightsFileName; // vgg19-dcbb9e9d.pth
extern const std::uint64_t kPublishedWeightsBytes;  // its size, for "will download N MB"

// Environment variable naming a weights file (second in the search order).
extern const char *const kWeightsEnvironmentVariable; // NST_VGG19_WEIGHTS

struct WeightsLocation {
  bool found = false;
  std::string path;   // the file to load, when found
  std::string source; // "argument", "environment", "cache", "torch-hub"
  // Where a download would be written when nothing was found.
  std::string download_path;
};

// The search order: `explicit_path` (when not empty), $NST_VGG19_WEIGHTS, the
// features-only cache and the download under $XDG_CACHE_HOME/neural-style-transfer,
// then PyTorch's cache ($TORCH_HOME/hub/checkpoints or ~/.cache/torch/hub/checkpoints).
// An explicit path or variable that names a missing file is an error, not a
// reason to look further.
Status locate_weights(const std::string &explicit_path, WeightsLocation &location);

struct DownloadProgress {
  std::uint64_t received_bytes = 0;
  std::uint64_t total_bytes = 0; // 0 when unknown
};

struct DownloadOptions {
  std::string url = kPublishedWeightsUrl;
  std::string destination;     // final path; "<destination>.part" holds a partial file
  std::string expected_sha256; // full hex digest, or a prefix of it; empty = none
  long timeout_seconds = 0;    // 0 = none; stalls are detected separately
  std::function<void(const DownloadProgress &)> progress;
  const std::atomic<bool> *cancel = nullptr;
};

// Downloads `url` to `destination`, resuming a partial file, checking the
// SHA-256 and renaming atomically only when the file is complete and right.
Status download_file(const DownloadOptions &options);

// Makes sure weights are on disk: locates them, downloads the published file
// when none is found, and after a download writes the compact features-only
// cache that later runs load. `path` receives the file to load.
Status ensure_weights(const std::string &explicit_path, std::string &path,
                      const std::function<void(const DownloadProgress &)> &progress = {},
                      const std::atomic<bool> *cancel = nullptr);

} // namespace nst
