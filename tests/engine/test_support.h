// Shared helpers of the engine tests: a narrow VGG19 built in memory,
// synthetic images and a quiet default set of options.
#pragma once

#include "core/probe.h"
#include "nst/engine.h"
#include "scoped_state.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nst::test {

// A VGG19 with widths 8, 16, 32, 64, 64 (the narrow fixture's), random
// He-initialised from `seed`, on the CPU. For Caffe's preprocessing the
// first layer is scaled down as a network trained on 0..255 input would be.
std::shared_ptr<Model> narrow_model(std::uint64_t seed = 1, Pooling pooling = Pooling::max,
                                    Preprocessing preprocessing = Preprocessing::torchvision);

// A VGG19 whose five blocks have `widths` channels (VGG19's own: 64, 128,
// 256, 512, 512), random He-initialised from `seed`, on the CPU.
std::shared_ptr<Model> model_of_widths(const std::array<int, 5> &widths, std::uint64_t seed);

// A smooth colourful RGB or RGBA test picture; `variant` changes its pattern.
Image synthetic_image(int width, int height, int channels, int variant);

// A one-channel mask of width x height: 1 left of `start` (a fraction of
// the width), 0 right of `end`, a linear ramp between; `left` false mirrors
// it (1 on the right).
Image ramp_mask(int width, int height, double start, double end, bool left = true);

// The view of a one-channel Image as a mask.
MaskView mask_view(const Image &mask);

// Options for quick runs on tiny images: one scale at the content's size.
Options quick_options(int steps);

// The directory named by an environment variable, or "" when unset.
std::string env_or_empty(const char *name);

// Largest absolute difference between two pixel arrays of equal size.
float max_abs_difference(const std::vector<float> &a, const std::vector<float> &b);

// While it lives, $XDG_CACHE_HOME is a fresh folder of its own (removed
// after), so that no rate or weights of a real run's cache count.
class ScopedCacheFolder {
public:
  ScopedCacheFolder() { environment_.set("XDG_CACHE_HOME", folder_.path()); }
  // The plug-in's folder in it, where the step rates are kept.
  std::string plugin_folder() const { return folder_ / "neural-style-transfer"; }

private:
  testing::TemporaryFolder folder_;
  testing::ScopedEnvironment environment_;
};

} // namespace nst::test
