// The man page and the bash completion of neural-style, written from the
// same option list as --help (cli_options.h's option_help(), which reads
// nst/parameters.h): no second copy of the options. neural-style-docs
// (cli_docs_main.cpp) writes them at build time; no LibTorch is involved.
#pragma once

#include <string>

namespace nst_cli {

// The roff source of neural-style(1), in English (the strings as marked for
// translation, untranslated while no locale is set). `date`: the version's,
// YYYY-MM-DD.
std::string man_page(const std::string &program, const std::string &version,
                     const std::string &date);

// A bash completion script: option names, the choices of the options that
// have them, file names after the options that take a file.
std::string bash_completion(const std::string &program);

} // namespace nst_cli
