// Prints the engine's parameter table as JSON, one row per line, for the
// tests that check a front end against it from Python (the procedure's
// registered arguments inside GIMP).
#include "nst/parameters.h"

#include <cstdio>
#include <string>

namespace {

const char *kind_name(nst::ParameterKind kind) {
  switch (kind) {
  case nst::ParameterKind::integer: return "integer";
  case nst::ParameterKind::number: return "number";
  case nst::ParameterKind::choice: return "choice";
  case nst::ParameterKind::text: return "text";
  case nst::ParameterKind::file: return "file";
  }
  return "?";
}

std::string quoted(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

} // namespace

int main() {
  const nst::Settings defaults;
  for (const nst::Parameter &p : nst::parameters()) {
    std::string choices;
    for (const nst::ParameterChoice &c : p.choices)
      if (c.label)
        choices += (choices.empty() ? "" : ", ") + quoted(c.name);
    const bool numeric =
        p.kind == nst::ParameterKind::integer || p.kind == nst::ParameterKind::number;
    char number[32];
    std::snprintf(number, sizeof number, "%.17g", numeric ? p.get_number(defaults) : 0.0);
    std::printf("{\"key\": %s, \"kind\": \"%s\", \"minimum\": %.17g, \"maximum\": %.17g, "
                "\"zero_allowed\": %s, \"default\": %s, \"choices\": [%s]}\n",
                quoted(p.key).c_str(), kind_name(p.kind), p.minimum, p.maximum,
                p.zero_allowed ? "true" : "false",
                numeric ? number : quoted(nst::parameter_text(p, defaults)).c_str(),
                choices.c_str());
  }
  return 0;
}
