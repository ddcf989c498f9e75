// The installed plug-in's TestDriver: there is none. It reads no
// environment variable and can run no command; the GUI tests link
// test_driver.cpp into a plug-in of their own instead (tests/ui/meson.build),
// and tests/ui/check_no_test_hooks.py checks that this build has no trace of
// it. Only what the windows refer to is defined; no driver is ever made.
#include "test_driver.h"

namespace nst_ui {

std::unique_ptr<TestDriver> TestDriver::from_environment(TestCommand::Phase) {
  return nullptr;
}

TestDriver::~TestDriver() = default;

void TestDriver::start() {}

void TestDriver::previews_shown(int) {}

bool set_widget_value(GtkWidget *, const std::string &) {
  return false;
}

} // namespace nst_ui
