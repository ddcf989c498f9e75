// Test state that puts itself back: a temporary folder removed with what
// it holds, and environment variables restored when the scope ends. Any
// test folder may link them (test_fixtures_dep).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace nst::testing {

// A fresh folder under $TMPDIR (or /tmp), removed with everything in it.
class TemporaryFolder {
public:
  TemporaryFolder();
  ~TemporaryFolder();
  TemporaryFolder(const TemporaryFolder &) = delete;
  TemporaryFolder &operator=(const TemporaryFolder &) = delete;
  const std::string &path() const { return path_; }
  std::string operator/(const std::string &name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

// Sets and unsets variables; the destructor puts back what was there.
class ScopedEnvironment {
public:
  ScopedEnvironment() = default;
  ~ScopedEnvironment();
  ScopedEnvironment(const ScopedEnvironment &) = delete;
  ScopedEnvironment &operator=(const ScopedEnvironment &) = delete;
  void set(const std::string &name, const std::string &value);
  void unset(const std::string &name);

private:
  void remember(const std::string &name);
  std::map<std::string, std::optional<std::string>> saved_;
};

} // namespace nst::testing
