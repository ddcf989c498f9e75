// Load time and peak memory of read_tensor_file on a full-size VGG19 in the
// 2017 legacy format of torchvision's vgg19-dcbb9e9d.pth (548 MiB), against
// the baseline of reading the whole file into memory.
//
//   load_benchmark [FILE]
//
// Without FILE, tests/tools/make_weight_fixtures.py --vgg19-full writes one
// (random values, real key names and shapes) into a temporary folder with
// $NST_PYTHON. Each step runs in a fresh child process, so its peak RSS
// (VmHWM) is its own; the best time of three runs is shown, page cache warm.
#include "base/error.h"
#include "fixture_dirs.h"
#include "weights/tensor_file.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using nst::weights::read_tensor_file;
using nst::weights::TensorFile;

struct Measurement {
  bool ok = false;
  double seconds = 0;
  long peak_kib = 0;  // VmHWM at the end of the step
  long final_kib = 0; // VmRSS at the end, after the step released what it held
};

long status_kib(const char *field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0)
      return std::strtol(line.c_str() + std::strlen(field), nullptr, 10);
  return -1;
}

// Runs `step` in a child process and reports its time and memory.
Measurement measure(const std::function<void()> &step) {
  int fds[2];
  if (::pipe(fds) != 0)
    return {};
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    Measurement m;
    try {
      const auto start = std::chrono::steady_clock::now();
      step();
      m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      m.ok = true;
    } catch (const std::exception &error) {
      std::fprintf(stderr, "step failed: %s\n", error.what());
    }
    m.peak_kib = status_kib("VmHWM:");
    m.final_kib = status_kib("VmRSS:");
    const ssize_t written = ::write(fds[1], &m, sizeof m);
    ::_exit(written == sizeof m ? 0 : 1);
  }
  ::close(fds[1]);
  Measurement m;
  if (::read(fds[0], &m, sizeof m) != sizeof m)
    m.ok = false;
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return m;
}

Measurement best_of_three(const std::function<void()> &step) {
  Measurement best;
  for (int i = 0; i < 3; ++i) {
    const Measurement m = measure(step);
    if (!m.ok)
      return m;
    if (!best.ok || m.seconds < best.seconds)
      best = m;
  }
  return best;
}

// The baseline: what any loader that reads the file (rather than mapping
// it) pays before parsing anything.
void read_whole_file(const std::string &path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0)
    throw std::runtime_error("cannot open " + path);
  std::vector<char> buffer(fs::file_size(path));
  std::size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t got = ::read(fd, buffer.data() + done, buffer.size() - done);
    if (got <= 0)
      break;
    done += static_cast<std::size_t>(got);
  }
  ::close(fd);
  if (done != buffer.size())
    throw std::runtime_error("short read");
}

// Converting the tensors a network is built from, keeping the copies (as the
// network does) and releasing the file afterwards.
void convert(const std::string &path, bool features_only) {
  std::vector<std::vector<float>> kept;
  {
    const TensorFile file = read_tensor_file(path);
    for (const auto &[name, tensor] : file.tensors)
      if (!features_only || name.rfind("features.", 0) == 0)
        kept.push_back(tensor.to_float32());
  }
  if (kept.empty())
    throw std::runtime_error("no tensors converted");
}

void print_row(const char *step, const Measurement &m) {
  if (!m.ok) {
    std::printf("%-44s %10s %14s %14s\n", step, "failed", "", "");
    return;
  }
  std::printf("%-44s %10.4f %10.1f MiB %10.1f MiB\n", step, m.seconds, m.peak_kib / 1024.0,
              m.final_kib / 1024.0);
}

using nst::fixtures::shell_quote;

} // namespace

int main(int argc, char **argv) {
  std::string path;
  std::string made_dir;
  if (argc > 1) {
    path = argv[1];
  } else {
    const char *python = std::getenv("NST_PYTHON");
    const char *source = std::getenv("NST_SOURCE_DIR");
    if (python == nullptr || *python == '\0' || source == nullptr) {
      std::printf("SKIP: give a weights file, or set NST_PYTHON (with torch) and "
                  "NST_SOURCE_DIR to write one\n");
      return 77;
    }
    std::string pattern = (fs::temp_directory_path() / "nst-load-benchmark-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      return 1;
    made_dir = pattern;
    path = made_dir + "/vgg19-legacy-full.pth";
    const std::string command =
        shell_quote(python) + " " +
        shell_quote(std::string(source) + "/tests/tools/make_weight_fixtures.py") +
        " --vgg19-full " + shell_quote(path);
    std::printf("writing a full-size VGG19 (legacy format) with PyTorch...\n");
    std::fflush(stdout);
    if (std::system(command.c_str()) != 0) {
      std::printf("SKIP: %s could not write the file (is python3-torch installed?)\n", python);
      fs::remove_all(made_dir);
      return 77;
    }
  }

  int tensors = 0;
  std::string format;
  try {
    const TensorFile file = read_tensor_file(path);
    tensors = static_cast<int>(file.tensors.size());
    format = nst::weights::file_format_name(file.format);
  } catch (const nst::Error &error) {
    std::printf("cannot read %s: %s\n", path.c_str(), error.what());
    return 1;
  }
  std::printf("\n%s: %s format, %d tensors, %.1f MiB; best of 3, warm page cache\n\n", path.c_str(),
              format.c_str(), tensors, fs::file_size(path) / 1048576.0);
  std::printf("%-44s %10s %14s %14s\n", "step", "seconds", "peak RSS", "RSS after");
  print_row("baseline: read() the whole file", best_of_three([&] { read_whole_file(path); }));
  print_row("read_tensor_file (mmap, parse pickles)",
            best_of_three([&] { read_tensor_file(path); }));
  print_row("read_tensor_file + to_float32 features.*",
            best_of_three([&] { convert(path, true); }));
  print_row("read_tensor_file + to_float32 every tensor",
            best_of_three([&] { convert(path, false); }));
  print_row("(empty step: the process itself)", best_of_three([] {}));

  if (!made_dir.empty())
    fs::remove_all(made_dir);
  return 0;
}
