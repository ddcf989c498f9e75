// Ctrl-C (SIGINT) for the command line. Before the optimisation starts
// (reading images, downloading or loading weights) the first Ctrl-C cancels.
// During it the first asks the engine to stop after the current step, so
// the result so far is still written; the second cancels the run; a third
// ends the process at once (the default action), should a step hang. Once
// the run is over and its result being written, a Ctrl-C is ignored and the
// next one ends the process.
#pragma once

#include "nst/engine.h"

namespace nst_cli {

// `stop_message` and `cancel_message` are printed from the handler: they
// must outlive the handler (translate them before installing it). Starts
// afresh: before the run phase, no Ctrl-C seen.
void install_interrupt_handler(nst::CancelToken &token, const char *stop_message,
                               const char *cancel_message);

// From now on the first Ctrl-C means "stop", not "cancel".
void enter_run_phase();

// From now on the result is being written.
void enter_finishing_phase();

// Whether a Ctrl-C has asked to cancel.
bool cancel_requested();

} // namespace nst_cli
