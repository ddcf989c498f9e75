// The neural-style command line: its options, their parsing and the --help
// text. Pure functions on strings (no LibTorch, no files), unit-tested on
// their own. The engine's parameters come from nst/parameters.h (--KEY for
// each row); the options of the command line alone are described once, in
// cli_options.cpp. Both the parser and the help text read those tables.
#pragma once

#include "nst/parameters.h"

#include <string>
#include <vector>

namespace nst_cli {

struct StyleArgument {
  std::string path;
  float weight = 1.0f;      // blend weight among several styles
  float stroke_size = 1.0f; // relative to --style-scale
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
  nst::Settings engine; // the engine's parameters; defaults are the engine's
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

// One option as --help shows it; the man page and the bash completion
// (cli_docs.h) read the same list, so the options are described only here
// and in nst/parameters.h.
struct OptionHelp {
  std::string name;            // "--size"
  std::string value_name;      // "PX", "lbfgs|adam", "FILE"; empty: a flag
  bool value_optional = false; // "--preserve-colors[=...]": a value only after '='
  std::string help;            // translated, with the default and the bare value
};

// Every option, in --help's order: the files, the engine's parameters, then
// the command line's own options.
std::vector<OptionHelp> option_help();

// The parts of --help around the options (translated): the usage line with
// the program's name, what the program does, and Ctrl-C and the exit statuses.
std::string usage_text(const std::string &program);
std::string description_text();
std::string exit_text();

// The --help text (translated), with the program name in the usage line.
std::string help_text(const std::string &program);

// Whether the output's extension names a format the program writes.
enum class OutputFormat { unknown, png, jpeg };
OutputFormat output_format(const std::string &path);

} // namespace nst_cli
