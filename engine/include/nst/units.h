// Durations and sizes as every front end shows them.
#pragma once

#include <cstdint>
#include <string>

namespace nst {

// Minutes and seconds, hours when needed; "?" for a negative or unknown value.
std::string duration_text(double seconds);

// Bytes as whole megabytes (10^6 bytes, as download tools count), rounded.
long long megabytes(std::uint64_t bytes);

} // namespace nst
