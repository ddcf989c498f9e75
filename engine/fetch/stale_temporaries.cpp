#include "fetch/stale_temporaries.h"

#include "nst/weights.h"

#include <filesystem>
#include <system_error>

namespace nst::fetch {

namespace fs = std::filesystem;

void remove_stale_temporaries(const std::string &folder, std::chrono::seconds age) {
  if (folder.empty())
    return;
  const std::string prefix = std::string(kFeaturesCacheFileName) + ".tmp-";
  const auto cutoff = fs::file_time_type::clock::now() - age;
  std::error_code error;
  for (fs::directory_iterator entry(folder, error), end; !error && entry != end;
       entry.increment(error)) {
    if (entry->path().filename().string().rfind(prefix, 0) != 0)
      continue;
    std::error_code failed;
    const bool regular = fs::symlink_status(entry->path(), failed).type() == fs::file_type::regular;
    const auto modified = fs::last_write_time(entry->path(), failed);
    if (regular && !failed && modified < cutoff)
      fs::remove(entry->path(), failed);
  }
}

} // namespace nst::fetch
