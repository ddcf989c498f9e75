// The filter's dialog. It only edits the procedure's config: whatever it
// shows, batch runs, "Repeat" and "Re-Show" read the same arguments, and
// GIMP remembers them after an interactive run.
#pragma once

#include "preview_panel.h"

#include "nst/engine.h"

#include <libgimp/gimpui.h>

#include <vector>

namespace nst_ui {

// Initialises GIMP's UI, shows the dialog over `config` and returns true when
// the user chose OK (the config then holds the chosen values), false when
// they cancelled. `devices` are those the network can run on (the Device row);
// `width` x `height`, the pixels the filter will paint (the time estimate);
// `image`, the image painted (the styles' masks are its channels);
// `preview`, the work of the dialog's preview (preview_panel.h).
bool run_dialog(GimpProcedure *procedure, GimpProcedureConfig *config, GimpImage *image,
                const std::vector<nst::DeviceInfo> &devices, int width, int height,
                PreviewMaker preview);

} // namespace nst_ui
