// The run function of plug-in-neural-style-transfer.
#pragma once

#include <libgimp/gimp.h>

namespace nst_plugin {

// Stylises every selected layer into a new layer above it (see the
// procedure's help in plugin_main.cpp). Every libgimp call happens on the
// calling thread; the engine runs on a worker thread meanwhile.
GimpValueArray *run_filter(GimpProcedure *procedure, GimpRunMode run_mode, GimpImage *image,
                           GimpDrawable **drawables, GimpProcedureConfig *config);

} // namespace nst_plugin
