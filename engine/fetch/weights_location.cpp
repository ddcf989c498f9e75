// locate_weights: the search order of weights.h, first match wins.
#include "fetch/cache_folders.h"
#include "fetch/fetch_guard.h"
#include "nst/weights.h"

#include <sys/stat.h>

namespace nst {
namespace {

// A file a user named must exist; anything else is an error, not a miss.
void require_file(const std::string &path, const std::string &named_by) {
  struct stat info{};
  if (::stat(path.c_str(), &info) != 0)
    throw Error(ErrorCode::file_not_found,
                "the weights file '" + path + "' named by " + named_by + " does not exist");
  if (S_ISDIR(info.st_mode))
    throw Error(ErrorCode::file_not_found, "the weights file '" + path + "' named by " + named_by +
                                               " is a folder, not a file");
}

// Cache candidates count only as non-empty regular files (links followed).
bool usable_cache_file(const std::string &path) {
  struct stat info{};
  return !path.empty() && ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         info.st_size > 0;
}

std::string in_folder(const std::string &folder, const char *name) {
  return folder.empty() ? std::string() : folder + "/" + name;
}

} // namespace

Status locate_weights(const std::string &explicit_path, WeightsLocation &location) {
  return fetch::guard_fetch("locate_weights", [&] {
    location = WeightsLocation{};
    const std::string cache = fetch::plugin_cache_folder();
    location.download_path = in_folder(cache, kPublishedWeightsFileName);

    auto found = [&](const std::string &path, const char *source) {
      location.found = true;
      location.path = path;
      location.source = source;
      return Status::success();
    };

    if (!explicit_path.empty()) {
      require_file(explicit_path, "the weights-file argument");
      return found(explicit_path, "argument");
    }
    const auto variable = fetch::environment_variable(kWeightsEnvironmentVariable);
    if (variable && !variable->empty()) {
      require_file(*variable, "$" + std::string(kWeightsEnvironmentVariable));
      return found(*variable, "environment");
    }
    for (const std::string &path :
         {in_folder(cache, kFeaturesCacheFileName), location.download_path}) {
      if (usable_cache_file(path))
        return found(path, "cache");
    }
    const std::string hub =
        in_folder(fetch::torch_hub_checkpoints_folder(), kPublishedWeightsFileName);
    if (usable_cache_file(hub))
      return found(hub, "torch-hub");
    return Status::success();
  });
}

} // namespace nst
