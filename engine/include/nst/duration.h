// Durations as every front end shows them: "0:42", "12:05", "1:02:03".
#pragma once

#include <string>

namespace nst {

// Minutes and seconds, hours when needed; "?" for a negative or unknown value.
std::string duration_text(double seconds);

} // namespace nst
