// What a run paints, read from GIMP: the target layers' processed areas,
// the styles and their regions; and the engine's job over them. The filter's
// run and the dialog's preview read their inputs the same way. Reading is
// main-thread only; stylise_layers runs on the worker.
#pragma once

#include "layer_output.h"
#include "procedure_arguments.h"
#include "style_regions.h"
#include "style_source.h"

#include "nst/job.h"

#include <cstddef>
#include <string>
#include <vector>

namespace nst_plugin {

// Every target layer's pixels with the same styles, each painting in its
// region of that layer.
struct LayerImages {
  std::vector<LayerTarget> targets;   // the layers' processed areas
  std::vector<StyleSource> styles;    // RGB, with their blend weights and stroke sizes
  std::vector<nst::Image> contents;   // one per target, RGB or RGBA
  std::vector<TargetRegions> regions; // one per target
  std::string style_name;             // the blended styles' name, for the new layers
};

// Reads the first `layer_count` layers of the null-terminated `drawables`
// (all of them when larger) with the styles and regions `settings` name.
// Nothing is read before its size is known to fit the memory limit. False
// with a translated `problem` when something cannot be read or does not fit.
bool read_layer_images(GimpImage *image, GimpDrawable **drawables, std::size_t layer_count,
                       const FilterSettings &settings, LayerImages &images, std::string &problem);

// Whether `results` has one image of each content's size and channels.
bool results_match(const std::vector<nst::Image> &results, const LayerImages &images);

// Runs `job` over every layer (on the worker thread).
nst::Status stylise_layers(nst::Job &job, const nst::Settings &settings, const LayerImages &images,
                           std::vector<nst::Image> &results, const nst::JobCallback &progress,
                           const nst::CancelToken *cancel);

} // namespace nst_plugin
