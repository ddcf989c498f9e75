// TEST-ONLY: carries out the commands of NST_UI_TEST_SCRIPT (see
// test_script.h) in the dialog or the live window. A window registers what
// can be set, clicked and read under a name; without the variable
// from_environment() returns null and the window registers nothing.
#pragma once

#include "test_script.h"

#include <gtk/gtk.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nst_ui {

class TestDriver {
public:
  using Setter = std::function<bool(const std::string &value)>;
  using Action = std::function<void()>;
  using Text = std::function<std::string()>;

  // The commands of `phase`, or null when NST_UI_TEST_SCRIPT is not set. A
  // script that does not parse is reported on standard error and ignored.
  static std::unique_ptr<TestDriver> from_environment(TestCommand::Phase phase);

  explicit TestDriver(std::vector<TestCommand> commands);
  ~TestDriver();
  TestDriver(const TestDriver &) = delete;
  TestDriver &operator=(const TestDriver &) = delete;

  void on_set(const std::string &name, Setter setter) { setters_[name] = std::move(setter); }
  void on_click(const std::string &name, Action action) { actions_[name] = std::move(action); }
  void on_text(const std::string &name, Text text) { texts_[name] = std::move(text); }
  void set_config(GObject *config) { config_ = config; }

  // Dialog phase: starts running every command, one per main-loop tick.
  void start();
  // Live phase: queues the commands waiting for `count` previews or fewer.
  void previews_shown(int count);

private:
  static gboolean tick(gpointer self);
  void queue(const TestCommand &command);
  void run(const TestCommand &command);
  bool reached(const TestCommand &command); // an `until` may go on (or gave up)
  void report(const TestCommand &command, const std::string &problem) const;

  std::vector<TestCommand> pending_;
  std::vector<TestCommand> queued_;
  std::map<std::string, Setter> setters_;
  std::map<std::string, Action> actions_;
  std::map<std::string, Text> texts_;
  GObject *config_ = nullptr;
  guint timer_ = 0;
  gint64 until_since_ = 0; // when the `until` at the front began waiting; 0: none
};

// Gives a widget that libgimpui made for a config property (spin, scale,
// check box, choice combo, entry, file chooser) the value `value`, as typed
// by a user. Returns false for a widget kind or value it cannot set.
bool set_widget_value(GtkWidget *widget, const std::string &value);

} // namespace nst_ui
