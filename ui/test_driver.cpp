#include "test_driver.h"

#include "gobject_ptr.h"

#include <libgimp/gimpui.h>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <memory>

namespace nst_ui {
namespace {

constexpr guint kTickMilliseconds = 200; // lets GTK draw between commands
constexpr guint kUntilPollMilliseconds = 200;

using nst_plugin::GCharPtr;

std::string value_text(const GValue *value) {
  if (G_VALUE_HOLDS_STRING(value))
    return g_value_get_string(value) ? g_value_get_string(value) : "";
  if (G_VALUE_HOLDS_OBJECT(value)) {
    GObject *object = static_cast<GObject *>(g_value_get_object(value));
    if (!object)
      return "";
    if (G_IS_FILE(object)) {
      GCharPtr path(g_file_get_path(G_FILE(object)));
      return path ? path.get() : "";
    }
    if (GIMP_IS_ITEM(object))
      return "item:" + std::to_string(gimp_item_get_id(GIMP_ITEM(object)));
    return G_OBJECT_TYPE_NAME(object);
  }
  if (!g_value_type_transformable(G_VALUE_TYPE(value), G_TYPE_STRING))
    return "?";
  GValue text = G_VALUE_INIT;
  g_value_init(&text, G_TYPE_STRING);
  g_value_transform(value, &text);
  std::string result = g_value_get_string(&text) ? g_value_get_string(&text) : "";
  g_value_unset(&text);
  return result;
}

bool dump_config(GObject *config, const std::string &path) {
  std::ofstream out(path);
  if (!config || !out)
    return false;
  guint count = 0;
  GParamSpec **specs = g_object_class_list_properties(G_OBJECT_GET_CLASS(config), &count);
  for (guint i = 0; i < count; ++i) {
    GValue value = G_VALUE_INIT;
    g_value_init(&value, specs[i]->value_type);
    g_object_get_property(config, specs[i]->name, &value);
    out << specs[i]->name << '=' << value_text(&value) << '\n';
    g_value_unset(&value);
  }
  g_free(specs);
  return static_cast<bool>(out);
}

// posix_spawn, not fork: glibc's posix_spawn runs no fork handlers, and
// OpenBLAS's handler deadlocks when the engine's thread is inside a matmul.
bool run_shell(const std::string &command, std::string &problem) {
  const char *argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t child = 0;
  const int error =
      posix_spawn(&child, "/bin/sh", nullptr, nullptr, const_cast<char *const *>(argv), environ);
  if (error != 0) {
    problem = std::string("cannot start /bin/sh: ") + g_strerror(error);
    return false;
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    problem = "the command failed: " + command;
    return false;
  }
  return true;
}

} // namespace

std::unique_ptr<TestDriver> TestDriver::from_environment(TestCommand::Phase phase) {
  const char *path = g_getenv("NST_UI_TEST_SCRIPT");
  if (!path || !*path)
    return nullptr;
  gchar *contents = nullptr;
  std::vector<TestCommand> commands;
  std::string error;
  if (!g_file_get_contents(path, &contents, nullptr, nullptr)) {
    g_printerr("NST_UI_TEST_SCRIPT: cannot read %s\n", path);
    return nullptr;
  }
  const bool parsed = parse_test_script(contents, commands, error);
  g_free(contents);
  if (!parsed) {
    g_printerr("NST_UI_TEST_SCRIPT %s: %s\n", path, error.c_str());
    return nullptr;
  }
  std::vector<TestCommand> mine;
  for (TestCommand &command : commands)
    if (command.phase == phase)
      mine.push_back(std::move(command));
  return std::make_unique<TestDriver>(std::move(mine));
}

TestDriver::TestDriver(std::vector<TestCommand> commands) : pending_(std::move(commands)) {}

TestDriver::~TestDriver() {
  if (timer_)
    g_source_remove(timer_);
}

void TestDriver::start() {
  for (const TestCommand &command : pending_)
    queue(command);
  pending_.clear();
}

void TestDriver::previews_shown(int count) {
  std::vector<TestCommand> later;
  for (const TestCommand &command : pending_) {
    if (command.previews <= count)
      queue(command);
    else
      later.push_back(command);
  }
  pending_.swap(later);
}

void TestDriver::queue(const TestCommand &command) {
  queued_.push_back(command);
  if (!timer_)
    timer_ = g_timeout_add(kTickMilliseconds, &TestDriver::tick, this);
}

gboolean TestDriver::tick(gpointer data) {
  TestDriver *self = static_cast<TestDriver *>(data);
  self->timer_ = 0;
  if (self->queued_.empty())
    return G_SOURCE_REMOVE;
  const TestCommand command = self->queued_.front();
  self->queued_.erase(self->queued_.begin());
  if (command.verb == "until" && !self->reached(command)) { // ask again later
    self->queued_.insert(self->queued_.begin(), command);
    self->timer_ = g_timeout_add(kUntilPollMilliseconds, &TestDriver::tick, self);
    return G_SOURCE_REMOVE;
  }
  // Re-armed first: a click may end the window (and this driver) at once.
  guint delay = kTickMilliseconds;
  if (command.verb == "wait")
    delay = static_cast<guint>(std::atoi(command.rest.c_str()));
  if (!self->queued_.empty() || command.verb == "wait")
    self->timer_ = g_timeout_add(delay, &TestDriver::tick, self);
  if (command.verb != "wait")
    self->run(command);
  return G_SOURCE_REMOVE;
}

bool TestDriver::reached(const TestCommand &command) {
  if (until_since_ == 0)
    until_since_ = g_get_monotonic_time();
  auto text = texts_.find(command.name);
  const bool found = text != texts_.end() && text->second().find(command.rest) != std::string::npos;
  const bool late = g_get_monotonic_time() - until_since_ > gint64{kUntilLimitSeconds} * 1000000;
  if (found || late || text == texts_.end())
    until_since_ = 0;
  return found || late || text == texts_.end(); // run() reports the failure
}

void TestDriver::run(const TestCommand &command) {
  const std::string &verb = command.verb;
  std::string problem;
  if (verb == "until") {
    auto text = texts_.find(command.name);
    if (text == texts_.end())
      problem = "no text named " + command.name;
    else if (text->second().find(command.rest) == std::string::npos)
      problem =
          "gave up waiting for '" + command.rest + "' in " + command.name + ": " + text->second();
  } else if (verb == "set") {
    auto setter = setters_.find(command.name);
    if (setter == setters_.end())
      problem = "no widget named " + command.name;
    else if (!setter->second(command.rest))
      problem = "could not set " + command.name + " to " + command.rest;
  } else if (verb == "click") {
    auto action = actions_.find(command.name);
    if (action == actions_.end()) {
      problem = "no button named " + command.name;
    } else {
      report(command, "");
      action->second(); // may end the window: nothing after this
      return;
    }
  } else if (verb == "dump") {
    if (!dump_config(config_, command.rest))
      problem = "could not write " + command.rest;
  } else if (verb == "text") {
    auto text = texts_.find(command.name);
    std::ofstream out(command.rest);
    if (text == texts_.end())
      problem = "no text named " + command.name;
    else if (!(out << text->second() << '\n'))
      problem = "could not write " + command.rest;
  } else if (verb == "shell") {
    gdk_display_flush(gdk_display_get_default());
    run_shell(command.rest, problem);
  }
  report(command, problem);
}

void TestDriver::report(const TestCommand &command, const std::string &problem) const {
  if (problem.empty())
    g_printerr("NST_UI_TEST: line %d: %s %s done\n", command.line, command.verb.c_str(),
               command.name.c_str());
  else
    g_printerr("NST_UI_TEST: line %d: FAILED: %s\n", command.line, problem.c_str());
}

bool set_widget_value(GtkWidget *widget, const std::string &value) {
  if (!widget)
    return false;
  if (GIMP_IS_LABEL_SPIN(widget)) { // GimpScaleEntry too
    gimp_label_spin_set_value(GIMP_LABEL_SPIN(widget), g_ascii_strtod(value.c_str(), nullptr));
    return true;
  }
  if (GIMP_IS_LABEL_STRING_WIDGET(widget))
    return set_widget_value(gimp_label_string_widget_get_widget(GIMP_LABEL_STRING_WIDGET(widget)),
                            value);
  if (GIMP_IS_STRING_COMBO_BOX(widget))
    return gimp_string_combo_box_set_active(GIMP_STRING_COMBO_BOX(widget), value.c_str());
  if (GIMP_IS_INT_COMBO_BOX(widget))
    return gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(widget), std::atoi(value.c_str()));
  if (GTK_IS_COMBO_BOX(widget))
    return gtk_combo_box_set_active_id(GTK_COMBO_BOX(widget), value.c_str());
  if (GTK_IS_TOGGLE_BUTTON(widget)) {
    gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(widget), value == "true" || value == "1");
    return true;
  }
  if (GTK_IS_SPIN_BUTTON(widget)) {
    gtk_spin_button_set_value(GTK_SPIN_BUTTON(widget), g_ascii_strtod(value.c_str(), nullptr));
    return true;
  }
  if (GIMP_IS_LABEL_ENTRY(widget)) {
    gimp_label_entry_set_value(GIMP_LABEL_ENTRY(widget), value.c_str());
    return true;
  }
  if (GTK_IS_ENTRY(widget)) {
    gtk_entry_set_text(GTK_ENTRY(widget), value.c_str());
    return true;
  }
  if (GIMP_IS_FILE_CHOOSER(widget)) {
    GFile *file = value == "none" ? nullptr : g_file_new_for_path(value.c_str());
    gimp_file_chooser_set_file(GIMP_FILE_CHOOSER(widget), file);
    if (file)
      g_object_unref(file);
    return true;
  }
  return false;
}

} // namespace nst_ui
