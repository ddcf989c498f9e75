// The style's name in the new layers' names, made from its file name: a
// pure function, no GIMP types, unit-tested on its own.
#pragma once

#include <string>
#include <vector>

namespace nst_plugin {

// The file's base name without its extension, with '_' and '-' turned into
// spaces and each word capitalised ("/x/starry_night.jpg" -> "Starry Night").
std::string style_name_from_path(const std::string &path);

// Several styles' names in one: "Starry Night + The Scream"; repeats once.
std::string blended_style_name(const std::vector<std::string> &names);

} // namespace nst_plugin
