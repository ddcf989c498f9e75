// nst/estimate.h: the run's own plan (the schedule, base/schedule.h, and
// each scale's blocks, memory_plan.h) priced at the rate kept in the
// plug-in's cache folder for the run's device and precision.
#include "nst/estimate.h"

#include "base/time_left.h"
#include "core/devices.h"
#include "core/memory_plan.h"
#include "fetch/cache_folders.h"

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

namespace nst {
namespace {

// Seconds per pixel-step measured on this project's machine (2 cores of an
// AMD EPYC with AVX-512), 2026-12-07: a 2000x1500 step on the whole image,
// 10.09 s in fp32, 6.75 s in bf16 (fp16 priced as bf16). A step in blocks
// is priced by the pixels its blocks read (planned_scale). No GPU was
// measured, and a CPU's rate would price a GPU's run many times too long.
double built_in_rate(const std::string &device, Precision precision) {
  if (device != "cpu")
    return 0;
  constexpr double kPixels = 2000.0 * 1500.0;
  return (precision == Precision::fp32 ? 10.09 : 6.75) / kPixels;
}

// step-rate-cpu-bf16.txt, step-rate-cuda0-fp32.txt: one rate per device and
// precision, since a GPU's steps and a CPU's differ many times over.
std::string rate_file(const std::string &device, Precision precision) {
  const std::string folder = fetch::plugin_cache_folder();
  if (folder.empty())
    return "";
  std::string name;
  for (char c : device)
    if (std::isalnum(static_cast<unsigned char>(c)))
      name += c;
  if (name.empty())
    return "";
  name += precision == Precision::fp32 ? "-fp32" : precision == Precision::bf16 ? "-bf16" : "-fp16";
  return folder + "/step-rate-" + name + ".txt";
}

std::string device_of(const Settings &settings) {
  return device_string(planned_device(settings.model.device, settings.model.device_index));
}

} // namespace

double estimate_run_seconds(int width, int height, const Settings &settings) {
  if (width <= 0 || height <= 0)
    return 0;
  // The dialog asks while values are edited: steps per scale that do not
  // match the scales (the run refuses them) are left to the automatic rule.
  Settings planned = settings;
  if (planned.options.iterations_per_scale.size() != planned.options.scales.size())
    planned.options.iterations_per_scale.clear();
  const double rate = step_rate(settings);
  if (!(rate > 0))
    return 0;
  return planned_work(expected_plan(width, height, planned)) * rate;
}

double step_rate(const Settings &settings) {
  return step_rate(device_of(settings), settings.options.precision);
}

double step_rate(const std::string &device, Precision precision) {
  const std::string path = rate_file(device, precision);
  if (!path.empty()) {
    std::ifstream in(path);
    double measured = 0;
    if (in >> measured && std::isfinite(measured) && measured > 0 && measured < 1)
      return measured;
  }
  return built_in_rate(device, precision);
}

void remember_step_rate(const std::string &device, Precision precision,
                        double seconds_per_pixel_step) {
  if (!std::isfinite(seconds_per_pixel_step) || seconds_per_pixel_step <= 0)
    return;
  const std::string path = rate_file(device, precision);
  if (path.empty())
    return;
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  std::ofstream out(path, std::ios::trunc);
  out.precision(6);
  out << seconds_per_pixel_step << "\n";
}

} // namespace nst
