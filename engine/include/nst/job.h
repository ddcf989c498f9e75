// One run as a front end asks for it: find the VGG19 weights (downloading the
// published file on first use), load the network (once: a Job keeps it for
// its next run with the same model settings), stylise each content with the
// same styles, and report every stage with one estimate of the time left.
// The command line, the plug-in and the dialog all run their work through it.
// No GIMP, GTK or LibTorch type; no exception crosses it.
#pragma once

#include "nst/parameters.h"
#include "nst/weights.h"

#include <functional>
#include <memory>
#include <vector>

namespace nst {

struct JobProgress {
  enum class Stage { download, load_model, stylise };
  Stage stage = Stage::load_model;
  int layer = 0; // the content being stylised, 0-based, of layer_count
  int layer_count = 1;
  DownloadProgress download; // Stage::download
  // Stage::stylise; steps_in_scale is 0 while the style is being prepared.
  Progress step;
  double remaining_seconds = -1; // the whole job's; negative: not known yet
  double fraction = 0;           // of the whole job, 0..1; negative: unknown
};

using JobCallback = std::function<void(const JobProgress &)>;

class Job {
public:
  // Stylises every content in `contents` into `results` (one image each, of
  // its content's size and channels), or fails with no results. The weights
  // are settings.model.weights_path or, when empty, found by the search
  // order of nst/weights.h. A stop request ends each remaining content's
  // optimisation early (complete results); a cancel request, also during
  // the download, returns ErrorCode::cancelled. `reports` receives one
  // report per content.
  Status run(const Settings &settings, const std::vector<StyleImage> &styles,
             const std::vector<ImageView> &contents, std::vector<Image> &results,
             const JobCallback &progress = {}, const CancelToken *cancel = nullptr,
             std::vector<RunReport> *reports = nullptr);
  // The same with styles of their own for each content (`styles_of` holds
  // one list per content): the same styles with each content's regions.
  Status run(const Settings &settings, const std::vector<std::vector<StyleImage>> &styles_of,
             const std::vector<ImageView> &contents, std::vector<Image> &results,
             const JobCallback &progress = {}, const CancelToken *cancel = nullptr,
             std::vector<RunReport> *reports = nullptr);

  // How many times this job has loaded a network (tests: reuse).
  int loads() const { return loads_; }

private:
  std::shared_ptr<Model> model_;
  ModelOptions loaded_; // what model_ was loaded with, its weights path resolved
  int loads_ = 0;
};

} // namespace nst
