#include "cli_options.h"

#include "cli_i18n.h"
#include "text_format.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace nst_cli {
namespace {

constexpr int kMaximumSide = 30000; // the engine's limit (its validation says so too)
constexpr long long kMebibyte = 1 << 20;

// from_chars reads the same digits in every locale: setlocale(LC_ALL, "")
// in main() must not turn "0.3" into an error under a comma locale.
bool to_double(const std::string &text, double &value) {
  const char *first = text.data();
  const char *last = first + text.size();
  if (first != last && *first == '+') // from_chars does not take a '+'
    ++first;
  if (first == last)
    return false;
  const auto result = std::from_chars(first, last, value);
  return result.ec == std::errc() && result.ptr == last && std::isfinite(value);
}

bool to_integer(const std::string &text, long long &value) {
  const char *first = text.data();
  const char *last = first + text.size();
  if (first != last && *first == '+')
    ++first;
  if (first == last)
    return false;
  const auto result = std::from_chars(first, last, value);
  return result.ec == std::errc() && result.ptr == last;
}

bool whole_number(const char *name, const std::string &text, long long minimum, long long maximum,
                  long long &value, std::string &error) {
  if (!to_integer(text, value) || value < minimum || value > maximum) {
    error = format(_("%s: '%s' is not a whole number from %lld to %lld"), name, text.c_str(),
                   minimum, maximum);
    return false;
  }
  return true;
}

template <typename Int>
bool whole_number_into(const char *name, const std::string &text, long long minimum,
                       long long maximum, Int &target, std::string &error) {
  long long value = 0;
  if (!whole_number(name, text, minimum, maximum, value, error))
    return false;
  target = static_cast<Int>(value);
  return true;
}

bool weight_into(const char *name, const std::string &text, double &target, std::string &error) {
  double value = 0;
  if (!to_double(text, value) || value < 0) {
    error = format(_("%s: '%s' is not a number >= 0"), name, text.c_str());
    return false;
  }
  target = value;
  return true;
}

template <typename Enum> struct Choice {
  const char *name;
  Enum value;
};

template <typename Enum, std::size_t N>
bool choose(const char *name, const std::string &text, const Choice<Enum> (&choices)[N],
            Enum &target, std::string &error) {
  std::string expected;
  for (const auto &choice : choices) {
    if (text == choice.name) {
      target = choice.value;
      return true;
    }
    if (!expected.empty())
      expected += ", ";
    expected += choice.name;
  }
  error = format(_("%s: '%s' is not one of %s"), name, text.c_str(), expected.c_str());
  return false;
}

bool path_into(const char *name, const std::string &text, std::string &target, std::string &error) {
  if (text.empty()) {
    error = format(_("%s: the file name is empty"), name);
    return false;
  }
  target = text;
  return true;
}

// One option: its spelling, the name of its value in --help (none for a
// flag), its help text and what it does to the options.
using Apply = bool (*)(const char *name, const std::string &value, CliOptions &options,
                       std::string &error);
using DefaultText = std::string (*)();

struct OptionSpec {
  const char *name;
  const char *value_name; // nullptr: a flag
  bool value_optional;    // --preserve-colors[=MODE]: a value only after '='
  const char *help;       // marked with N_(), translated when shown
  Apply apply;
  DefaultText default_text; // nullptr: no default shown
};

std::string number_text(double value) {
  return format("%g", value);
}

const nst::Options kDefaults;
const nst::ModelOptions kModelDefaults;

const Choice<nst::Optimizer> kOptimizers[] = {{"lbfgs", nst::Optimizer::lbfgs},
                                              {"adam", nst::Optimizer::adam}};
const Choice<nst::Init> kInits[] = {
    {"content", nst::Init::content}, {"noise", nst::Init::noise}, {"style", nst::Init::style}};
const Choice<nst::ColorPreservation> kColors[] = {{"none", nst::ColorPreservation::none},
                                                  {"luminance", nst::ColorPreservation::luminance},
                                                  {"histogram", nst::ColorPreservation::histogram}};
const Choice<nst::Precision> kPrecisions[] = {
    {"fp32", nst::Precision::fp32}, {"bf16", nst::Precision::bf16}, {"fp16", nst::Precision::fp16}};
const Choice<nst::Pooling> kPoolings[] = {
    {"max", nst::Pooling::max}, {"avg", nst::Pooling::average}, {"average", nst::Pooling::average}};

bool apply_device(const char *name, const std::string &value, CliOptions &options,
                  std::string &error) {
  auto &model = options.model;
  model.device_index = 0;
  if (value == "auto") {
    model.device = nst::DeviceKind::automatic;
  } else if (value == "cpu") {
    model.device = nst::DeviceKind::cpu;
  } else if (value == "cuda") {
    model.device = nst::DeviceKind::cuda;
  } else if (value.rfind("cuda:", 0) == 0) {
    long long index = 0;
    if (!to_integer(value.substr(5), index) || index < 0 || index > 1023) {
      error = format(_("%s: '%s' names no CUDA device; expected cuda:0, cuda:1 ..."), name,
                     value.c_str());
      return false;
    }
    model.device = nst::DeviceKind::cuda;
    model.device_index = static_cast<int>(index);
  } else {
    error = format(_("%s: '%s' is not one of auto, cpu, cuda, cuda:N"), name, value.c_str());
    return false;
  }
  return true;
}

// The table behind both the parser and --help, in the order --help shows.
const OptionSpec kOptionTable[] = {
    {"--content", "FILE", false, N_("The image to restyle (PNG or JPEG)."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return path_into(n, v, o.content_path, e);
     },
     nullptr},
    {"--style", "FILE[:WEIGHT]", false,
     N_("A style image (PNG or JPEG) and its blend weight; repeat the option to blend several "
        "styles."),
     [](const char *, const std::string &v, CliOptions &o, std::string &e) {
       StyleArgument style;
       if (!parse_style_argument(v, style, e))
         return false;
       o.styles.push_back(style);
       return true;
     },
     nullptr},
    {"--output", "FILE", false,
     N_("Where to write the result: .png (8 or 16 bits per channel) or .jpg."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return path_into(n, v, o.output_path, e);
     },
     nullptr},
    {"--size", "PX", false,
     N_("Longer side at which the image is optimised; 0: the content's own. The result always "
        "has the content's size."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       if (!whole_number_into(n, v, 0, kMaximumSide, o.run.size, e))
         return false;
       if (o.run.size != 0 && o.run.size < 16) {
         e = format(_("%s: '%s' is too small; expected 0 (the content's size) or 16 .. %d"), n,
                    v.c_str(), kMaximumSide);
         return false;
       }
       return true;
     },
     [] { return std::to_string(kDefaults.size); }},
    {"--iterations", "N", false,
     N_("Optimisation steps at the finest scale; coarser scales run 3 and 9 times as many."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return whole_number_into(n, v, 1, 100000, o.run.iterations, e);
     },
     [] { return std::to_string(kDefaults.iterations); }},
    {"--scales", "PX,PX...", false,
     N_("Longer sides from coarse to fine, e.g. 256,512; the last one replaces --size."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       if (parse_scales(v, o.run.scales, e))
         return true;
       e = format("%s: %s", n, e.c_str());
       return false;
     },
     [] { return std::string(_("halving --size down to about 256")); }},
    {"--content-weight", "W", false, N_("Weight of the content loss."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return weight_into(n, v, o.run.content_weight, e);
     },
     [] { return number_text(kDefaults.content_weight); }},
    {"--style-weight", "W", false, N_("Weight of the style loss."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return weight_into(n, v, o.run.style_weight, e);
     },
     [] { return number_text(kDefaults.style_weight); }},
    {"--tv-weight", "W", false, N_("Weight of the total variation loss (smoothness)."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return weight_into(n, v, o.run.tv_weight, e);
     },
     [] { return number_text(kDefaults.tv_weight); }},
    {"--optimizer", "lbfgs|adam", false, N_("L-BFGS needs fewer steps, Adam less memory."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return choose(n, v, kOptimizers, o.run.optimizer, e);
     },
     [] { return std::string(optimizer_name(kDefaults.optimizer)); }},
    {"--learning-rate", "R", false,
     N_("L-BFGS's step length (1 is right), or Adam's rate in 0..255 pixel units (about 5 "
        "works)."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       double rate = 0;
       if (!to_double(v, rate) || rate <= 0 || rate > 1000) {
         e = format(_("%s: '%s' is not a number above 0 and up to 1000"), n, v.c_str());
         return false;
       }
       o.run.learning_rate = rate;
       return true;
     },
     [] { return number_text(kDefaults.learning_rate); }},
    {"--init", "content|noise|style", false, N_("Where the optimisation starts."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return choose(n, v, kInits, o.run.init, e);
     },
     [] { return std::string(init_name(kDefaults.init)); }},
    {"--preserve-colors", "MODE", true,
     N_("Keep the content's colours: luminance (without =MODE), histogram, or none."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       if (v.empty()) {
         o.run.preserve_colors = nst::ColorPreservation::luminance;
         return true;
       }
       return choose(n, v, kColors, o.run.preserve_colors, e);
     },
     [] { return std::string(colors_name(kDefaults.preserve_colors)); }},
    {"--seed", "N", false, N_("Seed of the random noise (--init noise), for repeatable runs."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       const char *last = v.data() + v.size();
       std::uint64_t seed = 0;
       const auto result = std::from_chars(v.data(), last, seed);
       if (v.empty() || result.ec != std::errc() || result.ptr != last) {
         e = format(_("%s: '%s' is not a whole number from 0 to %llu"), n, v.c_str(),
                    static_cast<unsigned long long>(std::numeric_limits<std::uint64_t>::max()));
         return false;
       }
       o.run.seed = seed;
       return true;
     },
     [] { return std::to_string(kDefaults.seed); }},
    {"--device", "auto|cpu|cuda|cuda:N", false,
     N_("Where the network runs; auto takes CUDA when it is there."), apply_device,
     [] { return device_name(kModelDefaults); }},
    {"--precision", "fp32|bf16|fp16", false,
     N_("Number format of the network's convolutions; bf16 is faster on CPUs with AVX-512 BF16 "
        "or AMX, fp32 more precise."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return choose(n, v, kPrecisions, o.run.precision, e);
     },
     [] { return std::string(precision_name(kDefaults.precision)); }},
    {"--threads", "N", false, N_("CPU threads; 0: every logical CPU."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return whole_number_into(n, v, 0, 4096, o.model.threads, e);
     },
     [] { return std::to_string(kModelDefaults.threads); }},
    {"--weights", "FILE", false,
     N_("The VGG19 weights (.pth or .safetensors). Without it: $NST_VGG19_WEIGHTS, the cache, "
        "PyTorch's cache, else a one-time download."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return path_into(n, v, o.model.weights_path, e);
     },
     nullptr},
    {"--caffe", nullptr, false,
     N_("The weights are Caffe's VGG19 (converted), which expects another input."),
     [](const char *, const std::string &, CliOptions &o, std::string &) {
       o.model.preprocessing = nst::Preprocessing::caffe;
       return true;
     },
     nullptr},
    {"--pooling", "max|avg", false, N_("Average pooling gives smoother results."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return choose(n, v, kPoolings, o.model.pooling, e);
     },
     [] { return std::string(pooling_name(kModelDefaults.pooling)); }},
    {"--style-scale", "F", false,
     N_("Size of the style images relative to the result (0.05 .. 8); smaller gives finer "
        "brush strokes."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       double scale = 0;
       if (!to_double(v, scale) || scale < 0.05 || scale > 8) {
         e = format(_("%s: '%s' is not a number from 0.05 to 8"), n, v.c_str());
         return false;
       }
       o.run.style_scale = static_cast<float>(scale);
       return true;
     },
     [] { return number_text(kDefaults.style_scale); }},
    {"--memory-limit", "MB", false,
     N_("Memory the run may use; larger images run in tiles within it."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       long long megabytes = 0;
       if (!whole_number(n, v, 64, 16LL << 20, megabytes, e))
         return false;
       o.run.memory_limit_bytes = static_cast<std::size_t>(megabytes * kMebibyte);
       return true;
     },
     [] { return std::to_string(kDefaults.memory_limit_bytes / kMebibyte); }},
    {"--tile-size", "PX", false, N_("Side of the tiles; 0: chosen from the memory limit."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       if (!whole_number_into(n, v, 0, kMaximumSide, o.run.tile_size, e))
         return false;
       if (o.run.tile_size != 0 && o.run.tile_size < 64) {
         e = format(_("%s: '%s' is too small; expected 0 (automatic) or 64 .. %d"), n, v.c_str(),
                    kMaximumSide);
         return false;
       }
       return true;
     },
     [] { return std::to_string(kDefaults.tile_size); }},
    {"--depth", "8|16", false,
     N_("Bits per channel of a PNG result; by default those of the content."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       if (v != "8" && v != "16") {
         e = format(_("%s: '%s' is not 8 or 16"), n, v.c_str());
         return false;
       }
       o.output_depth = v == "8" ? 8 : 16;
       return true;
     },
     nullptr},
    {"--stats", "FILE.json", false,
     N_("Write the options, the device and every step's losses and time as JSON."),
     [](const char *n, const std::string &v, CliOptions &o, std::string &e) {
       return path_into(n, v, o.stats_path, e);
     },
     nullptr},
    {"--quiet", nullptr, false, N_("Print no progress, only errors."),
     [](const char *, const std::string &, CliOptions &o, std::string &) {
       o.quiet = true;
       return true;
     },
     nullptr},
    {"--list-devices", nullptr, false, N_("List the devices the network can run on, and exit."),
     [](const char *, const std::string &, CliOptions &o, std::string &) {
       o.action = Action::list_devices;
       return true;
     },
     nullptr},
    {"--version", nullptr, false, N_("Print the version and exit."),
     [](const char *, const std::string &, CliOptions &o, std::string &) {
       o.action = Action::version;
       return true;
     },
     nullptr},
    {"--help", nullptr, false, N_("Print this help and exit."),
     [](const char *, const std::string &, CliOptions &o, std::string &) {
       o.action = Action::help;
       return true;
     },
     nullptr},
};

const OptionSpec *find_option(const std::string &name) {
  for (const auto &spec : kOptionTable)
    if (name == spec.name)
      return &spec;
  return nullptr;
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
    error = format(_("--output: '%s' does not end in .png, .jpg or .jpeg"),
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

bool parse_style_argument(const std::string &text, StyleArgument &style, std::string &error) {
  style = StyleArgument{};
  style.path = text;
  const std::size_t colon = text.rfind(':');
  if (colon != std::string::npos) {
    // A tail that from_chars reads whole ("0.3", "-1", "inf") is meant as a
    // weight; anything else belongs to the file name.
    const std::string tail = text.substr(colon + 1);
    double weight = 0;
    const auto result = std::from_chars(tail.data(), tail.data() + tail.size(), weight);
    if (!tail.empty() && result.ptr == tail.data() + tail.size()) {
      if (result.ec != std::errc() || !std::isfinite(weight) || weight < 0) {
        error = format(_("--style: the weight '%s' in '%s' is not a number >= 0"), tail.c_str(),
                       text.c_str());
        return false;
      }
      style.path = text.substr(0, colon);
      style.weight = static_cast<float>(weight);
    }
  }
  if (style.path.empty()) {
    error = format(_("--style: '%s' names no file"), text.c_str());
    return false;
  }
  return true;
}

bool parse_scales(const std::string &text, std::vector<int> &scales, std::string &error) {
  scales.clear();
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos)
      end = text.size();
    const std::string item = text.substr(start, end - start);
    long long side = 0;
    if (!to_integer(item, side) || side < 16 || side > kMaximumSide) {
      error = format(_("'%s' in '%s' is not a side from 16 to %d pixels"), item.c_str(),
                     text.c_str(), kMaximumSide);
      return false;
    }
    if (!scales.empty() && side <= scales.back()) {
      error = format(_("'%s' must grow from coarse to fine; %lld follows %d"), text.c_str(), side,
                     scales.back());
      return false;
    }
    scales.push_back(static_cast<int>(side));
    start = end + 1;
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
      error = format(_("unexpected argument '%s'; every option starts with --"), argument.c_str());
      return false;
    }
    const std::size_t equals = argument.find('=');
    const std::string name = argument.substr(0, equals);
    const bool inline_value = equals != std::string::npos;
    const OptionSpec *spec = find_option(name);
    if (!spec) {
      error = format(_("unknown option '%s'"), name.c_str());
      return false;
    }
    std::string value;
    if (!spec->value_name) {
      if (inline_value) {
        error = format(_("%s takes no value"), spec->name);
        return false;
      }
    } else if (inline_value) {
      value = argument.substr(equals + 1);
    } else if (!spec->value_optional) {
      // "--output --size 48" lacks the output, rather than writing to "--size".
      if (i + 1 >= arguments.size() || arguments[i + 1].compare(0, 2, "--") == 0) {
        error = format(_("%s needs a value: %s %s"), spec->name, spec->name, spec->value_name);
        return false;
      }
      value = arguments[++i];
    }
    if (!spec->apply(spec->name, value, options, error))
      return false;
    if (options.action != Action::run)
      return true; // --help and the like need nothing else
  }
  return check_required(options, error);
}

std::string help_text(const std::string &program) {
  constexpr std::size_t kIndent = 30;
  constexpr std::size_t kWidth = 79;
  std::string out;
  append_wrapped(out,
                 format(_("Usage: %s --content FILE --style FILE[:WEIGHT] [--style ...] --output "
                          "FILE [OPTION...]"),
                        program.c_str()),
                 0, 4, kWidth);
  out += '\n';
  append_wrapped(out,
                 _("Paints the content image in the style of the style images: Gatys et al.'s "
                   "neural style transfer on a VGG19 network."),
                 0, 0, kWidth);
  out += '\n';
  out += _("Options:");
  out += '\n';
  for (const auto &spec : kOptionTable) {
    std::string left = "  ";
    left += spec.name;
    if (spec.value_name)
      left += (spec.value_optional ? "[=" : " ") + std::string(spec.value_name) +
              (spec.value_optional ? "]" : "");
    std::string help = _(spec.help);
    if (spec.default_text)
      help += " " + format(_("Default: %s."), spec.default_text().c_str());
    out += left;
    std::size_t column = left.size();
    if (column + 2 > kIndent) {
      out += '\n';
      column = 0;
    }
    out.append(kIndent - column, ' ');
    append_wrapped(out, help, kIndent, kIndent, kWidth);
  }
  out += '\n';
  append_wrapped(out,
                 _("Ctrl-C once stops after the current step and writes the result so far; twice "
                   "cancels. Exit status: 0 done, 1 the run failed, 2 a usage error, 130 "
                   "cancelled."),
                 0, 0, kWidth);
  return out;
}

const char *optimizer_name(nst::Optimizer value) {
  return value == nst::Optimizer::adam ? "adam" : "lbfgs";
}

const char *init_name(nst::Init value) {
  switch (value) {
  case nst::Init::noise: return "noise";
  case nst::Init::style: return "style";
  case nst::Init::content: break;
  }
  return "content";
}

const char *colors_name(nst::ColorPreservation value) {
  switch (value) {
  case nst::ColorPreservation::luminance: return "luminance";
  case nst::ColorPreservation::histogram: return "histogram";
  case nst::ColorPreservation::none: break;
  }
  return "none";
}

const char *precision_name(nst::Precision value) {
  switch (value) {
  case nst::Precision::bf16: return "bf16";
  case nst::Precision::fp16: return "fp16";
  case nst::Precision::fp32: break;
  }
  return "fp32";
}

const char *pooling_name(nst::Pooling value) {
  return value == nst::Pooling::average ? "avg" : "max";
}

const char *preprocessing_name(nst::Preprocessing value) {
  return value == nst::Preprocessing::caffe ? "caffe" : "torchvision";
}

std::string device_name(const nst::ModelOptions &model) {
  switch (model.device) {
  case nst::DeviceKind::cpu: return "cpu";
  case nst::DeviceKind::cuda: return "cuda:" + std::to_string(model.device_index);
  case nst::DeviceKind::automatic: break;
  }
  return "auto";
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
