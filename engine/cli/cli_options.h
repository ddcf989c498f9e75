// The neural-style command line: its options, their parsing and the --help
// text. Pure functions on strings (no LibTorch, no files), unit-tested on
// their own. Every option is described once, in the table of
// cli_options.cpp, which both the parser and the help text read.
#pragma once

#include "nst/engine.h"

#include <string>
#include <vector>

namespace nst_cli {

struct StyleArgument {
  std::string path;
  float weight = 1.0f; // blend weight among several styles
};

// What the command line asks for.
enum class Action { run, help, version, list_devices };

struct CliOptions {
  Action action = Action::run;
  std::string content_path;
  std::vector<StyleArgument> styles;
  std::string output_path;
  std::string stats_path; // empty: no statistics file
  int output_depth = 0;   // PNG bits per channel: 0 = like the content, 8 or 16
  bool quiet = false;
  nst::Options run;        // the engine's options; defaults are the engine's
  nst::ModelOptions model; // weights file, device, pooling, threads
};

// Parses argv[1..] (the program name excluded). Returns false, with `error`
// naming the option and the expected values, on a usage error; --help,
// --version and --list-devices set `action` and skip the checks of the
// required options.
bool parse_arguments(const std::vector<std::string> &arguments, CliOptions &options,
                     std::string &error);

// "a.png:0.3" -> {"a.png", 0.3}; "a.png" -> {"a.png", 1}. The part after the
// last ':' is a weight only when all of it is a number, so paths that hold a
// ':' still work. A weight that is negative or not finite is an error.
bool parse_style_argument(const std::string &text, StyleArgument &style, std::string &error);

// "256,512" -> {256, 512}: positive integers separated by commas.
bool parse_scales(const std::string &text, std::vector<int> &scales, std::string &error);

// The --help text (translated), with the program name in the usage line.
std::string help_text(const std::string &program);

// Stable English names of the enum values, as the options spell them; the
// statistics file uses them too.
const char *optimizer_name(nst::Optimizer value);
const char *init_name(nst::Init value);
const char *colors_name(nst::ColorPreservation value);
const char *precision_name(nst::Precision value);
const char *pooling_name(nst::Pooling value);
const char *preprocessing_name(nst::Preprocessing value);
std::string device_name(const nst::ModelOptions &model); // "auto", "cpu", "cuda:1"

// Whether the output's extension names a format the program writes.
enum class OutputFormat { unknown, png, jpeg };
OutputFormat output_format(const std::string &path);

} // namespace nst_cli
