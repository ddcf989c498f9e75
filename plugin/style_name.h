// The style's name in the new layers' names, made from its file name: a
// pure function, no GIMP types, unit-tested on its own.
#pragma once

#include <string>

namespace nst_plugin {

// The file's base name without its extension, with '_' and '-' turned into
// spaces and each word capitalised ("/x/starry_night.jpg" -> "Starry Night").
std::string style_name_from_path(const std::string &path);

} // namespace nst_plugin
