// The command line's parsing: values land in the engine's options, and every
// bad value is a usage error that names its option and the value.
#include "cli_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nst_cli {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kRequired = {"--content", "c.png",    "--style",
                                            "s.png",     "--output", "o.png"};

std::vector<std::string> with_required(std::vector<std::string> extra) {
  std::vector<std::string> all = kRequired;
  all.insert(all.end(), extra.begin(), extra.end());
  return all;
}

CliOptions parse_ok(const std::vector<std::string> &extra) {
  CliOptions options;
  std::string error;
  EXPECT_TRUE(parse_arguments(with_required(extra), options, error)) << error;
  return options;
}

std::string parse_error(const std::vector<std::string> &arguments) {
  CliOptions options;
  std::string error;
  EXPECT_FALSE(parse_arguments(arguments, options, error));
  return error;
}

TEST(CliOptions, RequiredOnlyKeepsTheEngineDefaults) {
  const CliOptions options = parse_ok({});
  const nst::Options defaults;
  EXPECT_EQ(options.action, Action::run);
  EXPECT_EQ(options.content_path, "c.png");
  ASSERT_EQ(options.styles.size(), 1u);
  EXPECT_EQ(options.styles[0].path, "s.png");
  EXPECT_EQ(options.styles[0].weight, 1.0f);
  EXPECT_EQ(options.output_path, "o.png");
  EXPECT_EQ(options.engine.options.size, defaults.size);
  EXPECT_EQ(options.engine.options.iterations, defaults.iterations);
  EXPECT_EQ(options.engine.options.style_weight, defaults.style_weight);
  EXPECT_EQ(options.engine.options.optimizer, defaults.optimizer);
  EXPECT_EQ(options.engine.options.memory_limit_bytes, defaults.memory_limit_bytes);
  EXPECT_EQ(options.engine.model.device, nst::DeviceKind::automatic);
  EXPECT_EQ(options.output_depth, 0);
  EXPECT_FALSE(options.quiet);
  EXPECT_TRUE(options.stats_path.empty());
}

TEST(CliOptions, ValuesReachTheEngineOptions) {
  const CliOptions options = parse_ok({"--size=300",
                                       "--iterations",
                                       "7",
                                       "--content-weight",
                                       "2.5",
                                       "--style-weight",
                                       "1e4",
                                       "--tv-weight",
                                       "0",
                                       "--optimizer",
                                       "adam",
                                       "--learning-rate",
                                       "5",
                                       "--init",
                                       "noise",
                                       "--seed",
                                       "2147483647",
                                       "--device",
                                       "cuda:1",
                                       "--precision",
                                       "bf16",
                                       "--threads",
                                       "3",
                                       "--weights",
                                       "w.pth",
                                       "--caffe",
                                       "--pooling",
                                       "avg",
                                       "--style-scale",
                                       "0.5",
                                       "--memory-limit",
                                       "512",
                                       "--tile-size",
                                       "128",
                                       "--depth",
                                       "16",
                                       "--stats",
                                       "s.json",
                                       "--quiet"});
  EXPECT_EQ(options.engine.options.size, 300);
  EXPECT_EQ(options.engine.options.iterations, 7);
  EXPECT_EQ(options.engine.options.content_weight, 2.5);
  EXPECT_EQ(options.engine.options.style_weight, 1e4);
  EXPECT_EQ(options.engine.options.tv_weight, 0.0);
  EXPECT_EQ(options.engine.options.optimizer, nst::Optimizer::adam);
  EXPECT_EQ(options.engine.options.learning_rate, 5.0);
  EXPECT_EQ(options.engine.options.init, nst::Init::noise);
  EXPECT_EQ(options.engine.options.seed, 2147483647u);
  EXPECT_EQ(options.engine.model.device, nst::DeviceKind::cuda);
  EXPECT_EQ(options.engine.model.device_index, 1);
  EXPECT_EQ(options.engine.options.precision, nst::Precision::bf16);
  EXPECT_EQ(options.engine.model.threads, 3);
  EXPECT_EQ(options.engine.model.weights_path, "w.pth");
  EXPECT_EQ(options.engine.model.preprocessing, nst::Preprocessing::caffe);
  EXPECT_EQ(options.engine.model.pooling, nst::Pooling::average);
  EXPECT_FLOAT_EQ(options.engine.options.style_scale, 0.5f);
  EXPECT_EQ(options.engine.options.memory_limit_bytes, std::size_t{512} << 20);
  EXPECT_EQ(options.engine.options.tile_size, 128);
  EXPECT_EQ(options.output_depth, 16);
  EXPECT_EQ(options.stats_path, "s.json");
  EXPECT_TRUE(options.quiet);
}

TEST(CliOptions, DeviceSpellings) {
  EXPECT_EQ(parse_ok({"--device", "cpu"}).engine.model.device, nst::DeviceKind::cpu);
  EXPECT_EQ(parse_ok({"--device", "auto"}).engine.model.device, nst::DeviceKind::automatic);
  const CliOptions cuda = parse_ok({"--device", "cuda"});
  EXPECT_EQ(cuda.engine.model.device, nst::DeviceKind::cuda);
  EXPECT_EQ(cuda.engine.model.device_index, 0);
  EXPECT_EQ(nst::device_id(cuda.engine.model.device, cuda.engine.model.device_index), "cuda:0");
  // The procedure's spelling works too.
  const CliOptions second = parse_ok({"--device", "cuda", "--device-index", "2"});
  EXPECT_EQ(second.engine.model.device_index, 2);
}

TEST(CliOptions, PreserveColorsTakesAnOptionalValue) {
  EXPECT_EQ(parse_ok({}).engine.options.preserve_colors, nst::ColorPreservation::none);
  EXPECT_EQ(parse_ok({"--preserve-colors"}).engine.options.preserve_colors,
            nst::ColorPreservation::luminance);
  EXPECT_EQ(parse_ok({"--match-style-colors=histogram"}).engine.options.match_style_colors,
            nst::StyleColors::histogram);
  EXPECT_EQ(parse_ok({"--match-style-colors", "mean-covariance"}).engine.options.match_style_colors,
            nst::StyleColors::mean_covariance);
  // Without '=', the next word is not its value.
  EXPECT_THAT(parse_error(with_required({"--preserve-colors", "histogram"})),
              HasSubstr("'histogram'"));
}

TEST(CliOptions, StyleWeights) {
  StyleArgument style;
  std::string error;
  ASSERT_TRUE(parse_style_argument("a.png:0.3", style, error)) << error;
  EXPECT_EQ(style.path, "a.png");
  EXPECT_FLOAT_EQ(style.weight, 0.3f);

  ASSERT_TRUE(parse_style_argument("a.png", style, error));
  EXPECT_EQ(style.path, "a.png");
  EXPECT_EQ(style.weight, 1.0f);

  ASSERT_TRUE(parse_style_argument("dir/a.png:2", style, error));
  EXPECT_EQ(style.path, "dir/a.png");
  EXPECT_EQ(style.weight, 2.0f);

  ASSERT_TRUE(parse_style_argument("b.jpg:1e-2", style, error));
  EXPECT_FLOAT_EQ(style.weight, 0.01f);

  // A ':' in a path whose tail is no number belongs to the path.
  ASSERT_TRUE(parse_style_argument("my:dir/a.png", style, error));
  EXPECT_EQ(style.path, "my:dir/a.png");
  EXPECT_EQ(style.weight, 1.0f);

  EXPECT_FALSE(parse_style_argument("a.png:-1", style, error));
  EXPECT_THAT(error, HasSubstr("--style"));
  EXPECT_THAT(error, HasSubstr("-1"));
  EXPECT_FALSE(parse_style_argument("a.png:inf", style, error));
  EXPECT_THAT(error, HasSubstr("--style"));
  EXPECT_FALSE(parse_style_argument(":0.5", style, error));
  EXPECT_THAT(error, HasSubstr("--style"));

  // A second number is the stroke size; a third belongs to the path.
  ASSERT_TRUE(parse_style_argument("dir/a.png:0.5:2", style, error)) << error;
  EXPECT_EQ(style.path, "dir/a.png");
  EXPECT_FLOAT_EQ(style.weight, 0.5f);
  EXPECT_FLOAT_EQ(style.stroke_size, 2.0f);
  ASSERT_TRUE(parse_style_argument("a.png", style, error));
  EXPECT_EQ(style.stroke_size, 1.0f);
  ASSERT_TRUE(parse_style_argument("x:1:2:3", style, error));
  EXPECT_EQ(style.path, "x:1");
  EXPECT_FLOAT_EQ(style.weight, 2.0f);
  EXPECT_FLOAT_EQ(style.stroke_size, 3.0f);
  for (const char *bad : {"a.png:1:0", "a.png:1:-2", "a.png:1:nan"}) {
    EXPECT_FALSE(parse_style_argument(bad, style, error)) << bad;
    EXPECT_THAT(error, HasSubstr("stroke size")) << bad;
  }
  EXPECT_FALSE(parse_style_argument("a.png:-1:2", style, error));
  EXPECT_THAT(error, HasSubstr("weight '-1'"));
}

TEST(CliOptions, SeveralStylesKeepTheirOrderAndWeights) {
  const CliOptions options = parse_ok({"--style", "t.jpg:0.25", "--style=u.png:3"});
  ASSERT_EQ(options.styles.size(), 3u);
  EXPECT_EQ(options.styles[0].path, "s.png");
  EXPECT_EQ(options.styles[1].path, "t.jpg");
  EXPECT_FLOAT_EQ(options.styles[1].weight, 0.25f);
  EXPECT_EQ(options.styles[2].path, "u.png");
  EXPECT_FLOAT_EQ(options.styles[2].weight, 3.0f);
}

TEST(CliOptions, ScalesList) {
  EXPECT_EQ(parse_ok({"--scales", "256,512"}).engine.options.scales, (std::vector<int>{256, 512}));
  EXPECT_EQ(parse_ok({"--scales", "256 512"}).engine.options.scales, (std::vector<int>{256, 512}));
  EXPECT_TRUE(parse_ok({"--scales", ""}).engine.options.scales.empty()); // automatic
  EXPECT_EQ(parse_ok({"--scales", "128,256,1024"}).engine.options.scales,
            (std::vector<int>{128, 256, 1024}));

  for (const char *bad : {"512,256", "256,256", "256,abc", "8", "256;512", "40000"}) {
    const std::string message = parse_error(with_required({"--scales", bad}));
    EXPECT_THAT(message, HasSubstr("--scales")) << bad;
  }
}

struct BadValue {
  const char *option;
  const char *value;
};

class CliBadValue : public ::testing::TestWithParam<BadValue> {};

TEST_P(CliBadValue, IsAnErrorNamingTheOptionAndValue) {
  const BadValue bad = GetParam();
  const std::string message = parse_error(with_required({bad.option, bad.value}));
  EXPECT_THAT(message, HasSubstr(bad.option));
  EXPECT_THAT(message, HasSubstr(std::string("'") + bad.value + "'"));
  // The same through the '=' spelling.
  const std::string inline_message =
      parse_error(with_required({std::string(bad.option) + "=" + bad.value}));
  EXPECT_EQ(inline_message, message);
}

INSTANTIATE_TEST_SUITE_P(
    Values, CliBadValue,
    ::testing::Values(
        BadValue{"--size", "abc"}, BadValue{"--size", "8"}, BadValue{"--size", "40000"},
        BadValue{"--size", "12.5"}, BadValue{"--iterations", "0"}, BadValue{"--iterations", "1x"},
        BadValue{"--content-weight", "-1"}, BadValue{"--style-weight", "lots"},
        BadValue{"--tv-weight", "nan"}, BadValue{"--optimizer", "sgd"},
        BadValue{"--learning-rate", "0"}, BadValue{"--init", "zero"}, BadValue{"--seed", "-3"},
        BadValue{"--device", "gpu"}, BadValue{"--device", "cuda:x"}, BadValue{"--precision", "fp8"},
        BadValue{"--threads", "-1"}, BadValue{"--pooling", "min"}, BadValue{"--style-scale", "9"},
        BadValue{"--memory-limit", "10"}, BadValue{"--tile-size", "32"}, BadValue{"--depth", "12"},
        BadValue{"--seed", "2147483648"}, BadValue{"--device-index", "64"},
        BadValue{"--content-layers", "relu4_2:x"}));

TEST(CliOptions, EveryEngineParameterIsAnOption) {
  // Each row of the table is --KEY, and its default passes through unchanged.
  const CliOptions defaults = parse_ok({});
  for (const nst::Parameter &parameter : nst::parameters()) {
    const std::string value = nst::parameter_text(parameter, defaults.engine);
    if (value.empty())
      continue; // an empty list or file: nothing to give
    const CliOptions options = parse_ok({std::string("--") + parameter.key + "=" + value});
    EXPECT_EQ(nst::parameter_text(parameter, options.engine), value) << parameter.key;
  }
  // Lists the plug-in has as well.
  const CliOptions layers =
      parse_ok({"--content-layers", "relu3_2:0.5, relu4_2", "--style-layers", "relu1_1", "--scales",
                "128,256", "--scale-iterations", "20,5"});
  ASSERT_EQ(layers.engine.options.content_layers.size(), 2u);
  EXPECT_EQ(layers.engine.options.content_layers[0].layer, "relu3_2");
  EXPECT_FLOAT_EQ(layers.engine.options.content_layers[0].weight, 0.5f);
  EXPECT_EQ(layers.engine.options.iterations_per_scale, (std::vector<int>{20, 5}));
}

TEST(CliOptions, PreserveColorsBadValue) {
  const std::string message = parse_error(with_required({"--preserve-colors=all"}));
  EXPECT_THAT(message, HasSubstr("--preserve-colors"));
  EXPECT_THAT(message, HasSubstr("'all'"));
}

TEST(CliOptions, UsageErrors) {
  EXPECT_THAT(parse_error(with_required({"--colour"})), HasSubstr("--colour"));
  EXPECT_THAT(parse_error(with_required({"stray"})), HasSubstr("'stray'"));
  EXPECT_THAT(parse_error(with_required({"--size"})), HasSubstr("--size"));
  EXPECT_THAT(parse_error(with_required({"--quiet=1"})), HasSubstr("--quiet"));
  EXPECT_THAT(parse_error(with_required({"--content="})), HasSubstr("--content"));
  // The next option is not taken as a value.
  EXPECT_THAT(parse_error({"--content", "c.png", "--style", "s.png", "--output", "--size", "48"}),
              HasSubstr("--output"));
}

TEST(CliOptions, MissingRequiredOptionsAreNamed) {
  EXPECT_THAT(parse_error({"--style", "s.png", "--output", "o.png"}), HasSubstr("--content"));
  EXPECT_THAT(parse_error({"--content", "c.png", "--output", "o.png"}), HasSubstr("--style"));
  EXPECT_THAT(parse_error({"--content", "c.png", "--style", "s.png"}), HasSubstr("--output"));
  EXPECT_THAT(parse_error({}), HasSubstr("--content"));
}

TEST(CliOptions, OutputFormatComesFromTheExtension) {
  EXPECT_EQ(output_format("a/b.png"), OutputFormat::png);
  EXPECT_EQ(output_format("B.PNG"), OutputFormat::png);
  EXPECT_EQ(output_format("c.jpg"), OutputFormat::jpeg);
  EXPECT_EQ(output_format("c.JPEG"), OutputFormat::jpeg);
  EXPECT_EQ(output_format("c.bmp"), OutputFormat::unknown);
  EXPECT_EQ(output_format("dir.png/c"), OutputFormat::unknown);

  EXPECT_THAT(parse_error({"--content", "c.png", "--style", "s.png", "--output", "o.bmp"}),
              HasSubstr("--output"));
  EXPECT_THAT(
      parse_error({"--content", "c.png", "--style", "s.png", "--output", "o.jpg", "--depth", "16"}),
      HasSubstr("--depth"));
  CliOptions options;
  std::string error;
  EXPECT_TRUE(parse_arguments(
      {"--content", "c.png", "--style", "s.png", "--output", "o.jpg", "--depth", "8"}, options,
      error))
      << error;
}

TEST(CliOptions, HelpVersionAndListDevicesNeedNothingElse) {
  CliOptions options;
  std::string error;
  ASSERT_TRUE(parse_arguments({"--help"}, options, error));
  EXPECT_EQ(options.action, Action::help);
  ASSERT_TRUE(parse_arguments({"-h"}, options, error));
  EXPECT_EQ(options.action, Action::help);
  ASSERT_TRUE(parse_arguments({"--version"}, options, error));
  EXPECT_EQ(options.action, Action::version);
  ASSERT_TRUE(parse_arguments({"--list-devices"}, options, error));
  EXPECT_EQ(options.action, Action::list_devices);
  // A usage error before --help is still reported.
  EXPECT_FALSE(parse_arguments({"--size", "x", "--help"}, options, error));
}

TEST(CliOptions, HelpListsEveryOptionWithDefaults) {
  const std::string help = help_text("neural-style");
  EXPECT_THAT(help, HasSubstr("Usage: neural-style"));
  for (const char *option :
       {"--content",      "--style",     "--output",         "--size",
        "--iterations",   "--scales",    "--content-weight", "--style-weight",
        "--tv-weight",    "--optimizer", "--init",           "--preserve-colors[=",
        "--seed",         "--device",    "--precision",      "--threads",
        "--weights-file", "--caffe",     "--pooling",        "--style-scale",
        "--memory-limit", "--tile-size", "--depth",          "--stats",
        "--quiet",        "--help",      "--version",        "--list-devices"})
    EXPECT_THAT(help, HasSubstr(option));
  EXPECT_THAT(help, HasSubstr("Default: 0."));      // --size, from nst::Options
  EXPECT_THAT(help, HasSubstr("Default: 100000.")); // --style-weight
  EXPECT_THAT(help, HasSubstr("--memory-limit MIB"));
  EXPECT_THAT(help, HasSubstr("4096.")); // its default, in MiB
  for (const nst::Parameter &parameter : nst::parameters()) {
    const std::string option = std::string("--") + parameter.key;
    const std::size_t at = help.find("  " + option);
    ASSERT_NE(at, std::string::npos) << option;
    const char after = help[at + 2 + option.size()];
    EXPECT_TRUE(after == ' ' || after == '[') << option;
  }
  // Wrapped to 79 columns.
  std::size_t start = 0;
  while (start < help.size()) {
    std::size_t end = help.find('\n', start);
    if (end == std::string::npos)
      end = help.size();
    EXPECT_LE(end - start, 79u) << help.substr(start, end - start);
    start = end + 1;
  }
}

} // namespace
} // namespace nst_cli
