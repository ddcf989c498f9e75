// The temporary files a killed features-cache conversion leaves behind
// ("vgg19-features.safetensors.tmp-XXXXXX", about 80 MB each).
#pragma once

#include <chrono>
#include <string>

namespace nst::fetch {

// mkstemp's names carry no process id, so age decides: a live conversion
// writes its file continuously and renames it within seconds, so one
// untouched for this long belongs to a process that died.
constexpr std::chrono::minutes kStaleTemporaryAge{15};

// Removes the features cache's temporary files in `folder` last modified
// more than `age` ago; regular files only, never through a link. Failures
// are ignored: the files are clutter, not a reason to stop.
void remove_stale_temporaries(const std::string &folder,
                              std::chrono::seconds age = kStaleTemporaryAge);

} // namespace nst::fetch
