// What the plug-in may read from GIMP before it reads it: every target layer
// and the style are copied as float RGBA, so their size is checked against
// the engine's side limit and the run's memory limit first (GIMP layers
// reach 524288 pixels a side). No GIMP types here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace nst_plugin {

// Empty when `width` x `height` pixels of `what` (a layer's or file's name)
// may be read, else the translated reason, naming it. `already_read_bytes`:
// what the run's other layers and styles take (the limit bounds their sum).
// `channels`: 4 for pixels (RGBA), 1 for a mask.
std::string read_refusal(const std::string &what, int width, int height,
                         std::size_t memory_limit_bytes, std::uint64_t already_read_bytes = 0,
                         int channels = 4);

// The bytes read_refusal counts for `width` x `height` pixels.
std::uint64_t read_bytes(int width, int height, int channels = 4);

} // namespace nst_plugin
