// What the neural-style command does once its options are parsed: read the
// images, make sure the weights are there, load the network, stylise with a
// progress display and Ctrl-C handling, write the result and the statistics.
#pragma once

#include "cli_options.h"

namespace nst_cli {

// Exit statuses (also in --help).
constexpr int kExitDone = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitCancelled = 130; // as a shell reports a process ended by SIGINT

// Messages go to stderr prefixed with `program`. Returns the exit status.
int run_stylise(const CliOptions &options, const char *program);

// Prints the devices the network can run on, one a line: "cpu  CPU (2 threads)".
int run_list_devices();

} // namespace nst_cli
