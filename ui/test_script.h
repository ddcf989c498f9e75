// TEST-ONLY automation of the dialog and the live window.
//
// When the environment variable NST_UI_TEST_SCRIPT names a file, the dialog
// and the live window carry out its commands as if a user did: the GUI tests
// (tests/ui/run_gui_tests.py, under Xvfb) use it to change widgets, read the
// config back, take screenshots and press OK, Stop or Cancel. Without the
// variable nothing here runs. One command per line; lines starting with '#' are comments:
//
//   dialog set NAME VALUE    give the dialog's widget NAME the VALUE, through the widget
//   dialog click NAME        press a button: ok, cancel, download, advanced (expands it)
//   dialog dump PATH         write the config's values, one "name=value" per line
//   dialog text NAME PATH    write a text the window shows: title, weights-status
//   dialog shell COMMAND     run COMMAND with /bin/sh and wait for it (screenshots)
//   dialog wait MS           wait before the next command
//   dialog until NAME TEXT   wait until the text NAME contains TEXT (at most
//                            kUntilLimitSeconds; then a FAILED line, and on)
//   live N VERB ...          the same verbs in the live window (click stop, click
//                            cancel; text title, text status), once N previews were shown
//
// This file only parses; the windows run the commands (test_driver.h).
#pragma once

#include <string>
#include <vector>

namespace nst_ui {

// The longest an `until` waits.
constexpr int kUntilLimitSeconds = 600;

struct TestCommand {
  enum class Phase { dialog, live };
  Phase phase = Phase::dialog;
  int previews = 0; // live: run once this many previews were shown
  std::string verb; // set, click, dump, text, shell, wait, until
  std::string name; // first argument (set, click, text)
  std::string rest; // the rest of the line (a value, a path, a command)
  int line = 0;
};

// Parses a whole script. Returns false with `error` ("line 3: ...") on a
// line that is not a known command with its arguments.
bool parse_test_script(const std::string &text, std::vector<TestCommand> &commands,
                       std::string &error);

} // namespace nst_ui
