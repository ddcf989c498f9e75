// Owning pointers for GLib objects and strings, so that every early return
// of the run function releases what it holds.
#pragma once

#include <glib-object.h>

#include <memory>

namespace nst_plugin {

struct GObjectUnref {
  void operator()(gpointer object) const {
    if (object)
      g_object_unref(object);
  }
};
template <typename T> using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(gpointer memory) const { g_free(memory); }
};
using GCharPtr = std::unique_ptr<gchar, GFree>;

} // namespace nst_plugin
