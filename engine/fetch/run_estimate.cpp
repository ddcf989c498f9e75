// nst/estimate.h. Here beside the cache folders, where the measured rate is
// kept; the schedule it prices is the engine's own (base/schedule.h).
#include "nst/estimate.h"

#include "base/schedule.h"
#include "base/time_left.h"
#include "fetch/cache_folders.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

namespace nst {
namespace {

// Seconds per pixel-step measured on this project's machine (2 cores of an
// AMD EPYC with AVX-512), 2026-12-03: a 2000x1500 step on the whole image,
// fp32 14.5 s; bf16 and fp16 at the 512 px steps' bf16/fp32 ratio (0.77).
// Steps in blocks cost more (1.4x measured), which the remembered rate of a
// large run includes.
double built_in_rate(Precision precision) {
  constexpr double kFloat32 = 14.54 / (2000.0 * 1500.0);
  return precision == Precision::fp32 ? kFloat32 : 0.77 * kFloat32;
}

std::string rate_file(Precision precision) {
  const std::string folder = fetch::plugin_cache_folder();
  if (folder.empty())
    return "";
  const char *name = precision == Precision::fp32   ? "fp32"
                     : precision == Precision::bf16 ? "bf16"
                                                    : "fp16";
  return folder + "/step-rate-" + name + ".txt";
}

} // namespace

double estimate_run_seconds(int width, int height, const Options &options) {
  if (width <= 0 || height <= 0)
    return 0;
  // The dialog asks while values are edited: steps per scale that do not
  // match the scales (the run refuses them) are left to the automatic rule.
  Options planned = options;
  if (planned.iterations_per_scale.size() != planned.scales.size())
    planned.iterations_per_scale.clear();
  std::vector<PlannedScale> plan;
  for (const ScalePlan &scale : plan_scales(width, height, planned))
    plan.push_back({scale.width, scale.height, scale.steps});
  double rate = built_in_rate(options.precision);
  const std::string path = rate_file(options.precision);
  if (!path.empty()) {
    std::ifstream in(path);
    double measured = 0;
    if (in >> measured && std::isfinite(measured) && measured > 0 && measured < 1)
      rate = measured;
  }
  return planned_work(plan) * rate;
}

void remember_step_rate(Precision precision, double seconds_per_pixel_step) {
  if (!std::isfinite(seconds_per_pixel_step) || seconds_per_pixel_step <= 0)
    return;
  const std::string path = rate_file(precision);
  if (path.empty())
    return;
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  std::ofstream out(path, std::ios::trunc);
  out.precision(6);
  out << seconds_per_pixel_step << "\n";
}

} // namespace nst
