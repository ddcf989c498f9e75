// The progress display: its text, the estimate it shows and when it prints.
#include "progress_bar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace nst_cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

nst::Progress at(int scale, int scales, int step, int steps, int total_step, int total_steps) {
  nst::Progress progress;
  progress.scale_index = scale;
  progress.scale_count = scales;
  progress.step = step;
  progress.steps_in_scale = steps;
  progress.total_step = total_step;
  progress.total_steps = total_steps;
  return progress;
}

// What a ProgressBar printed into a temporary file.
class Captured {
public:
  Captured() : file_(std::tmpfile()) {}
  ~Captured() { std::fclose(file_); }
  std::FILE *file() { return file_; }
  std::string text() {
    std::fflush(file_);
    std::rewind(file_);
    std::string out;
    for (int c; (c = std::fgetc(file_)) != EOF;)
      out += static_cast<char>(c);
    return out;
  }

private:
  std::FILE *file_;
};

TEST(ProgressBar, LineShowsScaleStepLossTimes) {
  nst::Progress progress = at(1, 2, 3, 10, 33, 40);
  progress.total_loss = 12345.678;
  progress.elapsed_seconds = 75;
  const std::string line = progress_line(progress, 90, 20);
  EXPECT_THAT(line, HasSubstr("scale 2/2"));
  EXPECT_THAT(line, HasSubstr("step 3/10"));
  EXPECT_THAT(line, HasSubstr("loss 1.235e+04"));
  EXPECT_THAT(line, HasSubstr("1:15"));
  EXPECT_THAT(line, HasSubstr("ETA 1:30"));
  // 33 of 40 steps: 16.5 of 20 cells, rounded.
  EXPECT_THAT(line, HasSubstr("[#################...]"));
  EXPECT_THAT(progress_line(progress, -1, 20), Not(HasSubstr("ETA")));
}

TEST(ProgressBar, ShowsTheEnginesEstimate) {
  Captured out;
  ProgressBar bar(out.file(), ProgressBar::Mode::lines);
  nst::Progress progress = at(0, 1, 1, 3, 1, 3);
  progress.remaining_seconds = 125;
  bar.update(progress);
  EXPECT_THAT(out.text(), HasSubstr("ETA 2:05"));
}

TEST(ProgressBar, LinesModePrintsEveryFewSteps) {
  Captured out;
  ProgressBar bar(out.file(), ProgressBar::Mode::lines);
  for (int step = 1; step <= 25; ++step)
    bar.update(at(0, 1, step, 25, step, 25));
  bar.finish();
  const std::string text = out.text();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4); // steps 1, 10, 20, 25
  EXPECT_THAT(text, HasSubstr("step 10/25"));
  EXPECT_THAT(text, Not(HasSubstr("step 11/25")));
  EXPECT_THAT(text, Not(HasSubstr("\r")));
}

TEST(ProgressBar, TerminalModeRedrawsInPlace) {
  Captured out;
  ProgressBar bar(out.file(), ProgressBar::Mode::terminal);
  for (int step = 1; step <= 3; ++step)
    bar.update(at(0, 1, step, 3, step, 3));
  bar.finish(); // already ended by the last step: no second newline
  const std::string text = out.text();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 3);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
  EXPECT_EQ(text.back(), '\n');
}

TEST(ProgressBar, SilentModePrintsNothing) {
  Captured out;
  ProgressBar bar(out.file(), ProgressBar::Mode::silent);
  bar.update(at(0, 1, 1, 3, 1, 3));
  bar.download(10, 100);
  bar.finish();
  EXPECT_EQ(out.text(), "");
}

TEST(ProgressBar, AJobsDownloadLineEndsOnceThenStepsRedrawInPlace) {
  Captured out;
  ProgressBar bar(out.file(), ProgressBar::Mode::terminal);
  nst::JobProgress progress;
  progress.stage = nst::JobProgress::Stage::download;
  progress.download = {50'000'000, 100'000'000};
  bar.show(progress);
  progress.stage = nst::JobProgress::Stage::load_model;
  bar.show(progress);
  progress.stage = nst::JobProgress::Stage::stylise;
  bar.show(progress); // preparing the style: nothing to draw
  for (int step = 1; step <= 3; ++step) {
    progress.step = at(0, 1, step, 3, step, 3);
    bar.show(progress);
  }
  const std::string text = out.text();
  // The download's line ends once; the steps share one line, ended at the last.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 4);
  EXPECT_THAT(text, HasSubstr("step 3/3"));
}

TEST(ProgressBar, DownloadProgressInALog) {
  Captured out;
  ProgressBar bar(out.file(), ProgressBar::Mode::lines);
  for (std::uint64_t received = 0; received <= 100'000'000; received += 1'000'000)
    bar.download(received, 100'000'000);
  const std::string text = out.text();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 11); // 0%, 10% .. 100%
  EXPECT_THAT(text, HasSubstr("100 of 100 MB (100%)"));
}

} // namespace
} // namespace nst_cli
