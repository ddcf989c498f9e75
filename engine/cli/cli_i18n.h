// Translation macros of the command line: _() translates now in the
// plug-in's gettext domain (the catalogs are shared with the plug-in), N_()
// only marks a string for xgettext. main() binds the domain.
#pragma once

#include "nst-config.h" // GETTEXT_PACKAGE

#include <libintl.h>

#define _(String) dgettext(GETTEXT_PACKAGE, String)
#define N_(String) (String)
