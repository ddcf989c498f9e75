// Interactive runs: the engine works on a worker thread while the main
// thread runs GTK and shows the live window (live_window.h): the picture as
// it is optimised, scale and step, losses, elapsed and remaining time, and
// Stop (keep the current result) and Cancel (add nothing) buttons. The GUI
// stays responsive throughout; the job itself must not call libgimp.
#pragma once

#include "live_preview.h"

#include "nst/engine.h"

#include <functional>
#include <memory>
#include <string>

namespace nst_ui {

// Steps between the previews the engine makes for the live window.
constexpr int kLivePreviewEvery = 2;
// Longer side of the previews the live window keeps (make_live_preview).
constexpr int kLivePreviewSide = 480;

// A run shown live asks the engine for previews every kLivePreviewEvery
// steps, made at kLivePreviewSide: a full-size one of a large photo would
// take the memory of several copies of it.
inline void ask_for_live_previews(nst::Options &options) {
  options.preview_every = kLivePreviewEvery;
  options.preview_side = kLivePreviewSide;
}

// One report of the job, already in the user's words.
struct LiveUpdate {
  std::string text;              // the stage and position ("Scale 2 of 3, step 40 of 100")
  double fraction = -1.0;        // of the whole run, 0..1; negative: unknown
  bool stylising = false;        // optimisation steps are running (losses and times apply)
  nst::Progress step;            // its `preview` is always null
  double remaining_seconds = -1; // the engine's estimate for the whole run; < 0: unknown
  std::shared_ptr<const LivePreview> preview; // a new picture, or null
};

using LivePost = std::function<void(LiveUpdate update)>;
// The window's Stop and Cancel buttons reach the job through `cancel`.
using LiveJob = std::function<nst::Status(const LivePost &post, const nst::CancelToken &cancel)>;

// Shows the live window titled `title` over GIMP, runs `job` on a worker
// thread and returns its status once it ended (cancelled when the user
// cancelled). gimp_ui_init must have been called. Main thread only.
nst::Status run_live(const std::string &title, const LiveJob &job);

} // namespace nst_ui
