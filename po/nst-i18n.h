// The translation macros of every front end (the command line, the plug-in
// and its dialog): _() translates now in the project's gettext domain, N_()
// and NST_N_() only mark a string for xgettext. The domain is bound by main()
// of neural-style and, for the plug-in, by GIMP from set_i18n. The engine
// translates nothing.
#pragma once

#include "nst-config.h" // GETTEXT_PACKAGE

#include <libintl.h>

#define _(String) dgettext(GETTEXT_PACKAGE, String)
#define N_(String) (String)
