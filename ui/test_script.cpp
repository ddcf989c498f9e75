#include "test_script.h"

#include <cstdlib>
#include <sstream>

namespace nst_ui {
namespace {

std::string trim(const std::string &text) {
  const std::size_t start = text.find_first_not_of(" \t\r");
  if (start == std::string::npos)
    return {};
  const std::size_t end = text.find_last_not_of(" \t\r");
  return text.substr(start, end - start + 1);
}

// Splits off the first word of `text`; `text` keeps the trimmed rest.
std::string take_word(std::string &text) {
  text = trim(text);
  const std::size_t end = text.find_first_of(" \t");
  std::string word = text.substr(0, end);
  text = end == std::string::npos ? std::string() : trim(text.substr(end));
  return word;
}

bool positive_number(const std::string &word, int &value) {
  if (word.empty() || word.find_first_not_of("0123456789") != std::string::npos || word.size() > 9)
    return false;
  value = std::atoi(word.c_str());
  return true;
}

// Checks the verb's arguments; `rest` is what follows the verb.
bool parse_verb(TestCommand &command, std::string rest, std::string &why) {
  const std::string &verb = command.verb;
  if (verb == "set" || verb == "text" || verb == "until") {
    command.name = take_word(rest);
    command.rest = rest;
    if (command.name.empty() || command.rest.empty()) {
      why = verb + " needs a name and a " +
            (verb == "set"    ? "value"
             : verb == "text" ? "path"
                              : "text to wait for");
      return false;
    }
    return true;
  }
  if (verb == "click") {
    command.name = take_word(rest);
    if (command.name.empty() || !rest.empty()) {
      why = "click needs exactly one button name";
      return false;
    }
    return true;
  }
  if (verb == "dump" || verb == "shell" || verb == "wait") {
    command.rest = rest;
    int ms = 0;
    if (rest.empty() || (verb == "wait" && !positive_number(rest, ms))) {
      why = verb + (verb == "wait" ? " needs milliseconds" : " needs an argument");
      return false;
    }
    return true;
  }
  why = "unknown verb '" + verb + "'";
  return false;
}

} // namespace

bool parse_test_script(const std::string &text, std::vector<TestCommand> &commands,
                       std::string &error) {
  commands.clear();
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::string rest = trim(line);
    if (rest.empty() || rest[0] == '#')
      continue;

    TestCommand command;
    command.line = number;
    const std::string phase = take_word(rest);
    std::string why;
    if (phase == "dialog") {
      command.phase = TestCommand::Phase::dialog;
    } else if (phase == "live") {
      command.phase = TestCommand::Phase::live;
      if (!positive_number(take_word(rest), command.previews))
        why = "live needs a number of previews";
    } else {
      why = "a command starts with 'dialog' or 'live'";
    }
    if (why.empty()) {
      command.verb = take_word(rest);
      parse_verb(command, rest, why);
    }
    if (!why.empty()) {
      error = "line " + std::to_string(number) + ": " + why;
      commands.clear();
      return false;
    }
    commands.push_back(std::move(command));
  }
  return true;
}

} // namespace nst_ui
