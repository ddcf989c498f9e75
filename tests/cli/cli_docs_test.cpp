// The man page and the bash completion come from the option list of --help:
// every parameter of the table and every option of the command line is in
// both, with its value and its help.
#include "cli_docs.h"
#include "cli_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace nst_cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// "--size" as the man page writes it, in bold with minus signs.
std::string man_option(const std::string &name) {
  std::string out = "\\fB";
  for (char c : name)
    out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out + "\\fR";
}

TEST(CliDocs, ManPageListsEveryParameterOfTheTable) {
  const std::string page = man_page("neural-style", "1.2.3", "2031-02-03");
  EXPECT_THAT(page, HasSubstr(".TH NEURAL-STYLE 1 \"2031-02-03\" \"neural-style 1.2.3\""));
  ASSERT_FALSE(nst::parameters().empty());
  for (const nst::Parameter &parameter : nst::parameters())
    EXPECT_THAT(page, HasSubstr(".TP\n" + man_option(std::string("--") + parameter.key)))
        << parameter.key;
}

TEST(CliDocs, ManPageHasEveryOptionOfHelpWithItsValueAndHelp) {
  const std::string page = man_page("neural-style", "1.2.3", "2031-02-03");
  for (const OptionHelp &option : option_help()) {
    EXPECT_THAT(page, HasSubstr(".TP\n" + man_option(option.name))) << option.name;
    if (!option.value_name.empty()) {
      const std::string value = man_option(option.name) + (option.value_optional ? "[=" : " ");
      EXPECT_THAT(page, HasSubstr(value + "\\fI")) << option.name;
    }
    // The help's first words (before any option name, whose minus signs are escaped).
    EXPECT_THAT(page, HasSubstr(option.help.substr(0, option.help.find('-')))) << option.name;
  }
  EXPECT_THAT(page, HasSubstr("Default: 0.")); // --size, from nst::Options
  EXPECT_THAT(page, HasSubstr(".SH EXIT STATUS"));
  EXPECT_THAT(page, HasSubstr("NST_VGG19_WEIGHTS"));
}

TEST(CliDocs, ManPageLinesNeverStartWithAControlCharacterByAccident) {
  const std::string page = man_page("neural-style", "1.2.3", "2031-02-03");
  std::size_t start = 0;
  while (start < page.size()) {
    const std::size_t end = page.find('\n', start);
    const std::string line = page.substr(start, end - start);
    if (!line.empty() && line[0] == '\'')
      ADD_FAILURE() << line;
    if (!line.empty() && line[0] == '.') {
      EXPECT_TRUE(line.size() >= 2 &&
                  (std::isupper(static_cast<unsigned char>(line[1])) || line[1] == '\\'))
          << line;
    }
    start = end == std::string::npos ? page.size() : end + 1;
  }
}

TEST(CliDocs, BashCompletionOffersEveryOptionChoicesAndFiles) {
  const std::string script = bash_completion("neural-style");
  for (const OptionHelp &option : option_help())
    EXPECT_THAT(script, HasSubstr(" " + option.name)) << option.name;
  EXPECT_THAT(script, HasSubstr("--optimizer) COMPREPLY=($(compgen -W 'lbfgs adam'"));
  EXPECT_THAT(script, HasSubstr("--depth) COMPREPLY=($(compgen -W '8 16'"));
  EXPECT_THAT(script, HasSubstr("--content|--style|--output|--weights-file|--weights|--stats)"));
  // The choice an alias stands for is offered, not the alias.
  EXPECT_THAT(script, Not(HasSubstr("avg")));
  EXPECT_THAT(script, HasSubstr("complete -F _neural_style neural-style\n"));
}

} // namespace
} // namespace nst_cli
