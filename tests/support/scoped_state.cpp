#include "scoped_state.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace nst::testing {

namespace fs = std::filesystem;

TemporaryFolder::TemporaryFolder() {
  const char *base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/nst-test-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (!::mkdtemp(name.data()))
    throw std::runtime_error("cannot create a temporary folder from " + pattern);
  path_ = name.data();
}

TemporaryFolder::~TemporaryFolder() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

ScopedEnvironment::~ScopedEnvironment() {
  for (const auto &[name, value] : saved_) {
    if (value)
      ::setenv(name.c_str(), value->c_str(), 1);
    else
      ::unsetenv(name.c_str());
  }
}

void ScopedEnvironment::remember(const std::string &name) {
  if (saved_.count(name))
    return;
  const char *value = std::getenv(name.c_str());
  saved_[name] = value ? std::optional<std::string>(value) : std::nullopt;
}

void ScopedEnvironment::set(const std::string &name, const std::string &value) {
  remember(name);
  ::setenv(name.c_str(), value.c_str(), 1);
}

void ScopedEnvironment::unset(const std::string &name) {
  remember(name);
  ::unsetenv(name.c_str());
}

} // namespace nst::testing
