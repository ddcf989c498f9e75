// The --stats document: options, device, step records and totals; valid
// JSON (checked by Python's parser when the tests have one).
#include "stats_json.h"

#include "temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>

namespace nst_cli {
namespace {

using ::testing::HasSubstr;

nst::RunReport sample_report() {
  nst::RunReport report;
  report.device = "cpu";
  report.seconds = 1.5;
  report.estimated_seconds = 2.25;
  report.peak_memory_bytes = 123456789;
  report.run_peak_memory_bytes = 23456789;
  report.blas = "openblas-openmp";
  report.stopped_early = true;
  report.notes = {"Adam replaced L-BFGS at 6000x4000: \"memory\""};
  report.steps.push_back({0, 1, 0.1, 2.5e6, 3.0, 2.5e6 + 3.1, 0.25});
  report.steps.push_back({1, 2, std::nan(""), 1.0, 2.0, 3.0, 0.5});
  return report;
}

CliOptions sample_options() {
  CliOptions options;
  options.content_path = "content \"1\".png";
  options.styles = {{"a.png", 0.5f}, {"b.jpg", 1.0f}};
  options.output_path = "out.png";
  options.engine.options.scales = {256, 512};
  options.engine.model.device = nst::DeviceKind::cuda;
  options.engine.model.device_index = 1;
  return options;
}

TEST(StatsJson, StringsAreEscaped) {
  EXPECT_EQ(json_string("plain"), "\"plain\"");
  EXPECT_EQ(json_string("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
  EXPECT_EQ(json_string("caf\xC3\xA9"), "\"caf\xC3\xA9\"");
}

TEST(StatsJson, HoldsOptionsDeviceStepsAndTotals) {
  const std::string json = stats_json(sample_options(), sample_report());
  EXPECT_THAT(json, HasSubstr("\"content\": \"content \\\"1\\\".png\""));
  EXPECT_THAT(json, HasSubstr("{\"path\": \"a.png\", \"weight\": 0.5}"));
  EXPECT_THAT(json, HasSubstr("\"scales\": \"256,512\""));
  // Every parameter under its table key.
  for (const nst::Parameter &parameter : nst::parameters())
    EXPECT_THAT(json, HasSubstr(std::string("\"") + parameter.key + "\": ")) << parameter.key;
  EXPECT_THAT(json, HasSubstr("\"device\": \"cuda\"")); // asked for
  EXPECT_THAT(json, HasSubstr("\"device-index\": 1"));
  EXPECT_THAT(json, HasSubstr("\"device\": \"cpu\"")); // ran on
  EXPECT_THAT(json, HasSubstr("{\"scale\": 0, \"step\": 1, \"content_loss\": 0.1, "
                              "\"style_loss\": 2500000, \"tv_loss\": 3, \"total_loss\": "
                              "2500003.1, \"seconds\": 0.25}"));
  EXPECT_THAT(json, HasSubstr("\"content_loss\": null")); // NaN
  EXPECT_THAT(json, HasSubstr("\"total_seconds\": 1.5"));
  EXPECT_THAT(json, HasSubstr("\"estimated_seconds\": 2.25"));
  EXPECT_THAT(json, HasSubstr("\"peak_memory_bytes\": 123456789"));
  EXPECT_THAT(json, HasSubstr("\"run_peak_memory_bytes\": 23456789"));
  EXPECT_THAT(json, HasSubstr("\"blas\": \"openblas-openmp\""));
  EXPECT_THAT(json, HasSubstr("\"stopped_early\": true"));
  EXPECT_THAT(json,
              HasSubstr("\"notes\": [\"Adam replaced L-BFGS at 6000x4000: \\\"memory\\\"\"]"));
}

TEST(StatsJson, PythonReadsIt) {
  const char *python = std::getenv("NST_PYTHON");
  ASSERT_TRUE(python && *python)
      << "NST_PYTHON is not set: no JSON parser to check the document with (run the tests with "
         "meson test, configured where python3 is)";
  nst_cli_test::TempDir dir;
  const std::string path = dir.file("stats.json");
  ASSERT_TRUE(write_stats(path, sample_options(), sample_report()).ok());
  const std::string command = std::string(python) +
                              " -c \"import json,sys; d=json.load(open(sys.argv[1])); "
                              "assert len(d['steps']) == 2, d; "
                              "assert d['steps'][1]['content_loss'] is None; "
                              "assert d['options']['styles'][1]['path'] == 'b.jpg'; "
                              "assert d['stopped_early'] is True; "
                              "assert d['notes'][0].startswith('Adam replaced')\" '" +
                              path + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(StatsJson, UnwritablePathIsAnError) {
  nst_cli_test::TempDir dir;
  const std::string path = dir.file("absent/stats.json");
  const nst::Status status = write_stats(path, sample_options(), sample_report());
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message, HasSubstr(path));
}

} // namespace
} // namespace nst_cli
