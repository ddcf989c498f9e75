// Turns the engine's error codes into sentences a user can act on, in the
// user's language, followed by the engine's English detail.
#pragma once

#include "nst/status.h"

#include <string>

namespace nst_plugin {

// Who will read the message: a user of the dialog, or a script (batch
// mode), whose words for the weights are the argument's name.
enum class Reader { dialog, script };

// The translated sentence for `code` alone ("The VGG19 weights file is
// damaged..."); empty for ErrorCode::ok.
std::string error_sentence(nst::ErrorCode code, Reader reader);

// The whole message for a failed status: the sentence, then the detail.
std::string error_message(const nst::Status &status, Reader reader);

} // namespace nst_plugin
