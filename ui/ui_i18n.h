// Translation macros of the dialog and the live window: _() translates in
// the plug-in's own gettext domain (bound by GIMP from set_i18n), N_() only
// marks a string for xgettext.
#pragma once

#include "nst-config.h" // GETTEXT_PACKAGE, needed before gi18n-lib.h

#include <glib/gi18n-lib.h>
