// The name GIMP shows for a layer, channel or mask, for messages and new
// layers' names ("" when it has none). Main thread only.
#pragma once

#include "gobject_ptr.h"

#include <libgimp/gimp.h>

#include <string>

namespace nst_plugin {

inline std::string item_name(GimpItem *item) {
  GCharPtr name(gimp_item_get_name(item));
  return name ? name.get() : "";
}

} // namespace nst_plugin
