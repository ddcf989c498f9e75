#include "fixture_dirs.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace nst::fixtures {
namespace fs = std::filesystem;

namespace {

// Folders made by temporary_dir(), removed when the program ends.
struct TemporaryDirs {
  std::mutex mutex;
  std::vector<std::string> dirs;
  ~TemporaryDirs() {
    for (const std::string &dir : dirs) {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  }
};
TemporaryDirs &temporary_dirs() {
  static TemporaryDirs dirs;
  return dirs;
}

const char *const kNarrowVgg19Files[] = {
    "vgg19-narrow.safetensors",   "vgg19-narrow-zip.pth",      "vgg19-narrow-legacy-v2.pth",
    "vgg19-narrow-legacy-v1.pth", "vgg19-narrow-expected.txt",
};

// One run of the script, made at the first call.
struct Generated {
  std::once_flag once;
  std::optional<std::string> dir;
  std::string why_not;
};

// Runs make_weight_fixtures.py [option] OUTDIR into a fresh folder; the
// folder once `check` is in it, otherwise why not.
void generate(Generated &generated, const std::string &option, const std::string &check) {
  const char *python = std::getenv("NST_PYTHON");
  const char *source = std::getenv("NST_SOURCE_DIR");
  if (python == nullptr || *python == '\0') {
    generated.why_not = "NST_PYTHON is not set (no python3 found at configure time; run the tests "
                        "with meson test, configured in the Debian 13 root where python3-torch is)";
    return;
  }
  if (source == nullptr || *source == '\0') {
    generated.why_not = "NST_SOURCE_DIR is not set (run the tests with meson test)";
    return;
  }
  const std::string out = temporary_dir();
  const std::string command =
      shell_quote(python) + " " +
      shell_quote(std::string(source) + "/tests/tools/make_weight_fixtures.py") + " " +
      (option.empty() ? "" : option + " ") + shell_quote(out) + " 2>&1";
  std::string output;
  if (FILE *pipe = ::popen(command.c_str(), "r")) {
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr)
      output += buffer;
    const int status = ::pclose(pipe);
    if (status == 0 && fs::exists(out + "/" + check)) {
      generated.dir = out;
      return;
    }
  }
  generated.why_not = "Python with torch could not write the fixtures (" + std::string(python) +
                      "; are python3-torch and python3-safetensors installed?): " +
                      output.substr(output.size() > 300 ? output.size() - 300 : 0);
}

} // namespace

std::optional<std::string> python_fixture_dir(std::string &why_not) {
  static Generated tiny;
  std::call_once(tiny.once, [] { generate(tiny, "", "tiny-expected.txt"); });
  why_not = tiny.why_not;
  return tiny.dir;
}

std::optional<std::string> narrow_vgg19_dir(std::string &why_not) {
  if (const auto shared = shared_fixture_dir()) {
    bool complete = true;
    for (const char *name : kNarrowVgg19Files)
      complete = complete && fs::exists(*shared + "/" + name);
    if (complete)
      return shared;
  }
  static Generated narrow;
  std::call_once(narrow.once,
                 [] { generate(narrow, "--vgg19-narrow", "vgg19-narrow-expected.txt"); });
  if (!narrow.dir)
    why_not = "no narrow VGG19 fixtures: $NST_SHARED_DIR/fixtures/weights lacks them (they come "
              "with the project's shared folder beside the checkout) and " +
              narrow.why_not;
  return narrow.dir;
}

std::optional<std::string> shared_fixture_dir() {
  const char *shared = std::getenv("NST_SHARED_DIR");
  if (shared == nullptr || *shared == '\0')
    return std::nullopt;
  const std::string dir = std::string(shared) + "/fixtures/weights";
  if (!fs::is_directory(dir))
    return std::nullopt;
  return dir;
}

std::string temporary_dir() {
  std::string pattern = (fs::temp_directory_path() / "nst-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("cannot make a temporary folder");
  TemporaryDirs &dirs = temporary_dirs();
  const std::lock_guard<std::mutex> lock(dirs.mutex);
  dirs.dirs.push_back(pattern);
  return pattern;
}

std::string shell_quote(const std::string &text) {
  std::string out = "'";
  for (const char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

} // namespace nst::fixtures
