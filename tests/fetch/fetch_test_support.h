// Shared by the fetch tests: small file helpers, and (from tests/support)
// temporary folders and environment variables restored after a test.
#pragma once

#include "scoped_state.h"

#include <cstddef>
#include <string>

namespace nst::testing {

// Writes `bytes`, creating the parent folders.
void write_file(const std::string &path, const std::string &bytes);
std::string read_file(const std::string &path);
bool file_exists(const std::string &path);

// `size` bytes that differ from place to place, so a misplaced range shows.
std::string pseudo_random_bytes(std::size_t size, unsigned seed = 1);

} // namespace nst::testing
