// Shared by the fetch tests: temporary folders, environment variables set
// for one test and restored after it, and small file helpers.
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

// Writes `bytes`, creating the parent folders.
void write_file(const std::string &path, const std::string &bytes);
std::string read_file(const std::string &path);
bool file_exists(const std::string &path);

// `size` bytes that differ from place to place, so a misplaced range shows.
std::string pseudo_random_bytes(std::size_t size, unsigned seed = 1);

} // namespace nst::testing
