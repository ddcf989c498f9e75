// Small text conversions behind the procedure's arguments: pure functions,
// no GIMP types, unit-tested on their own.
#pragma once

#include <string>
#include <vector>

namespace nst_plugin {

// Parses the `scales` argument, longer sides from coarse to fine separated by
// commas or spaces ("256, 512"). An empty or blank text gives an empty list
// (the engine chooses). Returns false, with `error` naming the bad part, on
// anything that is not a positive integer.
bool parse_scales(const std::string &text, std::vector<int> &scales, std::string &error);

// A readable style name for layer names: the file's base name without its
// extension, with '_' and '-' turned into spaces and each word capitalised
// ("/x/starry_night.jpg" -> "Starry Night").
std::string style_name_from_path(const std::string &path);

} // namespace nst_plugin
