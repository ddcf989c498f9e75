// The plug-in's work for the windows of ui/ (built with libgimpui only): a
// job's progress in the live window's terms, and the dialog's preview job.
#pragma once

#include "live_run.h"
#include "preview_panel.h"
#include "run_inputs.h"

namespace nst_plugin {

// `update` as the live window and the preview show it; its picture reduced
// to at most `picture_side` pixels (the engine's is only valid during its
// callback).
nst_ui::LiveUpdate live_update(const nst::JobProgress &update, int picture_side);

// The dialog's preview of `drawable` in `image`: the config's settings at the
// Draft preset's size and steps, the same inputs as a run (run_inputs.h).
// The network, once loaded, is kept for the next preview while the maker lives.
nst_ui::PreviewMaker preview_maker(GimpImage *image, GimpDrawable *drawable,
                                   GimpProcedureConfig *config);

} // namespace nst_plugin
