// Shows a LivePreview in a GtkImage, scaled to fit a box: the live window
// and the dialog's preview draw their pictures the same way. Main thread only.
#pragma once

#include "live_preview.h"

#include <gtk/gtk.h>

namespace nst_ui {

// Shows `preview` in `image` enlarged or reduced to fit `box_width` x
// `box_height`, its proportions kept (every scale of a run at the same
// size). False for an empty preview (nothing changes).
bool show_picture(GtkWidget *image, const LivePreview &preview, int box_width, int box_height);

} // namespace nst_ui
