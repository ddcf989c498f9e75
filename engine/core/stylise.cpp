// stylise(): the coarse-to-fine Gatys optimisation, with progress, previews,
// stop and cancel, colour preservation, blocks for scales larger than the
// memory limit, and the alpha channel passed through.
#include "base/schedule.h"
#include "base/time_left.h"
#include "core/api_guard.h"
#include "core/blas_threads.h"
#include "core/devices.h"
#include "core/image_ops.h"
#include "core/lbfgs.h"
#include "core/memory_plan.h"
#include "core/model.h"
#include "core/objective.h"
#include "core/reusing_allocator.h"
#include "core/validation.h"

// Not in the precompiled header (core/torch_api.h): only this file uses an
// optimiser of LibTorch's.
#include <torch/optim/adam.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace nst {
namespace {

using Clock = std::chrono::steady_clock;
using torch::indexing::Slice;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Scale {
  ScalePlan plan;
  ScaleMemory memory;
  int steps_in_scale() const { return plan.steps; }
};

class Run {
public:
  Run(Model &model, const ImageView &content, const std::vector<StyleImage> &styles,
      const Options &options, const ProgressCallback &progress, const CancelToken *cancel,
      RunReport &report)
      : model_(model), content_view_(content), styles_(styles), options_(options),
        progress_(progress), cancel_(cancel), report_(report),
        objective_(model, options, compute_dtype(options.precision, model.device()), cancel) {}

  void execute(Image &result);
  torch::ScalarType dtype() const { return objective_.dtype(); }

private:
  bool luminance_only() const { return options_.preserve_colors == ColorPreservation::luminance; }
  void prepare_inputs();
  void set_style_targets(const Scale &scale);
  torch::Tensor initial_image(const ScalePlan &plan) const;
  torch::Tensor optimise(torch::Tensor image, const Scale &scale);
  // `image` as the caller should see it: colours restored in luminance mode.
  torch::Tensor displayed(const torch::Tensor &image, const torch::Tensor &colours) const;
  // `image` divided by `weight` is what the step made (iterate averaging's
  // bias correction: divided only for a preview).
  void report_step(const LossValues &values, const Scale &scale, const torch::Tensor &image,
                   double weight, double step_seconds);
  void write_result(const torch::Tensor &image, Image &result) const;
  double loss_of(const torch::Tensor &image, const Scale &scale);
  void check_finite(const LossValues &values) const;

  Model &model_;
  const ImageView &content_view_;
  const std::vector<StyleImage> &styles_;
  const Options &options_;
  const ProgressCallback &progress_;
  const CancelToken *cancel_;
  RunReport &report_;
  Objective objective_;

  Clock::time_point start_ = Clock::now();
  std::vector<Scale> scales_;
  std::vector<PlannedScale> plan_; // scales_ as Progress shows them
  TimeLeft time_left_;
  int scale_index_ = 0, step_in_scale_ = 0;
  int total_steps_ = 0, steps_done_ = 0;
  bool stopped_ = false;
  double inverse_curvature_ = 0, inverse_curvature_pixels_ = 0; // L-BFGS's, for the next scale
  torch::Tensor content_;                                       // full-size RGB
  std::vector<torch::Tensor> styles_rgb_; // as the losses see them (matched / luminance)
  // Each style's region at the content's size and its own region at the
  // style's, 1 x 1 x H x W; undefined: none.
  std::vector<torch::Tensor> regions_, style_regions_;
  torch::Tensor content_scaled_; // the current scale's content (its colours)
  torch::Tensor content_input_;  // ... as the losses see it
};

void Run::prepare_inputs() {
  const torch::Device device = model_.device();
  content_ = rgb_tensor(content_view_, device);
  for (const auto &style : styles_) {
    torch::Tensor rgb = rgb_tensor(style.image, device);
    if (options_.match_style_colors == StyleColors::mean_covariance)
      rgb = match_colours(rgb, content_);
    else if (options_.match_style_colors == StyleColors::histogram)
      rgb = match_histograms(rgb, content_);
    if (luminance_only())
      rgb = match_luminance(luminance_image(rgb), content_);
    styles_rgb_.push_back(rgb);
    regions_.push_back(style.region.pixels ? mask_tensor(style.region, device) : torch::Tensor());
    style_regions_.push_back(style.style_region.pixels ? mask_tensor(style.style_region, device)
                                                       : torch::Tensor());
  }
}

void Run::set_style_targets(const Scale &scale) {
  std::vector<ScaledStyle> scaled;
  for (std::size_t i = 0; i < styles_.size(); ++i) {
    const torch::Tensor &style = styles_rgb_[i];
    const auto [w, h] = style_size_at(int(style.size(3)), int(style.size(2)), scale.plan,
                                      style_scale_of(options_, styles_[i]));
    ScaledStyle s;
    s.image = resize_image(style, h, w);
    if (style_regions_[i].defined())
      s.style_region = resize_mask(style_regions_[i], h, w);
    if (regions_[i].defined())
      s.region = resize_mask(regions_[i], scale.plan.height, scale.plan.width);
    s.region_key = styles_[i].region.pixels;
    s.weight = styles_[i].weight;
    scaled.push_back(std::move(s));
  }
  objective_.set_style_terms(make_style_terms(objective_, scaled, scale.memory.style_read_pixels));
}

torch::Tensor Run::initial_image(const ScalePlan &plan) const {
  switch (options_.init) {
  case Init::noise: {
    const torch::Tensor noise =
        torch::rand({1, luminance_only() ? 1 : 3, plan.height, plan.width}, content_.options());
    return noise.expand({1, 3, plan.height, plan.width}).contiguous();
  }
  case Init::style: return resize_image(styles_rgb_.front(), plan.height, plan.width).clone();
  case Init::content: break;
  }
  return content_input_.clone();
}

torch::Tensor Run::displayed(const torch::Tensor &image, const torch::Tensor &colours) const {
  return luminance_only() ? with_chroma_of(image, colours) : image;
}

void Run::report_step(const LossValues &values, const Scale &scale, const torch::Tensor &image,
                      double weight, double step_seconds) {
  ++steps_done_;
  ++step_in_scale_;
  report_.steps.push_back({scale_index_, step_in_scale_, values.content, values.style, values.tv,
                           values.total, step_seconds});
  if (!progress_)
    return;
  Progress progress;
  progress.scale_index = scale_index_;
  progress.scale_count = static_cast<int>(scales_.size());
  progress.step = step_in_scale_;
  progress.steps_in_scale = scale.steps_in_scale();
  progress.total_step = steps_done_;
  progress.total_steps = total_steps_;
  progress.content_loss = values.content;
  progress.style_loss = values.style;
  progress.tv_loss = values.tv;
  progress.total_loss = values.total;
  progress.elapsed_seconds = seconds_since(start_);
  progress.plan = plan_;
  progress.remaining_seconds =
      time_left_.after_step(plan_, scale_index_, step_in_scale_, progress.elapsed_seconds);
  Image preview;
  if (options_.preview_every > 0 &&
      (step_in_scale_ % options_.preview_every == 0 || step_in_scale_ == progress.steps_in_scale)) {
    torch::NoGradGuard no_grad;
    // Shrunk first: a full-size copy of a large photo is what the limit
    // would have to make room for.
    const auto [width, height] = preview_size(scale.plan.width, scale.plan.height, options_);
    const torch::Tensor shown = resize_image(image.detach(), height, width);
    // The content's colours only where the preview takes them.
    const torch::Tensor colours =
        luminance_only() ? resize_image(content_scaled_, height, width) : torch::Tensor();
    image_from_tensor(displayed(weight == 1.0 ? shown : shown / weight, colours), preview);
    progress.preview = &preview;
  }
  progress_(progress);
}

// A loss that is no longer a number ends the run with the term and the
// weight behind it, instead of a black or NaN picture reported as success.
void Run::check_finite(const LossValues &values) const {
  struct Term {
    const char *name, *weight;
    double value, setting;
  };
  const Term terms[] = {{"content", "content-weight", values.content, options_.content_weight},
                        {"style", "style-weight", values.style, options_.style_weight},
                        {"smoothness", "tv-weight", values.tv, options_.tv_weight}};
  for (const Term &term : terms)
    if (!std::isfinite(term.value))
      throw Error(ErrorCode::invalid_argument,
                  "the " + std::string(term.name) + " loss became " + std::to_string(term.value) +
                      " at scale " + std::to_string(scale_index_ + 1) + ", step " +
                      std::to_string(step_in_scale_ + 1) + ": lower " + term.weight + " (now " +
                      std::to_string(term.setting) +
                      "), or check that the weights file holds VGG19's weights");
  if (!std::isfinite(values.total))
    throw Error(ErrorCode::invalid_argument,
                "the total loss became " + std::to_string(values.total) + " at scale " +
                    std::to_string(scale_index_ + 1) +
                    ": the weights are too large for float32; lower style-weight or "
                    "content-weight");
}

torch::Tensor Run::optimise(torch::Tensor image, const Scale &scale) {
  image = image.detach().clone().requires_grad_(true);
  const double pixels = double(scale.plan.width) * scale.plan.height;
  std::unique_ptr<Lbfgs> lbfgs;
  std::unique_ptr<torch::optim::Adam> adam;
  if (scale.memory.optimizer == Optimizer::lbfgs) {
    lbfgs = std::make_unique<Lbfgs>(
        image, options_.learning_rate, scale.memory.history,
        inverse_curvature_at(inverse_curvature_, inverse_curvature_pixels_, pixels));
  } else {
    // The rate is given in 0..255 pixel units; the image is in 0..1.
    const double rate =
        options_.optimizer == Optimizer::adam ? options_.learning_rate : kFallbackAdamRate;
    adam = std::make_unique<torch::optim::Adam>(std::vector<torch::Tensor>{image},
                                                torch::optim::AdamOptions(rate / 255.0));
  }
  const std::vector<Block> &blocks = scale.memory.blocks;
  // Iterate averaging: the steps' images' exponential moving average, its
  // weight 1 - decay^steps corrects its bias toward the zeros it starts from.
  const double decay = options_.iterate_averaging;
  torch::Tensor average;
  double average_weight = 0;
  for (int step = 1; step <= scale.plan.steps; ++step) {
    if (cancel_ && cancel_->cancel_requested())
      throw Error(ErrorCode::cancelled, kCancelledMessage);
    if (cancel_ && cancel_->stop_requested()) {
      stopped_ = true;
      break;
    }
    const auto step_start = Clock::now();
    LossValues values;
    // One evaluation of the loss and its gradient per step; L-BFGS keeps its
    // history across the scale's steps.
    auto closure = [&]() -> torch::Tensor {
      image.mutable_grad() = torch::Tensor();
      torch::Tensor total;
      if (blocks.empty()) {
        values = objective_.evaluate(image, true, &total);
      } else {
        torch::Tensor gradient;
        values = objective_.evaluate_in_blocks(
            image, blocks, gradient, scale.memory.statistics_blocks, scale.memory.keep_from);
        image.mutable_grad() = gradient;
        total = torch::tensor(values.total, image.options().requires_grad(false));
      }
      check_finite(values); // the loss names its term; the gradient only after it
      // A sum is NaN or infinite when any value is (or the values are absurd),
      // and unlike isfinite it makes no image-sized temporary.
      if (image.grad().defined() && !std::isfinite(image.grad().sum().item<double>()))
        throw Error(ErrorCode::invalid_argument,
                    "the loss's gradient is not finite at scale " +
                        std::to_string(scale_index_ + 1) +
                        ": lower style-weight or content-weight, or check the weights file");
      return total;
    };
    if (lbfgs)
      lbfgs->step(closure);
    else
      adam->step(closure);
    if (decay > 0) {
      torch::NoGradGuard no_grad;
      if (!average.defined())
        average = torch::zeros_like(image);
      average.mul_(decay).add_(image.detach(), 1.0 - decay);
      average_weight = average_weight * decay + (1.0 - decay);
    }
    report_step(values, scale, average.defined() ? average : image,
                average.defined() ? average_weight : 1.0, seconds_since(step_start));
  }
  // The next, finer scale starts from this scale's curvature.
  inverse_curvature_ = lbfgs ? lbfgs->inverse_curvature() : 0.0;
  inverse_curvature_pixels_ = pixels;
  if (average.defined()) {
    torch::NoGradGuard no_grad;
    return average.div_(average_weight);
  }
  return image.detach();
}

double Run::loss_of(const torch::Tensor &image, const Scale &scale) {
  if (!scale.memory.blocks.empty()) {
    torch::Tensor gradient;
    return objective_
        .evaluate_in_blocks(image, scale.memory.blocks, gradient, scale.memory.statistics_blocks,
                            scale.memory.keep_from)
        .total;
  }
  torch::NoGradGuard no_grad;
  return objective_.evaluate(image, false).total;
}

void Run::write_result(const torch::Tensor &image, Image &result) const {
  torch::NoGradGuard no_grad;
  const torch::Tensor full = resize_image(image, content_.size(2), content_.size(3));
  Image rgb;
  image_from_tensor(displayed(full, content_), rgb);
  const int channels = content_view_.channels;
  result.width = rgb.width;
  result.height = rgb.height;
  result.channels = channels;
  result.pixels.resize(std::size_t(rgb.width) * rgb.height * channels);
  const std::ptrdiff_t stride = content_view_.row_stride
                                    ? content_view_.row_stride
                                    : std::ptrdiff_t{content_view_.width} * channels;
  for (int y = 0; y < rgb.height; ++y) {
    const float *source = content_view_.pixels + y * stride;
    for (int x = 0; x < rgb.width; ++x) {
      float *out = &result.pixels[(std::size_t(y) * rgb.width + x) * channels];
      const float *in = &rgb.pixels[(std::size_t(y) * rgb.width + x) * 3];
      out[0] = in[0];
      out[1] = in[1];
      out[2] = in[2];
      if (channels == 4)
        out[3] = source[x * 4 + 3]; // alpha untouched
    }
  }
}

void Run::execute(Image &result) {
  at::set_num_threads(model_.threads());
  torch::manual_seed(options_.seed);
  at::globalContext().setDeterministicCuDNN(true);
  at::globalContext().setBenchmarkCuDNN(false);

  ScaleSizes sizes;
  sizes.content_pixels = double(content_view_.width) * content_view_.height;
  std::vector<const float *> regions;
  for (const auto &style : styles_) {
    sizes.style_pixels += double(style.image.width) * style.image.height;
    if (style.region.pixels)
      sizes.mask_pixels += sizes.content_pixels;
    if (style.style_region.pixels)
      sizes.mask_pixels += double(style.image.width) * style.image.height;
    if (style.region.pixels &&
        std::find(regions.begin(), regions.end(), style.region.pixels) == regions.end())
      regions.push_back(style.region.pixels);
  }
  sizes.scale_masks = static_cast<int>(regions.size());
  const NetworkShape network = network_shape(model_, objective_.dtype());
  for (const ScalePlan &plan : plan_scales(content_view_.width, content_view_.height, options_)) {
    try {
      sizes.width = plan.width;
      sizes.height = plan.height;
      sizes.steps = plan.steps;
      sizes.scaled_style_pixels = 0;
      for (const auto &style : styles_) {
        const auto [w, h] = style_size_at(style.image.width, style.image.height, plan,
                                          style_scale_of(options_, style));
        sizes.scaled_style_pixels += double(w) * h;
      }
      Scale scale{plan, plan_scale_memory(network, options_, objective_.deepest_conv(), sizes)};
      total_steps_ += scale.steps_in_scale();
      plan_.push_back(planned_scale(plan, scale.memory, sizes.scaled_style_pixels));
      if (!scale.memory.note.empty())
        report_.notes.push_back(scale.memory.note);
      scales_.push_back(std::move(scale));
    } catch (const Error &error) {
      throw Error(error.code(), "stylising a " + std::to_string(content_view_.width) + "x" +
                                    std::to_string(content_view_.height) +
                                    " image: " + error.what());
    }
  }
  prepare_inputs();

  torch::Tensor image;
  for (std::size_t i = 0; i < scales_.size() && !stopped_; ++i) {
    const Scale &scale = scales_[i];
    scale_index_ = static_cast<int>(i);
    step_in_scale_ = 0;
    {
      torch::NoGradGuard no_grad;
      content_scaled_ = resize_image(content_, scale.plan.height, scale.plan.width);
      content_input_ = luminance_only() ? luminance_image(content_scaled_) : content_scaled_;
      set_style_targets(scale);
      // The style image's crops have other sizes than this scale's steps.
      ReusingAllocatorScope::release_cached();
      // A finer scale begun from the layer also gets the layer's detail
      // that the coarser one could not hold; one begun from noise or the
      // style was asked not to start from the layer's pixels.
      if (i == 0)
        image = initial_image(scale.plan);
      else if (options_.init == Init::content)
        image = finer_scale_start(image, content_input_);
      else
        image = resize_image(image, scale.plan.height, scale.plan.width);
    }
    objective_.set_content(content_input_, scale.memory.blocks, scale.memory.content_kept);
    image = optimise(image, scale);
    if (options_.measure_result && i + 1 == scales_.size())
      report_.result_loss = loss_of(image, scale);
    ReusingAllocatorScope::release_cached(); // the next scale's blocks have other sizes
  }
  if (cancel_ && cancel_->cancel_requested())
    throw Error(ErrorCode::cancelled, kCancelledMessage);
  write_result(image, result);
  report_.stopped_early = stopped_;
  // Small scales' steps cost mostly their fixed overhead: only scales of at
  // least 512 x 512 pixels price the pixels of the next estimate.
  double seconds = 0, work = 0;
  for (const StepRecord &step : report_.steps) {
    const PlannedScale &scale = plan_[step.scale_index];
    if (step.step > 1 && double(scale.width) * scale.height >= 512.0 * 512.0) {
      seconds += step.seconds;
      work += pixels_per_step(plan_[step.scale_index]);
    }
  }
  if (work > 0)
    report_.seconds_per_pixel_step = seconds / work;
}

} // namespace

Status stylise(Model &model, const ImageView &content, const std::vector<StyleImage> &styles,
               const Options &options, Image &result, const ProgressCallback &progress,
               const CancelToken *cancel, RunReport *report) {
  RunReport local_report;
  RunReport &run_report = report ? *report : local_report;
  run_report = RunReport{};
  run_report.device = device_string(model.device());
  run_report.blas = BlasThreadsScope::blas_kind();
  bool began = false; // the peaks were reset: what they say is the run's
  std::size_t resident_at_start = 0;
  const auto start = Clock::now();
  Status status = guard_api("stylise", [&] {
    validate_request(content, styles, options);
    Options fitted = options;
    const std::string device_note =
        limit_to_device_room(fitted, device_room_bytes(model.device()), run_report.device);
    if (!device_note.empty())
      run_report.notes.push_back(device_note);
    reset_peak_memory(model.device());
    resident_at_start = resident_memory_bytes();
    began = true;
    // Freed activations are kept for the next step instead of going back
    // to the kernel, as far as the memory limit allows.
    ReusingAllocatorScope reuse(fitted.memory_limit_bytes - kUntrackedBytes);
    BlasThreadsScope blas_threads;
    Run run(model, content, styles, fitted, progress, cancel, run_report);
    if (options.precision == Precision::bf16 && run.dtype() != torch::kBFloat16)
      run_report.notes.push_back(
          "bf16: this CPU has no bfloat16 convolutions (they need AVX-512 or AVX-NE-CONVERT); "
          "computed in float32");
    Image output;
    run.execute(output);
    result = std::move(output);
  });
  if (!status.ok())
    result = Image{};
  run_report.seconds = seconds_since(start);
  run_report.peak_memory_bytes = peak_memory_bytes(model.device());
  if (began && model.device().is_cuda())
    run_report.run_peak_memory_bytes = run_report.peak_memory_bytes;
  else if (began && run_report.peak_memory_bytes > resident_at_start)
    run_report.run_peak_memory_bytes = run_report.peak_memory_bytes - resident_at_start;
  return status;
}

} // namespace nst
