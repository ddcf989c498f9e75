// The --stats file: the run's options, its device, every optimisation step's
// losses and time, the total time, the peak memory and whether Ctrl-C ended
// it early, as JSON for benchmarks and regression checks.
#pragma once

#include "cli_options.h"
#include "nst/engine.h"
#include "nst/status.h"

#include <string>

namespace nst_cli {

// The document's text. Numbers use the shortest form that reads back
// exactly; a NaN or infinite loss becomes null.
std::string stats_json(const CliOptions &options, const nst::RunReport &report);

nst::Status write_stats(const std::string &path, const CliOptions &options,
                        const nst::RunReport &report);

// A JSON string literal of `text` (quotes included).
std::string json_string(const std::string &text);

} // namespace nst_cli
