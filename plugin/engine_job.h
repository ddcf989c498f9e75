// What the worker thread does: find (or download) the weights, load the
// network once, and stylise every layer's pixels with the same style.
#pragma once

#include "worker.h"

#include "nst/parameters.h"

#include <atomic>
#include <string>
#include <vector>

namespace nst_plugin {

struct EngineRequest {
  nst::Settings engine; // model.weights_path empty: the search order, then a first-use download
  nst::Image style;     // RGB
  std::vector<nst::Image> contents; // one per layer, RGB or RGBA
  // Interactive runs (the live window's Stop and Cancel); null: run to the end.
  const nst::CancelToken *cancel = nullptr;
  const std::atomic<bool> *cancel_download = nullptr;
};

// Runs on the worker thread. On success `results` holds one image per
// content, in order, each of its content's size and channel count. A stop
// request ends each remaining layer's optimisation early (complete results);
// a cancel request returns ErrorCode::cancelled with no results.
nst::Status run_engine(const EngineRequest &request, std::vector<nst::Image> &results,
                       const PostUpdate &post);

} // namespace nst_plugin
