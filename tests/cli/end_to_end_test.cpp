// The built neural-style program, run as a user would: small images written
// here, the narrow VGG19 fixture from ../shared (or written with
// $NST_PYTHON) as weights. Its path is the
// first argument after GoogleTest's own.
//   cli_end_to_end_test [gtest flags] BUILD/engine/cli/neural-style
#include "fixture_dirs.h"
#include "image_io.h"
#include "temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace nst_cli {
namespace {

using nst_cli_test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;

std::string g_program; // set by main()

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool exists(const std::string &path) {
  return access(path.c_str(), F_OK) == 0;
}

// The narrow VGG19 of ../shared, or one written with $NST_PYTHON; empty,
// with a failure saying why, when neither is there.
std::string weights_fixture() {
  std::string why_not;
  const auto dir = nst::fixtures::narrow_vgg19_dir(why_not);
  if (!dir) {
    ADD_FAILURE() << why_not;
    return "";
  }
  return *dir + "/vgg19-narrow.safetensors";
}

// A started neural-style: stdout and stderr go to files in `dir`.
class Process {
public:
  Process(const std::vector<std::string> &arguments, const TempDir &dir)
      : out_(dir.file("stdout.txt")), err_(dir.file("stderr.txt")) {
    std::vector<char *> argv;
    std::vector<std::string> all = {g_program};
    all.insert(all.end(), arguments.begin(), arguments.end());
    for (auto &argument : all)
      argv.push_back(&argument[0]);
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      const int out = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(out, STDOUT_FILENO);
      dup2(err, STDERR_FILENO);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }

  // The exit status, or -1 when it ran past `seconds` (it is killed then).
  int wait(double seconds = 120) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (true) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_)
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // Waits until stderr holds `text`; false after `seconds`.
  bool wait_for_stderr(const std::string &text, double seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (stderr_text().find(text) != std::string::npos)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  void signal(int number) { kill(pid_, number); }
  std::string stdout_text() const { return read_file(out_); }
  std::string stderr_text() const { return read_file(err_); }

private:
  std::string out_, err_;
  pid_t pid_ = -1;
};

// Two small images with some structure, the content 48x40 and 16-bit.
void write_inputs(const TempDir &dir) {
  nst::Image content, style;
  content.width = 48;
  content.height = 40;
  style.width = 32;
  style.height = 32;
  for (int y = 0; y < content.height; ++y)
    for (int x = 0; x < content.width; ++x) {
      content.pixels.push_back(x / 47.0f);
      content.pixels.push_back(y / 39.0f);
      content.pixels.push_back((x / 8 + y / 8) % 2 ? 0.8f : 0.2f);
    }
  for (int y = 0; y < style.height; ++y)
    for (int x = 0; x < style.width; ++x) {
      const bool stripe = (x + y) / 4 % 2 != 0;
      style.pixels.push_back(stripe ? 0.9f : 0.1f);
      style.pixels.push_back(0.4f);
      style.pixels.push_back(stripe ? 0.2f : 0.7f);
    }
  ASSERT_TRUE(write_image(dir.file("content.png"), content, 16).ok());
  ASSERT_TRUE(write_image(dir.file("style.png"), style, 8).ok());
}

int count(const std::string &text, const std::string &needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

TEST(NeuralStyle, HelpAndVersion) {
  TempDir dir;
  Process help({"--help"}, dir);
  EXPECT_EQ(help.wait(), 0);
  EXPECT_THAT(help.stdout_text(), HasSubstr("--content FILE"));
  EXPECT_THAT(help.stdout_text(), HasSubstr("--preserve-colors"));

  Process version({"--version"}, dir);
  EXPECT_EQ(version.wait(), 0);
  EXPECT_THAT(version.stdout_text(), HasSubstr("neural-style "));
}

TEST(NeuralStyle, UsageErrorExitsTwoNamingTheOption) {
  TempDir dir;
  Process process(
      {"--content", "c.png", "--style", "s.png", "--output", "o.png", "--iterations", "many"}, dir);
  EXPECT_EQ(process.wait(), 2);
  EXPECT_THAT(process.stderr_text(), HasSubstr("--iterations"));
  EXPECT_THAT(process.stderr_text(), HasSubstr("'many'"));
  EXPECT_THAT(process.stderr_text(), HasSubstr("--help"));
}

TEST(NeuralStyle, MissingStyleFileIsARunErrorNamingIt) {
  TempDir dir;
  write_inputs(dir);
  const std::string missing = dir.file("no-such-style.png");
  Process process({"--content", dir.file("content.png"), "--style", missing, "--output",
                   dir.file("out.png"), "--weights", dir.file("unused.safetensors")},
                  dir);
  EXPECT_EQ(process.wait(), 1);
  EXPECT_THAT(process.stderr_text(), HasSubstr(missing));
  EXPECT_FALSE(exists(dir.file("out.png")));
}

TEST(NeuralStyle, MissingWeightsFileIsARunErrorNamingIt) {
  TempDir dir;
  write_inputs(dir);
  const std::string missing = dir.file("absent.safetensors");
  Process process({"--content", dir.file("content.png"), "--style", dir.file("style.png"),
                   "--output", dir.file("out.png"), "--weights", missing},
                  dir);
  EXPECT_EQ(process.wait(), 1);
  EXPECT_THAT(process.stderr_text(), HasSubstr(missing));
  EXPECT_FALSE(exists(dir.file("out.png")));
}

TEST(NeuralStyle, StylisesSmallImagesAndWritesStatistics) {
  const std::string weights = weights_fixture();
  ASSERT_FALSE(weights.empty());
  TempDir dir;
  write_inputs(dir);
  const std::string output = dir.file("out.png");
  const std::string stats = dir.file("s.json");
  Process process({"--content", dir.file("content.png"), "--style", dir.file("style.png") + ":1",
                   "--output", output, "--weights", weights, "--size", "48", "--iterations", "3",
                   "--device", "cpu", "--stats", stats},
                  dir);
  ASSERT_EQ(process.wait(), 0) << process.stderr_text();

  LoadedImage result;
  const nst::Status status = read_image(output, result);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(result.image.width, 48);
  EXPECT_EQ(result.image.height, 40);
  EXPECT_EQ(result.bit_depth, 16); // like the content

  const std::string json = read_file(stats);
  EXPECT_EQ(count(json, "{\"scale\": "), 3) << json; // 3 steps at one scale
  EXPECT_THAT(json, HasSubstr("\"device\": \"cpu\""));
  EXPECT_THAT(json, HasSubstr("\"stopped_early\": false"));
  EXPECT_THAT(json, HasSubstr("\"total_seconds\": "));
  // The dialog's estimate, made before the run: some time, however short.
  EXPECT_THAT(json, HasSubstr("\"estimated_seconds\": "));
  EXPECT_THAT(json, Not(HasSubstr("\"estimated_seconds\": 0,")));
  EXPECT_THAT(json, HasSubstr("\"peak_memory_bytes\": "));
  // Not a terminal: plain progress lines, then the summary.
  EXPECT_THAT(process.stderr_text(), HasSubstr("step 3/3"));
  EXPECT_THAT(process.stderr_text(), HasSubstr(output));
}

TEST(NeuralStyle, QuietJpegOutputAt8Bits) {
  const std::string weights = weights_fixture();
  ASSERT_FALSE(weights.empty());
  TempDir dir;
  write_inputs(dir);
  const std::string output = dir.file("out.jpg");
  Process process({"--content", dir.file("content.png"), "--style", dir.file("style.png"),
                   "--output", output, "--weights", weights, "--size", "32", "--iterations", "2",
                   "--optimizer", "adam", "--device", "cpu", "--quiet"},
                  dir);
  ASSERT_EQ(process.wait(), 0) << process.stderr_text();
  EXPECT_EQ(process.stderr_text(), "");
  LoadedImage result;
  ASSERT_TRUE(read_image(output, result).ok());
  EXPECT_EQ(result.image.width, 48); // the content's size, whatever --size
  EXPECT_EQ(result.image.height, 40);
}

TEST(NeuralStyle, FirstCtrlCStopsAndWritesTheResultSoFar) {
  const std::string weights = weights_fixture();
  ASSERT_FALSE(weights.empty());
  TempDir dir;
  write_inputs(dir);
  const std::string output = dir.file("out.png");
  const std::string stats = dir.file("s.json");
  // Far more steps than the test waits for: only the stop ends it in time.
  Process process({"--content", dir.file("content.png"), "--style", dir.file("style.png"),
                   "--output", output, "--weights", weights, "--size", "32", "--iterations",
                   "100000", "--device", "cpu", "--stats", stats},
                  dir);
  ASSERT_TRUE(process.wait_for_stderr("step 1/", 60)) << process.stderr_text();
  process.signal(SIGINT);
  ASSERT_EQ(process.wait(60), 0) << process.stderr_text();
  EXPECT_TRUE(exists(output));
  const std::string json = read_file(stats);
  EXPECT_THAT(json, HasSubstr("\"stopped_early\": true"));
  EXPECT_LT(count(json, "{\"scale\": "), 100000);
  EXPECT_THAT(process.stderr_text(), HasSubstr("Stopped early"));
}

} // namespace
} // namespace nst_cli

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s [gtest flags] PATH/TO/neural-style\n", argv[0]);
    return 2;
  }
  nst_cli::g_program = argv[1];
  // Untranslated messages, whatever the caller's language.
  setenv("LC_ALL", "C", 1);
  setenv("LANGUAGE", "C", 1);
  return RUN_ALL_TESTS();
}
