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

// torchvision's published VGG19 (ImageNet) weights,
// https://download.pytorch.org/models/vgg19-dcbb9e9d.pth
extern const char *const kPublishedWeightsUrl;
extern const char *const kPublishedWeightsFileName; // vgg19-dcbb9e9d.pth
extern const std::uint64_t kPublishedWeightsBytes;  // its exact size: 574673361
// Its full SHA-256 (torchvision's file name holds only the first 8 digits).
extern const char *const kPublishedWeightsSha256; // dcbb9e9dad56...

// Environment variable naming a weights file (second in the search order).
extern const char *const kWeightsEnvironmentVariable; // NST_VGG19_WEIGHTS

// ensure_weights downloads from $NST_VGG19_URL instead of the published URL
// when it is set and not empty (tests, mirrors), and checks the download
// against $NST_VGG19_SHA256 when that is set instead of kPublishedWeightsSha256
// and kPublishedWeightsBytes (the variable names another file, whose size is
// not known). It must hold a full digest, 64 hex digits: anything shorter is
// refused (invalid_argument), because a prefix can be matched by a made-up
// file. Set but empty = no check at all.
extern const char *const kWeightsUrlEnvironmentVariable;    // NST_VGG19_URL
extern const char *const kWeightsSha256EnvironmentVariable; // NST_VGG19_SHA256

// The compact cache of the sixteen convolutions' float32 weights and biases
// ("features.N.weight/bias" only), written into the cache folder after a
// download; about 80 MB instead of 548 MB, and quicker to load.
extern const char *const kFeaturesCacheFileName; // vgg19-features.safetensors

struct WeightsLocation {
  bool found = false;
  std::string path;   // the file to load, when found
  std::string source; // "argument", "environment", "cache", "torch-hub"
  // Where a download would be written when nothing was found.
  std::string download_path;
};

// The search order: `explicit_path` (when not empty), $NST_VGG19_WEIGHTS, the
// features-only cache and the download under $XDG_CACHE_HOME/neural-style-transfer
// (~/.cache/neural-style-transfer), then PyTorch's cache ($TORCH_HOME/hub/checkpoints,
// TORCH_HOME defaulting to $XDG_CACHE_HOME/torch, as PyTorch does).
// An explicit path or variable that names a missing file is an error
// (file_not_found), not a reason to look further. Finding nothing is no
// error: `found` stays false and `download_path` says where a download goes.
Status locate_weights(const std::string &explicit_path, WeightsLocation &location);

struct DownloadProgress {
  std::uint64_t received_bytes = 0;
  std::uint64_t total_bytes = 0; // 0 when unknown
  // Another process is downloading the same file and this one waits for it;
  // the bytes are the other's, read from its part file.
  bool waiting = false;
};

struct DownloadOptions {
  std::string url = kPublishedWeightsUrl;
  std::string destination;     // final path; "<destination>.part" holds a partial file
  std::string expected_sha256; // the full hex digest (64 digits); empty = none
  // The file's exact size (0 = unknown): a server announcing or sending more is
  // refused before the extra bytes reach the disk, and a file of another size fails.
  std::uint64_t expected_bytes = 0;
  long timeout_seconds = 0; // 0 = none; stalls are detected separately
  long stall_seconds = 30;  // fail when under 1 KB/s for this long (0 = never)
  std::function<void(const DownloadProgress &)> progress;
  const std::atomic<bool> *cancel = nullptr;
};

// Downloads `url` (http or https) to `destination`, resuming a partial file,
// checking the SHA-256 and renaming atomically only when the file is complete
// and right. A redirect from https to http is refused. A second download of
// the same destination (another process or thread) waits for the first, then
// uses its file. Errors: download_failed (network, HTTP >= 400, stall; the
// partial file is kept for the next call; a server sending more than
// expected_bytes: the partial file is removed), cancelled (kept too),
// checksum_mismatch (wrong digest or size: the file is removed), disk_full
// (also for a file-size limit), file_unreadable (e.g. the part file is a
// symbolic link), invalid_argument.
// `progress` is called on the calling thread, at most about ten times a second.
Status download_file(const DownloadOptions &options);

// Makes sure weights are on disk: locates them, downloads the published file
// when none is found, and after a download writes the compact features-only
// cache that later runs load. `path` receives the file to load.
// A full .pth found in the cache folder or PyTorch's cache is turned into the
// features cache too (the downloaded .pth is then removed; PyTorch's is kept).
// Files named by `explicit_path` or $NST_VGG19_WEIGHTS are used as they are.
// When the cache cannot be written, `path` is the .pth itself. A features
// cache that no longer reads is removed and built again (from a .pth found,
// else a download); temporary files of a conversion killed more than 15
// minutes ago are removed. A caller finding another's download running
// waits for it (progress says `waiting`) and then uses its result.
Status ensure_weights(const std::string &explicit_path, std::string &path,
                      const std::function<void(const DownloadProgress &)> &progress = {},
                      const std::atomic<bool> *cancel = nullptr);

} // namespace nst
