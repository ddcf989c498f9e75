#include "fetch/cache_folders.h"

#include <cstdlib>
#include <vector>

#include <pwd.h>
#include <unistd.h>

namespace nst::fetch {
namespace {

std::string password_database_home() {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(size > 0 ? static_cast<std::size_t>(size) : 16384);
  passwd entry{};
  passwd *found = nullptr;
  if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found ||
      !found->pw_dir)
    return {};
  return found->pw_dir;
}

std::string join(const std::string &folder, const char *name) {
  return folder.empty() ? std::string() : folder + "/" + name;
}

} // namespace

std::optional<std::string> environment_variable(const char *name) {
  const char *value = std::getenv(name);
  if (!value)
    return std::nullopt;
  return std::string(value);
}

std::string home_folder() {
  const auto home = environment_variable("HOME");
  if (home && !home->empty())
    return *home;
  return password_database_home();
}

std::string user_cache_folder() {
  const auto xdg = environment_variable("XDG_CACHE_HOME");
  if (xdg && !xdg->empty() && (*xdg)[0] == '/')
    return *xdg;
  return join(home_folder(), ".cache");
}

std::string plugin_cache_folder() {
  return join(user_cache_folder(), "neural-style-transfer");
}

std::string torch_hub_checkpoints_folder() {
  std::string torch_home = environment_variable("TORCH_HOME").value_or("");
  if (torch_home.empty())
    torch_home = join(user_cache_folder(), "torch");
  else if (torch_home == "~" || torch_home.rfind("~/", 0) == 0) {
    const std::string home = home_folder();
    if (home.empty())
      return {};
    torch_home = home + torch_home.substr(1);
  }
  return join(join(torch_home, "hub"), "checkpoints");
}

} // namespace nst::fetch
