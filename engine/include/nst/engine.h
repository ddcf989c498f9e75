// Neural style transfer engine: Gatys et al. on a VGG19 with LibTorch.
//
// The whole public API of the engine. It holds no GIMP, GTK or LibTorch
// type, and no exception crosses it. Typical use:
//
//   nst::ModelOptions model_options;               // weights found by the search order
//   std::shared_ptr<nst::Model> model;
//   nst::Status status = nst::load_model(model_options, model);
//   if (!status.ok()) { report(status.message); return; }
//
//   nst::Options options;                          // defaults are the recommended ones
//   nst::Image result;
//   nst::CancelToken cancel;                       // another thread may call request_*()
//   status = nst::stylise(*model, content_view, {{style_view, 1.0f}}, options,
//                         result, on_progress, &cancel);
#pragma once

#include "nst/status.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nst {

// Pixels the caller owns: float RGB or RGBA, non-linear (sRGB-like) values
// in 0..1, rows `row_stride` floats apart (0 means width * channels).
struct ImageView {
  const float *pixels = nullptr;
  int width = 0;
  int height = 0;
  int channels = 3; // 3 (RGB) or 4 (RGBA)
  std::ptrdiff_t row_stride = 0;
};

// One float per pixel the caller owns, 0..1 (a mask or selection), rows
// `row_stride` floats apart (0 means width).
struct MaskView {
  const float *pixels = nullptr;
  int width = 0;
  int height = 0;
  std::ptrdiff_t row_stride = 0;
};

// Pixels the engine owns, tightly packed rows.
struct Image {
  int width = 0;
  int height = 0;
  int channels = 3;
  std::vector<float> pixels;

  ImageView view() const { return {pixels.data(), width, height, channels, 0}; }
};

enum class Optimizer { lbfgs, adam };
enum class Init { content, noise, style };
enum class Pooling { max, average };
enum class DeviceKind { automatic, cpu, cuda };
enum class Precision { fp32, bf16, fp16 };
// Key names cannot tell torchvision's and Caffe's VGG19 files apart; the
// input they expect differs, so the caller says which one it has.
enum class Preprocessing { torchvision, caffe };
// luminance: only the luminance is stylised; the result keeps the content's
// colours (Gatys et al. 2017, "Controlling Perceptual Factors", colour control).
enum class ColorPreservation { none, luminance };
// The style images' colours matched to the content's before the run: by
// mean and covariance (an affine transform), or by histogram (each channel's
// distribution, in the content's decorrelated colour axes).
enum class StyleColors { own, mean_covariance, histogram };
// How a region's mask reaches the network's layers (Gatys et al. 2017):
// inside, a neuron counts for the region only as far as its whole receptive
// field is inside it (the mask eroded layer by layer); none, the mask is
// only scaled down to each layer.
enum class MaskErosion { inside, none };
// What the style loss compares at each style layer: Gram matrices (Gatys et
// al.), or the features' mean and covariance (the 2-Wasserstein distance
// between Gaussians, crowsonkb/style-transfer-pytorch).
enum class StyleLossKind { gram, mean_covariance };
// The ratio of one automatic scale's longer side to the next coarser one's.
enum class ScaleRatio { two, sqrt2 };

struct LayerWeight {
  std::string layer; // "conv4_2", "relu4_2" ... conv1_1 to conv5_4
  float weight = 1.0f;
};

struct StyleImage {
  ImageView image;
  float weight = 1.0f; // blend weight among several styles
  // Stroke size: this style's size relative to Options::style_scale (2: its
  // strokes twice as large as the others'). The product stays in 0.05 .. 8.
  float scale = 1.0f;
  // Where this style paints: a mask of the content's size (soft masks
  // blend); none (null pixels): everywhere. Each masked style's statistics
  // are matched in its region by guided Gram matrices; the unmasked styles
  // share one term, their Gram matrices blended by weight. Each term weighs
  // its styles' share of the blend weights times the number of terms, so a
  // single term (one style, or every style unmasked) weighs 1 as before.
  // Styles given the same mask buffer paint the same region.
  MaskView region = {};
  // The part of the style image its statistics come from: a mask of the
  // style image's size; none: the whole style image.
  MaskView style_region = {};
};

struct ModelOptions {
  std::string weights_path; // empty: search order of nst/weights.h
  Preprocessing preprocessing = Preprocessing::torchvision;
  DeviceKind device = DeviceKind::automatic;
  int device_index = 0; // CUDA device
  Pooling pooling = Pooling::max;
  int threads = 0; // 0: every logical CPU (LibTorch alone would use 1 on some machines)
};

// The loaded, frozen VGG19 features on one device. Opaque; reusable for
// many runs; safe to use from one thread at a time.
class Model;

struct Options {
  // Gatys et al.'s layers, after their ReLU ("convX_Y" names the output
  // before it).
  std::vector<LayerWeight> content_layers = {{"relu4_2", 1.0f}};
  std::vector<LayerWeight> style_layers = {{"relu1_1", 1.0f},
                                           {"relu2_1", 1.0f},
                                           {"relu3_1", 1.0f},
                                           {"relu4_1", 1.0f},
                                           {"relu5_1", 1.0f}};
  double content_weight = 1.0;
  double style_weight = 1.0e5;
  double tv_weight = 1.0e-3;

  // The result is optimised coarse to fine: a scale's result, upsampled, is
  // where the next one starts, with the content's detail that the coarser
  // size could not hold where `init` is content. Automatic scales halve
  // `size` down to about 256 px (1024 -> 256, 512, 1024; 512 -> 256, 512;
  // 300 -> 300). Steps: `iterations` at the finest scale of at most 1024
  // px, 3x at the next coarser, 9x at all coarser ones: 1024 px runs 225, 75
  // and 25 steps. Larger scales get iterations x that scale's pixels over theirs, at least
  // 4: a 4000x3000 layer at its own size runs 225, 75, 25, 6 and 4 steps at
  // 250, 500, 1000, 2000 and 4000 px (schedule.h).
  int size = 0; // longer side of the result being optimised (16..30000); 0 = content size
  std::vector<int> scales; // longer sides, coarse to fine; empty = automatic; given, the last one
                           // replaces `size`
  int iterations = 25;     // optimisation steps at the finest scale (1..100000)
  std::vector<int> iterations_per_scale; // one per entry of `scales`; empty = derived as above
  // sqrt2: automatic scales in steps of sqrt(2) instead of 2 (1024 -> 256,
  // 362, 512, 724, 1024), each coarser one with (its pixels' ratio)^0.79
  // times the steps, the rule above's 3x per halving.
  ScaleRatio scale_ratio = ScaleRatio::two;
  float style_scale = 1.0f; // style image size relative to the result (0.05..8)
  // Iterate averaging: each scale ends with the exponential moving average
  // of its steps' images (bias-corrected) instead of the last one; the decay
  // (0.9: about the last ten steps); 0 = off.
  double iterate_averaging = 0.0;

  Optimizer optimizer = Optimizer::lbfgs;
  // L-BFGS's step length (1 is right; history 100 steps or the scale's steps
  // less one, one loss evaluation per step), or Adam's rate in 0..255 pixel
  // units (about 5 works).
  double learning_rate = 1.0;
  Init init = Init::content;
  ColorPreservation preserve_colors = ColorPreservation::none;
  StyleColors match_style_colors = StyleColors::own;
  MaskErosion mask_erosion = MaskErosion::inside;
  StyleLossKind style_loss = StyleLossKind::gram;
  uint64_t seed = 0;

  // The network's convolutions; losses, Gram matrices and the image stay
  // float32. bf16 is faster on CPUs with AVX-512 BF16 or AMX (README's
  // Performance section has this machine's figures).
  Precision precision = Precision::fp32;
  // Everything a run holds counts against this; a step whose activations do
  // not fit is evaluated in blocks, exactly (the same loss and gradient);
  // then L-BFGS's history is shortened, then Adam replaces it (the report's
  // notes say so); when not even the smallest block fits, the run fails
  // with out_of_memory. Counts the run's memory, not LibTorch's own ~170 MB.
  // On CUDA the device's free memory when the run begins bounds it too.
  std::size_t memory_limit_bytes = std::size_t{4} << 30;
  int tile_size = 0;     // 0 = automatic from the memory limit; else inner blocks of at most this
                         // side (rounded down to 64 px with relu5_1), edge blocks up to a
                         // receptive margin more
  int preview_every = 5; // steps between preview images; 0 = none
  // Longer side previews are shrunk to, their aspect kept; 0 = the scale's
  // size (a full-size preview of a large photo takes memory-limit's room:
  // several copies of the image).
  int preview_side = 0;
  // Evaluates the result's loss once more at the finest scale, into
  // RunReport::result_loss (one more step's time; the benchmark's measure).
  bool measure_result = false;
};

// One scale of a run's plan, coarse to fine.
struct PlannedScale {
  int width = 0, height = 0;
  int steps = 0; // optimisation steps
  int tiles = 1; // blocks each step is evaluated in; 1: the whole image at once
  // Pixels one step works on when in blocks: their reads, margins included,
  // the first pass's (no gradients) counted at half, less the layers it
  // keeps for the second. 0: width x height.
  double pixels_per_step = 0;
  // What the scale does before its first step, in the same pixels: its
  // content's and styles' features, a forward pass each (half a step).
  double setup_pixels = 0;
};

struct Progress {
  int scale_index = 0; // 0-based
  int scale_count = 1;
  int step = 0; // 1-based within the scale
  int steps_in_scale = 0;
  int total_step = 0; // 1-based across all scales
  int total_steps = 0;
  double content_loss = 0, style_loss = 0, tv_loss = 0, total_loss = 0;
  double elapsed_seconds = 0;
  // The engine's estimate of the seconds this run still needs, from the
  // measured steps and the plan; negative until a step has been timed.
  double remaining_seconds = -1;
  std::vector<PlannedScale> plan;
  // RGB at the scale's size, or shrunk to Options::preview_side; valid
  // during the call only.
  const Image *preview = nullptr;
};

using ProgressCallback = std::function<void(const Progress &)>;

// Set from any thread (a signal handler too: the stores are lock-free); the
// engine checks it once per optimisation step, and a download checks the
// cancel request as it goes.
class CancelToken {
public:
  void request_stop() { state_.store(stop); } // finish now, keep the current image
  void request_cancel() {                     // abandon the run
    state_.store(cancel);
    abandon_.store(true);
  }
  bool stop_requested() const { return state_.load() == stop; }
  bool cancel_requested() const { return state_.load() == cancel; }
  void reset() {
    state_.store(run);
    abandon_.store(false);
  }
  // The cancel request as ensure_weights and download_file take it.
  const std::atomic<bool> *download_cancel() const { return &abandon_; }

private:
  enum { run, stop, cancel };
  std::atomic<int> state_{run};
  std::atomic<bool> abandon_{false};
};

struct StepRecord {
  int scale_index = 0;
  int step = 0;
  double content_loss = 0, style_loss = 0, tv_loss = 0, total_loss = 0;
  double seconds = 0; // wall time of this step
};

struct RunReport {
  std::vector<StepRecord> steps;
  double seconds = 0;
  std::size_t peak_memory_bytes = 0; // process peak RSS during the run (CPU) or device peak (CUDA)
  // On CPU, the peak above what the process held when the run began (its
  // libraries, the caller's images): the share memory_limit_bytes bounds.
  // On CUDA, the device's peak as above (the network included).
  std::size_t run_peak_memory_bytes = 0;
  bool stopped_early = false;
  // What the memory plan changed to fit the limit (a shorter L-BFGS history,
  // Adam instead of L-BFGS), one line per scale it changed.
  std::vector<std::string> notes;
  // Seconds per pixel-step of the optimisation at scales of at least 512 x 512
  // pixels (each scale's first step, which carries its setup, left out); 0
  // when no such step was timed.
  double seconds_per_pixel_step = 0;
  // What estimate_run_seconds (the dialog's estimate) said before the run,
  // set by Job::run; 0 where stylise was called directly.
  double estimated_seconds = 0;
  // The result's total loss at the finest scale (Options::measure_result);
  // negative when not measured. Each step's own losses are those of the
  // image it started from.
  double result_loss = -1;
  std::string device; // "cpu", "cuda:0"
  std::string blas;   // the CPU BLAS: "openblas-openmp", "openblas-pthreads", ...
};

// `cancel` (may be null) is checked between the file's tensors: reading a
// large file from disk takes seconds. A cancel returns ErrorCode::cancelled.
Status load_model(const ModelOptions &options, std::shared_ptr<Model> &model,
                  const CancelToken *cancel = nullptr);

// Stylises `content` (its alpha, if any, passes through untouched) into
// `result`, an image of the content's size and channel count. A stop request
// ends the run early with a complete result; a cancel request returns
// ErrorCode::cancelled and leaves `result` empty.
Status stylise(Model &model, const ImageView &content, const std::vector<StyleImage> &styles,
               const Options &options, Image &result, const ProgressCallback &progress = {},
               const CancelToken *cancel = nullptr, RunReport *report = nullptr);

struct DeviceInfo {
  DeviceKind kind = DeviceKind::cpu;
  int index = 0;
  std::string name; // "CPU (2 threads)", "NVIDIA H100 80GB HBM3"
};

std::vector<DeviceInfo> list_devices();

} // namespace nst
