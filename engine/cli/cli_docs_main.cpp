// neural-style-docs: writes neural-style's man page or bash completion at
// build time, from the option table (cli_docs.h). Links no LibTorch.
//
//   neural-style-docs man|bash-completion OUTPUT
#include "cli_docs.h"

#include "nst-config.h" // NST_VERSION, NST_RELEASE_DATE

#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char **argv) {
  if (argc != 3 ||
      (std::strcmp(argv[1], "man") != 0 && std::strcmp(argv[1], "bash-completion") != 0)) {
    std::fprintf(stderr, "usage: neural-style-docs man|bash-completion OUTPUT\n");
    return 2;
  }
  // No setlocale(): the strings stay the English ones marked for translation.
  const std::string text = std::strcmp(argv[1], "man") == 0
                               ? nst_cli::man_page("neural-style", NST_VERSION, NST_RELEASE_DATE)
                               : nst_cli::bash_completion("neural-style");
  std::FILE *file = std::fopen(argv[2], "w");
  if (!file || std::fputs(text.c_str(), file) < 0 || std::fclose(file) != 0) {
    std::fprintf(stderr, "neural-style-docs: cannot write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
