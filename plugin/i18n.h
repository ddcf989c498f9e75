// Translation macros of the plug-in and its dialog: _() translates now in the
// plug-in's own gettext domain, N_() only marks a string for xgettext.
// GIMP binds that domain to the catalogs inside the plug-in's folder
// (set_i18n in plugin_main.cpp).
#pragma once

#include "nst-config.h" // GETTEXT_PACKAGE, needed before gi18n-lib.h

#include <glib/gi18n-lib.h>
