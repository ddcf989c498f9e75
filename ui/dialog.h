// The filter's dialog. It only edits the procedure's config: whatever it
// shows, batch runs, "Repeat" and "Re-Show" read the same arguments, and
// GIMP remembers them after an interactive run.
#pragma once

#include <libgimp/gimpui.h>

// Initialises GIMP's UI, shows the dialog over `config` and returns true when
// the user chose OK (the config then holds the chosen values), false when
// they cancelled.
bool nst_ui_run_dialog(GimpProcedure *procedure, GimpProcedureConfig *config);
