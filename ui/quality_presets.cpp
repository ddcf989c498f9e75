#include "quality_presets.h"

#include "nst/engine.h"

namespace nst_ui {

QualitySettings quality_settings(Quality quality) {
  const nst::Options defaults;
  switch (quality) {
  case Quality::draft: return {384, 15, ""};
  case Quality::balanced: break;
  case Quality::fine: return {0, 50, ""};
  case Quality::custom: break;
  }
  return {defaults.size, defaults.iterations, ""};
}

Quality quality_of(int size, int iterations, const std::string &scales) {
  for (Quality quality : {Quality::draft, Quality::balanced, Quality::fine}) {
    const QualitySettings settings = quality_settings(quality);
    if (settings.size == size && settings.iterations == iterations && settings.scales == scales)
      return quality;
  }
  return Quality::custom;
}

const char *quality_id(Quality quality) {
  switch (quality) {
  case Quality::draft: return "draft";
  case Quality::balanced: return "balanced";
  case Quality::fine: return "fine";
  case Quality::custom: break;
  }
  return "custom";
}

bool quality_from_id(const std::string &id, Quality &quality) {
  for (Quality q : {Quality::draft, Quality::balanced, Quality::fine, Quality::custom}) {
    if (id == quality_id(q)) {
      quality = q;
      return true;
    }
  }
  return false;
}

} // namespace nst_ui
