// The folders the weights search looks in, from the environment, as the XDG
// base-directory rules and PyTorch's hub define them.
#pragma once

#include <optional>
#include <string>

namespace nst::fetch {

// The variable's value, or nullopt when it is not set.
std::optional<std::string> environment_variable(const char *name);

// $HOME, else the password database's entry; empty when neither says.
std::string home_folder();

// $XDG_CACHE_HOME when it is an absolute path (the spec ignores others),
// else ~/.cache; empty when there is no home folder either.
std::string user_cache_folder();

// The plug-in's own cache: <user cache>/neural-style-transfer.
std::string plugin_cache_folder();

// PyTorch's download folder: $TORCH_HOME/hub/checkpoints, TORCH_HOME being
// <user cache>/torch when unset; "~/" is expanded as PyTorch does.
std::string torch_hub_checkpoints_folder();

} // namespace nst::fetch
