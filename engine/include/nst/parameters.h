// The engine's parameters, each declared once: its key, kind, label, help,
// ranges and choice names, and where its value lives in nst::Options or
// nst::ModelOptions. Defaults stay in those structs; the table reads them.
//
// The key is the GIMP procedure's argument name, the command line's option
// (--key) and the key in the statistics file. Labels and help are English
// and marked for translation (xgettext keyword NST_N_); the front ends
// translate them, the engine never does. Validation, the procedure's
// arguments, `neural-style --help` and its parser, and the statistics file
// all loop over this table. No GIMP, GTK or LibTorch type here.
#pragma once

#include "nst/engine.h"

#include <cstddef>
#include <string>
#include <vector>

namespace nst {

// The longest side of any image or scale the engine takes.
constexpr int kMaximumSide = 30000;
// The smallest scale side and tile side.
constexpr int kMinimumScaleSide = 16;
constexpr int kMinimumTileSide = 64;

// Everything one run is told: the network's options and the run's.
struct Settings {
  Options options;
  ModelOptions model;
};

enum class ParameterKind {
  integer, // a whole number in [minimum, maximum], or 0 where zero_allowed (the help says what 0
           // does)
  number,  // a real number in [minimum, maximum]
  choice,  // one of `choices`, by name
  text,    // a list in a text ("256,512", "relu4_2:0.5")
  file,    // a path; empty: none
};

struct ParameterChoice {
  const char *name;  // the procedure's choice nick and the command line's value
  int value;         // the enum's value
  const char *label; // for the dialog (translatable); nullptr: an accepted alias, not listed
};

struct Parameter {
  const char *key;
  ParameterKind kind;
  const char *label;               // with a mnemonic ("Style _weight"); translatable
  const char *help;                // translatable
  const char *value_name;          // in --help: "N", "PX", "W"; choices list their names instead
  double minimum = 0, maximum = 0; // the hard range (integer, number)
  double ui_minimum = 0, ui_maximum = 0; // the slider's range
  bool zero_allowed = false;             // integer: 0 is allowed below `minimum`
  std::vector<ParameterChoice> choices;

  // Where the value lives. Numbers and choices (the enum's value) go
  // through get_number/set_number, texts and files through get_text/parse_text.
  double (*get_number)(const Settings &) = nullptr;
  void (*set_number)(Settings &, double) = nullptr;
  std::string (*get_text)(const Settings &) = nullptr;
  // Reads a text kind's value; false with `error` (English) when malformed.
  bool (*parse_text)(const std::string &text, Settings &, std::string &error) = nullptr;
};

// Every parameter, in the procedure's argument order.
const std::vector<Parameter> &parameters();
const Parameter *find_parameter(const std::string &key);

// The value as text: a number in the C locale, a choice's name, the text.
std::string parameter_text(const Parameter &parameter, const Settings &settings);

// Sets the value from text, as the command line gives it: numbers in any
// locale's C spelling, choices by name (aliases too). Checks the hard range;
// false with `error` ("style-weight: 'x' is not a number from 0 to 1e+12").
bool set_parameter_text(const Parameter &parameter, const std::string &text, Settings &settings,
                        std::string &error);

// Whether the value held in `settings` is allowed; false with `error` in the
// same words as set_parameter_text. Validation calls it for every row.
bool check_parameter(const Parameter &parameter, const Settings &settings, std::string &error);

// "min .. max", "0 or 16 .. 30000", "lbfgs, adam": what a value must be.
std::string expected_values(const Parameter &parameter);

// Layer lists as text: "relu1_1, relu2_1:0.5" (weight after ':' or '=',
// 1 when left out; items separated by commas or spaces).
std::string layers_text(const std::vector<LayerWeight> &layers);
bool parse_layers(const std::string &text, std::vector<LayerWeight> &layers, std::string &error);

// Whole numbers separated by commas or spaces ("256,512", "256 512"); an
// empty text is an empty list. Each within [minimum, maximum].
bool parse_numbers(const std::string &text, int minimum, int maximum, std::vector<int> &numbers,
                   std::string &error);
std::string numbers_text(const std::vector<int> &numbers);

// The items of a list separated by commas, spaces or tabs; empty items are
// skipped ("a, b c" -> a, b, c).
std::vector<std::string> list_items(const std::string &text);

// Numbers >= 0 separated by commas or spaces ("0.7, 0.3"): the styles' blend
// weights and stroke sizes in the plug-in. An empty text is an empty list.
bool parse_weights(const std::string &text, std::vector<float> &weights, std::string &error);

// A device as one word: "auto", "cpu", "cuda" (= "cuda:0"), "cuda:1".
std::string device_id(DeviceKind kind, int index);
bool parse_device_id(const std::string &text, DeviceKind &kind, int &index, std::string &error);

} // namespace nst
