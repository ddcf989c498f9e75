#include "cli_options.h"

#include "nst-i18n.h"
#include "nst/text_format.h"

#include "nst/parameters.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace nst_cli {
namespace {

bool path_into(const char *name, const std::string &text, std::string &target, std::string &error) {
  if (text.empty()) {
    error = nst::format(_("%s: the file name is empty"), name);
    return false;
  }
  target = text;
  return true;
}

// An option of the command line alone (files, output, actions), or a
// shorthand for a parameter's value: its spelling, the name of its value in
// --help (none for a flag), its help text and what it does to the options.
using Apply = bool (*)(const char *name, const std::string &value, CliOptions &options,
                       std::string &error);

struct OptionSpec {
  const char *name;
  const char *value_name; // nullptr: a flag
  const char *help;       // marked with N_(), translated when shown
  Apply apply;
};

// Sets the engine parameter `key` from the command line's text, with a
// translated message naming the option on a bad value.
bool apply_parameter(const nst::Parameter &parameter, const std::string &value, CliOptions &options,
                     std::string &error) {
  std::string detail;
  if (nst::set_parameter_text(parameter, value, options.engine, detail))
    return true;
  const std::string option = std::string("--") + parameter.key;
  const std::string expected = nst::expected_values(parameter);
  switch (parameter.kind) {
  case nst::ParameterKind::integer:
    error = nst::format(_("%s: '%s' is not a whole number in %s"), option.c_str(), value.c_str(),
                        expected.c_str());
    break;
  case nst::ParameterKind::number:
    error = nst::format(_("%s: '%s' is not a number in %s"), option.c_str(), value.c_str(),
                        expected.c_str());
    break;
  case nst::ParameterKind::choice:
    error = nst::format(_("%s: '%s' is not one of %s"), option.c_str(), value.c_str(),
                        expected.c_str());
    break;
  case nst::ParameterKind::text:
  case nst::ParameterKind::file: error = "--" + detail; break;
  }
  return false;
}

bool apply_key(const char *key, const std::string &value, CliOptions &options, std::string &error) {
  return apply_parameter(*nst::find_parameter(key), value, options, error);
}

// A parameter's option without a value takes this one (--preserve-colors).
struct BareValue {
  const char *key;
  const char *value;
};
const BareValue kBareValues[] = {{"preserve-colors", "luminance"}};

const char *bare_value(const nst::Parameter &parameter) {
  for (const BareValue &bare : kBareValues)
    if (std::strcmp(bare.key, parameter.key) == 0)
      return bare.value;
  return nullptr;
}

// The command line's own options, in the order --help shows them: the files
// first, the engine's parameters follow, then these after `kFirstAfter`.
const OptionSpec kOwnOptions[] = {
    {"--content", "FILE", N_("The image to restyle (PNG or JPEG)."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return path_into(n, v, o.content_path, e);
     }},
    {"--style", "FILE[:WEIGHT[:STROKE]]",
     N_("A style image (PNG or JPEG), its blend weight and its stroke size (relative to "
        "--style-scale: 2 paints its strokes twice as large); repeat the option to blend several "
        "styles."),
     [](const char *, const std::string &v, CliOptions &o, std::string &e) {
       StyleArgument style;
       if (!parse_style_argument(v, style, e))
         return false;
       o.styles.push_back(style);
       return true;
     }},
    {"--output", "FILE", N_("Where to write the result: .png (8 or 16 bits per channel) or .jpg."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return path_into(n, v, o.output_path, e);
     }},
    {"--weights", "FILE", N_("The same as --weights-file."),
     [](const char *, const std::string &v, CliOptions &o, std::string &e) {
       return apply_key("weights-file", v, o, e);
     }},
    {"--caffe", nullptr, N_("The same as --preprocessing caffe."),
     [](const char *, const std::string &, CliOptions &o, std::string &e) {
       return apply_key("preprocessing", "caffe", o, e);
     }},
    {"--depth", "8|16", N_("Bits per channel of a PNG result; by default those of the content."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       if (v != "8" && v != "16") {
         e = nst::format(_("%s: '%s' is not 8 or 16"), n, v.c_str());
         return false;
       }
       o.output_depth = v == "8" ? 8 : 16;
       return true;
     }},
    {"--stats", "FILE.json",
     N_("Write the options, the device and every step's losses and time as JSON."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return path_into(n, v, o.stats_path, e);
     }},
    {"--measure-result", nullptr,
     N_("Evaluate the result's loss once more at the finest scale and write it to --stats as "
        "result_loss (takes one more step's time)."),
     [](const char *, const std::string &, CliOptions &o, std::string &) {
       o.engine.options.measure_result = true;
       return true;
     }},
    {"--quiet", nullptr, N_("Print no progress, only errors."),
     [](const char *, const std::string &, CliOptions &o, std::string &) {
       o.quiet = true;
       return true;
     }},
    {"--list-devices", nullptr, N_("List the devices the network can run on, and exit."),
     [](const char *, const std::string &, CliOptions &o, std::string &) {
       o.action = Action::list_devices;
       return true;
     }},
    {"--version", nullptr, N_("Print the version and exit."),
     [](const char *, const std::string &, CliOptions &o, std::string &) {
       o.action = Action::version;
       return true;
     }},
    {"--help", nullptr, N_("Print this help and exit."),
     [](const char *, const std::string &, CliOptions &o, std::string &) {
       o.action = Action::help;
       return true;
     }},
};
constexpr std::size_t kFilesFirst = 3; // --content, --style, --output come before the parameters

const OptionSpec *find_own_option(const std::string &name) {
  for (const auto &spec : kOwnOptions)
    if (name == spec.name)
      return &spec;
  return nullptr;
}

const nst::Parameter *find_parameter_option(const std::string &name) {
  return name.compare(0, 2, "--") == 0 ? nst::find_parameter(name.substr(2)) : nullptr;
}

// "lbfgs|adam" for a choice, else the table's value name.
std::string value_name(const nst::Parameter &parameter) {
  if (parameter.kind != nst::ParameterKind::choice)
    return parameter.value_name;
  std::string names;
  for (const nst::ParameterChoice &choice : parameter.choices)
    if (choice.label)
      names += (names.empty() ? "" : "|") + std::string(choice.name);
  return names;
}

bool check_required(CliOptions &options, std::string &error) {
  if (options.content_path.empty()) {
    error = _("--content FILE is missing: the image to restyle");
    return false;
  }
  if (options.styles.empty()) {
    error = _("--style FILE is missing: give at least one style image");
    return false;
  }
  if (options.output_path.empty()) {
    error = _("--output FILE is missing: where to write the result");
    return false;
  }
  const OutputFormat output = output_format(options.output_path);
  if (output == OutputFormat::unknown) {
    error = nst::format(_("--output: '%s' does not end in .png, .jpg or .jpeg"),
                        options.output_path.c_str());
    return false;
  }
  if (output == OutputFormat::jpeg && options.output_depth == 16) {
    error = _("--depth 16 needs a .png output; JPEG holds 8 bits per channel");
    return false;
  }
  return true;
}

// Columns of characters, not bytes: translations are UTF-8.
std::size_t display_width(const std::string &text) {
  std::size_t width = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80)
      ++width;
  return width;
}

// Appends `text` word-wrapped to `width` columns, continuation lines
// indented; `column` is where the text starts on the current line.
void append_wrapped(std::string &out, const std::string &text, std::size_t column,
                    std::size_t indent, std::size_t width) {
  bool line_start = true;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos)
      end = text.size();
    const std::string word = text.substr(start, end - start);
    const std::size_t word_width = display_width(word);
    if (!line_start && column + 1 + word_width > width) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
    } else if (!line_start) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word_width;
    line_start = false;
    start = end + 1;
  }
  out += '\n';
}

} // namespace

namespace {

// "head:NUMBER", where from_chars reads the tail whole ("0.3", "-1", "inf"):
// a number meant for the style; anything else belongs to the file name.
struct NumberTail {
  std::string head, tail;
  double value = 0;
  bool valid = false; // finite
};

bool split_number_tail(const std::string &text, NumberTail &split) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos)
    return false;
  split.tail = text.substr(colon + 1);
  const char *end = split.tail.data() + split.tail.size();
  const auto result = std::from_chars(split.tail.data(), end, split.value);
  if (split.tail.empty() || result.ptr != end)
    return false;
  split.head = text.substr(0, colon);
  split.valid = result.ec == std::errc() && std::isfinite(split.value);
  return true;
}

} // namespace

bool parse_style_argument(const std::string &text, StyleArgument &style, std::string &error) {
  style = StyleArgument{};
  style.path = text;
  // FILE, FILE:WEIGHT or FILE:WEIGHT:STROKE.
  std::vector<NumberTail> numbers;
  for (NumberTail split; numbers.size() < 2 && split_number_tail(style.path, split);) {
    numbers.insert(numbers.begin(), split);
    style.path = split.head;
  }
  if (!numbers.empty()) {
    const NumberTail &weight = numbers[0];
    if (!weight.valid || weight.value < 0) {
      error = nst::format(_("--style: the weight '%s' in '%s' is not a number >= 0"),
                          weight.tail.c_str(), text.c_str());
      return false;
    }
    style.weight = static_cast<float>(weight.value);
  }
  if (numbers.size() == 2) {
    const NumberTail &stroke = numbers[1];
    if (!stroke.valid || stroke.value <= 0) {
      error = nst::format(_("--style: the stroke size '%s' in '%s' is not a number > 0"),
                          stroke.tail.c_str(), text.c_str());
      return false;
    }
    style.stroke_size = static_cast<float>(stroke.value);
  }
  if (style.path.empty()) {
    error = nst::format(_("--style: '%s' names no file"), text.c_str());
    return false;
  }
  return true;
}

bool parse_arguments(const std::vector<std::string> &arguments, CliOptions &options,
                     std::string &error) {
  options = CliOptions{};
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    std::string argument = arguments[i];
    if (argument == "-h")
      argument = "--help";
    if (argument.size() < 3 || argument.compare(0, 2, "--") != 0) {
      error =
          nst::format(_("unexpected argument '%s'; every option starts with --"), argument.c_str());
      return false;
    }
    const std::size_t equals = argument.find('=');
    const std::string name = argument.substr(0, equals);
    const bool inline_value = equals != std::string::npos;
    const OptionSpec *spec = find_own_option(name);
    const nst::Parameter *parameter = spec ? nullptr : find_parameter_option(name);
    if (!spec && !parameter) {
      error = nst::format(_("unknown option '%s'"), name.c_str());
      return false;
    }
    const bool flag = spec && !spec->value_name;
    const char *bare = parameter ? bare_value(*parameter) : nullptr;
    std::string value;
    if (flag) {
      if (inline_value) {
        error = nst::format(_("%s takes no value"), name.c_str());
        return false;
      }
    } else if (inline_value) {
      value = argument.substr(equals + 1);
    } else if (bare) {
      value = bare; // such an option takes a value only after '='
    } else {
      // "--output --size 48" lacks the output, rather than writing to "--size".
      if (i + 1 >= arguments.size() || arguments[i + 1].compare(0, 2, "--") == 0) {
        error = nst::format(_("%s needs a value: %s %s"), name.c_str(), name.c_str(),
                            spec ? spec->value_name : value_name(*parameter).c_str());
        return false;
      }
      value = arguments[++i];
    }
    const bool applied = spec ? spec->apply(spec->name, value, options, error)
                              : apply_parameter(*parameter, value, options, error);
    if (!applied)
      return false;
    if (options.action != Action::run)
      return true; // --help and the like need nothing else
  }
  return check_required(options, error);
}

namespace {

constexpr std::size_t kHelpIndent = 30;
constexpr std::size_t kHelpWidth = 79;

void append_option_help(std::string &out, const std::string &left, const std::string &help) {
  out += left;
  std::size_t column = display_width(left);
  if (column + 2 > kHelpIndent) {
    out += '\n';
    column = 0;
  }
  out.append(kHelpIndent - column, ' ');
  append_wrapped(out, help, kHelpIndent, kHelpIndent, kHelpWidth);
}

void add_own_options(std::vector<OptionHelp> &list, std::size_t first, std::size_t last) {
  for (std::size_t i = first; i < last; ++i) {
    const OptionSpec &spec = kOwnOptions[i];
    list.push_back({spec.name, spec.value_name ? spec.value_name : "", false, _(spec.help)});
  }
}

} // namespace

std::vector<OptionHelp> option_help() {
  std::vector<OptionHelp> list;
  add_own_options(list, 0, kFilesFirst);
  const nst::Settings defaults;
  for (const nst::Parameter &parameter : nst::parameters()) {
    const char *bare = bare_value(parameter);
    std::string help = _(parameter.help);
    const std::string default_value = nst::parameter_text(parameter, defaults);
    if (!default_value.empty())
      help += " " + nst::format(_("Default: %s."), default_value.c_str());
    if (bare)
      help += " " + nst::format(_("Without a value: %s."), bare);
    list.push_back(
        {std::string("--") + parameter.key, value_name(parameter), bare != nullptr, help});
  }
  add_own_options(list, kFilesFirst, sizeof kOwnOptions / sizeof kOwnOptions[0]);
  return list;
}

std::string usage_text(const std::string &program) {
  return nst::format(_("Usage: %s --content FILE --style FILE[:WEIGHT] [--style ...] --output "
                       "FILE [OPTION...]"),
                     program.c_str());
}

std::string description_text() {
  return _("Paints the content image in the style of the style images: Gatys et al.'s "
           "neural style transfer on a VGG19 network.");
}

std::string exit_text() {
  return _("Ctrl-C once stops after the current step and writes the result so far; twice "
           "cancels. Exit status: 0 done, 1 the run failed, 2 a usage error, 130 "
           "cancelled.");
}

std::string help_text(const std::string &program) {
  std::string out;
  append_wrapped(out, usage_text(program), 0, 4, kHelpWidth);
  out += '\n';
  append_wrapped(out, description_text(), 0, 0, kHelpWidth);
  out += '\n';
  out += _("Options:");
  out += '\n';
  for (const OptionHelp &option : option_help()) {
    std::string left = "  " + option.name;
    if (!option.value_name.empty())
      left += option.value_optional ? "[=" + option.value_name + "]" : " " + option.value_name;
    append_option_help(out, left, option.help);
  }
  out += '\n';
  append_wrapped(out, exit_text(), 0, 0, kHelpWidth);
  return out;
}

OutputFormat output_format(const std::string &path) {
  const std::size_t dot = path.rfind('.');
  const std::size_t slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return OutputFormat::unknown;
  std::string extension = path.substr(dot + 1);
  for (char &c : extension)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  if (extension == "png")
    return OutputFormat::png;
  if (extension == "jpg" || extension == "jpeg")
    return OutputFormat::jpeg;
  return OutputFormat::unknown;
}

} // namespace nst_cli
