#include "stats_json.h"

#include "nst-i18n.h"
#include "nst/text_format.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>

namespace nst_cli {
namespace {

std::string number(double value) {
  if (!std::isfinite(value))
    return "null";
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string integer(std::size_t value) {
  return std::to_string(value);
}

const char *boolean(bool value) {
  return value ? "true" : "false";
}

// `"key": value` lines, joined with commas, at one indentation.
class Members {
public:
  explicit Members(int indent) : indent_(static_cast<std::size_t>(indent), ' ') {}
  void add(const char *key, const std::string &value) {
    text_ += text_.empty() ? "" : ",\n";
    text_ += indent_ + json_string(key) + ": " + value;
  }
  std::string object() const { return "{\n" + text_ + "\n" + indent_.substr(2) + "}"; }

private:
  std::string indent_;
  std::string text_;
};

// The files, then every engine parameter under its table key: numbers as
// numbers, choices and texts as strings.
std::string options_object(const CliOptions &options) {
  Members m(4);
  m.add("content", json_string(options.content_path));
  std::string styles = "[";
  for (std::size_t i = 0; i < options.styles.size(); ++i)
    styles += (i ? ", " : "") + std::string("{\"path\": ") + json_string(options.styles[i].path) +
              ", \"weight\": " + number(options.styles[i].weight) + "}";
  m.add("styles", styles + "]");
  m.add("output", json_string(options.output_path));
  for (const nst::Parameter &parameter : nst::parameters()) {
    const bool numeric = parameter.kind == nst::ParameterKind::integer ||
                         parameter.kind == nst::ParameterKind::number;
    m.add(parameter.key, numeric ? number(parameter.get_number(options.engine))
                                 : json_string(nst::parameter_text(parameter, options.engine)));
  }
  return m.object();
}

std::string step_object(const nst::StepRecord &step) {
  return "{\"scale\": " + integer(step.scale_index) + ", \"step\": " + integer(step.step) +
         ", \"content_loss\": " + number(step.content_loss) +
         ", \"style_loss\": " + number(step.style_loss) + ", \"tv_loss\": " + number(step.tv_loss) +
         ", \"total_loss\": " + number(step.total_loss) + ", \"seconds\": " + number(step.seconds) +
         "}";
}

} // namespace

std::string json_string(const std::string &text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20)
        out += nst::format("\\u%04x", c);
      else
        out += static_cast<char>(c); // UTF-8 passes through
    }
  }
  return out + "\"";
}

std::string stats_json(const CliOptions &options, const nst::RunReport &report) {
  Members document(2);
  document.add("program", json_string("neural-style"));
  document.add("version", json_string(NST_VERSION));
  document.add("options", options_object(options));
  document.add("device", json_string(report.device));
  document.add("blas", json_string(report.blas));
  std::string steps = "[";
  for (std::size_t i = 0; i < report.steps.size(); ++i)
    steps += (i ? ",\n    " : "\n    ") + step_object(report.steps[i]);
  document.add("steps", steps + (report.steps.empty() ? "]" : "\n  ]"));
  if (report.result_loss >= 0)
    document.add("result_loss", number(report.result_loss));
  document.add("total_seconds", number(report.seconds));
  document.add("estimated_seconds", number(report.estimated_seconds));
  document.add("peak_memory_bytes", integer(report.peak_memory_bytes));
  document.add("run_peak_memory_bytes", integer(report.run_peak_memory_bytes));
  document.add("stopped_early", boolean(report.stopped_early));
  std::string notes = "[";
  for (std::size_t i = 0; i < report.notes.size(); ++i)
    notes += (i ? ", " : "") + json_string(report.notes[i]);
  document.add("notes", notes + "]");
  return document.object() + "\n";
}

nst::Status write_stats(const std::string &path, const CliOptions &options,
                        const nst::RunReport &report) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out)
    out << stats_json(options, report);
  out.close();
  if (!out)
    return nst::Status::error(nst::ErrorCode::file_unreadable,
                              nst::format(_("cannot write the statistics file %s: %s"),
                                          path.c_str(), std::strerror(errno)));
  return nst::Status::success();
}

} // namespace nst_cli
