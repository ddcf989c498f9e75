// The GIMP 3 plug-in: registers plug-in-neural-style-transfer under
// Filters > Artistic. Registration stays cheap (GIMP runs it at start-up
// when the plug-in is new or changed); the network is loaded only in a run.
#include "nst-config.h"

#include "error_messages.h"
#include "exception_boundary.h"
#include "filter_run.h"
#include "nst-i18n.h"
#include "procedure_arguments.h"

#include "nst/units.h"
#include "nst/weights.h"

#include <libgimp/gimp.h>

#include <cstring>

namespace {

constexpr const char *kProcedureName = "plug-in-neural-style-transfer";

GimpValueArray *run_image_procedure(GimpProcedure *procedure, GimpRunMode run_mode,
                                    GimpImage *image, GimpDrawable **drawables,
                                    GimpProcedureConfig *config, gpointer /*run_data*/) {
  // Every exit returns a PDB status: nothing escapes as an exception.
  return nst_plugin::exception_boundary(
      "plug-in-neural-style-transfer",
      [&] { return nst_plugin::run_filter(procedure, run_mode, image, drawables, config); },
      [&](nst::ErrorCode code, const std::string &message) {
        const nst_plugin::Reader reader = run_mode == GIMP_RUN_NONINTERACTIVE
                                              ? nst_plugin::Reader::script
                                              : nst_plugin::Reader::dialog;
        const std::string text =
            nst_plugin::error_message(nst::Status::error(code, message), reader);
        return gimp_procedure_new_return_values(
            procedure, GIMP_PDB_EXECUTION_ERROR,
            g_error_new_literal(GIMP_PLUG_IN_ERROR, 0, text.c_str()));
      });
}

GimpProcedure *create_filter_procedure(GimpPlugIn *plug_in) {
  GimpProcedure *procedure = gimp_image_procedure_new(
      plug_in, kProcedureName, GIMP_PDB_PROC_TYPE_PLUGIN, run_image_procedure, nullptr, nullptr);

  gimp_procedure_set_image_types(procedure, "RGB*, GRAY*");
  gimp_procedure_set_sensitivity_mask(procedure, GIMP_PROCEDURE_SENSITIVE_DRAWABLE |
                                                     GIMP_PROCEDURE_SENSITIVE_DRAWABLES);
  gimp_procedure_set_menu_label(procedure, _("_Neural Style Transfer..."));
  gimp_procedure_add_menu_path(procedure, "<Image>/Filters/Artistic");

  // The weights' size comes from the engine, so the help stays right.
  const int download_mb = static_cast<int>(nst::megabytes(nst::kPublishedWeightsBytes));
  gchar *help = g_strdup_printf(
      _("Neural style transfer (Gatys, Ecker and Bethge, 2015) with a VGG19 network: adds, above "
        "each selected layer, a new layer that keeps the layer's content and takes the colours "
        "and brush strokes of a style image, given as a layer of any open image (style-layer) "
        "or as an image file (style-file). With a selection only the selection is repainted; "
        "the new layer is transparent outside it. The source layers are not changed. The VGG19 "
        "weights are read from weights-file, or found in $NST_VGG19_WEIGHTS, the plug-in's "
        "cache or PyTorch's cache, or downloaded on first use (%d MB). Returns the new "
        "layers."),
      download_mb);
  gimp_procedure_set_documentation(procedure, _("Repaint layers in the style of a painting"), help,
                                   kProcedureName);
  g_free(help);
  gimp_procedure_set_attribution(procedure, "The neural-style-transfer authors",
                                 "The neural-style-transfer authors", "2026");

  nst_plugin::add_filter_arguments(procedure);
  return procedure;
}

} // namespace

extern "C" {

#define NST_TYPE_PLUG_IN (nst_plug_in_get_type())
G_DECLARE_FINAL_TYPE(NstPlugIn, nst_plug_in, NST, PLUG_IN, GimpPlugIn)

struct _NstPlugIn {
  GimpPlugIn parent_instance;
};

G_DEFINE_TYPE(NstPlugIn, nst_plug_in, GIMP_TYPE_PLUG_IN)

static GList *nst_plug_in_query_procedures(GimpPlugIn * /*plug_in*/) {
  return g_list_append(nullptr, g_strdup(kProcedureName));
}

static GimpProcedure *nst_plug_in_create_procedure(GimpPlugIn *plug_in, const gchar *name) {
  if (std::strcmp(name, kProcedureName) == 0)
    return create_filter_procedure(plug_in);
  return nullptr;
}

// Catalogs live in locale/ inside the plug-in's own folder (po/meson.build).
// Without that folder (no translations installed) GIMP would print a warning
// at every start, so localisation is then simply off.
static gboolean nst_plug_in_set_i18n(GimpPlugIn * /*plug_in*/, const gchar * /*procedure_name*/,
                                     gchar **gettext_domain, gchar **catalog_dir) {
  gchar *folder = g_path_get_dirname(gimp_get_progname());
  gchar *locale = g_build_filename(folder, "locale", nullptr);
  const gboolean installed = g_file_test(locale, G_FILE_TEST_IS_DIR);
  g_free(locale);
  g_free(folder);
  if (!installed)
    return FALSE;
  *gettext_domain = g_strdup(GETTEXT_PACKAGE);
  *catalog_dir = g_strdup("locale");
  return TRUE;
}

static void nst_plug_in_class_init(NstPlugInClass *klass) {
  GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS(klass);
  plug_in_class->query_procedures = nst_plug_in_query_procedures;
  plug_in_class->create_procedure = nst_plug_in_create_procedure;
  plug_in_class->set_i18n = nst_plug_in_set_i18n;
}

static void nst_plug_in_init(NstPlugIn * /*plug_in*/) {}

} // extern "C"

GIMP_MAIN(NST_TYPE_PLUG_IN)
