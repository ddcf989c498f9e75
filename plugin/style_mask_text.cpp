#include "style_mask_text.h"

#include "nst-i18n.h"
#include "nst/parameters.h"
#include "nst/text_format.h"

#include <algorithm>
#include <climits>

namespace nst_plugin {
namespace {

constexpr const char *kEverywhere = "none";
constexpr const char *kSelection = "selection";

} // namespace

bool parse_style_masks(const std::string &text, std::vector<StyleMask> &masks, std::string &error) {
  std::vector<StyleMask> parsed;
  for (const std::string &item : nst::list_items(text)) {
    StyleMask mask;
    std::vector<int> id;
    std::string detail;
    if (item == kSelection) {
      mask.kind = StyleMask::Kind::selection;
    } else if (nst::parse_numbers(item, 1, INT_MAX, id, detail) && id.size() == 1) {
      mask.kind = StyleMask::Kind::item;
      mask.item_id = id[0];
    } else if (item != kEverywhere) {
      error = nst::format(_("'%s' is not \"none\", \"selection\" or the ID of a channel or "
                            "layer mask"),
                          item.c_str());
      return false;
    }
    parsed.push_back(mask);
  }
  masks = std::move(parsed);
  return true;
}

std::string style_masks_text(const std::vector<StyleMask> &masks) {
  bool any = false;
  for (const StyleMask &mask : masks)
    any = any || mask.kind != StyleMask::Kind::everywhere;
  if (!any)
    return "";
  std::string text;
  for (const StyleMask &mask : masks) {
    text += text.empty() ? "" : ", ";
    switch (mask.kind) {
    case StyleMask::Kind::everywhere: text += kEverywhere; break;
    case StyleMask::Kind::selection: text += kSelection; break;
    case StyleMask::Kind::item: text += std::to_string(mask.item_id); break;
    }
  }
  return text;
}

} // namespace nst_plugin
