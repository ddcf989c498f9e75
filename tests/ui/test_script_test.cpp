#include "test_script.h"

#include <gtest/gtest.h>

namespace {

using nst_ui::TestCommand;

TEST(TestScript, ReadsDialogAndLiveCommands) {
  std::vector<TestCommand> commands;
  std::string error;
  ASSERT_TRUE(nst_ui::parse_test_script("# a comment\n"
                                        "dialog set quality draft\n"
                                        "\n"
                                        "dialog set style-file /tmp/a b.png\n"
                                        "dialog shell import -window root /tmp/x.png\n"
                                        "dialog wait 500\n"
                                        "dialog until preview shown 1\n"
                                        "dialog click ok\n"
                                        "live 3 text status /tmp/s.txt\n"
                                        "live 4 click stop\n",
                                        commands, error))
      << error;
  ASSERT_EQ(commands.size(), 8u);
  EXPECT_EQ(commands[0].phase, TestCommand::Phase::dialog);
  EXPECT_EQ(commands[0].verb, "set");
  EXPECT_EQ(commands[0].name, "quality");
  EXPECT_EQ(commands[0].rest, "draft");
  EXPECT_EQ(commands[1].rest, "/tmp/a b.png");
  EXPECT_EQ(commands[2].verb, "shell");
  EXPECT_EQ(commands[2].rest, "import -window root /tmp/x.png");
  EXPECT_EQ(commands[3].rest, "500");
  EXPECT_EQ(commands[4].verb, "until");
  EXPECT_EQ(commands[4].name, "preview");
  EXPECT_EQ(commands[4].rest, "shown 1");
  EXPECT_EQ(commands[5].name, "ok");
  EXPECT_EQ(commands[6].phase, TestCommand::Phase::live);
  EXPECT_EQ(commands[6].previews, 3);
  EXPECT_EQ(commands[6].name, "status");
  EXPECT_EQ(commands[6].rest, "/tmp/s.txt");
  EXPECT_EQ(commands[7].line, 10);
}

TEST(TestScript, RejectsBadLinesNamingThem) {
  std::vector<TestCommand> commands;
  std::string error;
  const char *bad[] = {"later click ok",      "dialog jump",       "dialog set quality",
                       "live click stop",     "live x click stop", "dialog click",
                       "dialog click ok go",  "dialog wait soon",  "dialog dump",
                       "dialog until preview"};
  for (const char *line : bad) {
    EXPECT_FALSE(nst_ui::parse_test_script(std::string("dialog wait 1\n") + line, commands, error))
        << line;
    EXPECT_NE(error.find("line 2"), std::string::npos) << error;
    EXPECT_TRUE(commands.empty());
  }
}

} // namespace
