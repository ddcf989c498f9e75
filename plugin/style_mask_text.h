// style-masks as a text, the form scripts and the dialog write it: one item
// per style, "none" (everywhere), "selection" or the ID of a channel or
// layer mask, separated by commas or spaces. No GIMP types.
#pragma once

#include <string>
#include <vector>

namespace nst_plugin {

// Where a style paints: everywhere, in the image's selection, or in a
// channel or layer mask of the image (by item ID).
struct StyleMask {
  enum class Kind { everywhere, selection, item };
  Kind kind = Kind::everywhere;
  int item_id = 0;
};

// False with a translated `error` for an item that is none of the three.
// Whether an ID names a mask is checked when it is read. An empty text is
// an empty list.
bool parse_style_masks(const std::string &text, std::vector<StyleMask> &masks, std::string &error);

// The text of `masks`; "" when every style paints everywhere.
std::string style_masks_text(const std::vector<StyleMask> &masks);

} // namespace nst_plugin
