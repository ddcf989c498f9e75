// neural-style: the engine on the command line. See --help, or cli_options.cpp
// for the options and cli_run.cpp for what a run does.
#include "cli_options.h"
#include "cli_run.h"
#include "nst-i18n.h"

#include <clocale>
#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr const char *kProgram = "neural-style";

void set_up_translations() {
  std::setlocale(LC_ALL, "");
  // Numbers in and out of LibTorch and the files stay in the C format.
  std::setlocale(LC_NUMERIC, "C");
  // The plug-in's catalogs, where po/ installs them.
  bindtextdomain(GETTEXT_PACKAGE, NST_CLI_LOCALEDIR);
  bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
}

} // namespace

int main(int argc, char **argv) {
  set_up_translations();
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  nst_cli::CliOptions options;
  std::string error;
  if (!nst_cli::parse_arguments(arguments, options, error)) {
    std::fprintf(stderr, "%s: %s\n", kProgram, error.c_str());
    std::fprintf(stderr, _("Try '%s --help' for more information.\n"), kProgram);
    return nst_cli::kExitUsage;
  }
  switch (options.action) {
  case nst_cli::Action::help: std::fputs(nst_cli::help_text(kProgram).c_str(), stdout); return 0;
  case nst_cli::Action::version: std::printf("%s %s\n", kProgram, NST_VERSION); return 0;
  case nst_cli::Action::list_devices: return nst_cli::run_list_devices();
  case nst_cli::Action::run: break;
  }
  return nst_cli::run_stylise(options, kProgram);
}
