// What the plug-in may read from GIMP before it reads it: every target layer
// and the style are copied as float RGBA, so their size is checked against
// the engine's side limit and the run's memory limit first (GIMP layers
// reach 524288 pixels a side). No GIMP types here.
#pragma once

#include <cstddef>
#include <string>

namespace nst_plugin {

// Empty when `width` x `height` pixels of `what` (a layer's or file's name)
// may be read, else the translated reason, naming it.
std::string read_refusal(const std::string &what, int width, int height,
                         std::size_t memory_limit_bytes);

} // namespace nst_plugin
