// A small JSON parser, enough for safetensors headers: objects keep their
// member order, integers are kept exactly, nesting depth is bounded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nst::weights {

struct JsonValue {
  enum class Type { null, boolean, number, string, array, object };
  Type type = Type::null;
  bool boolean = false;
  double number = 0;
  bool is_integer = false;     // a number written without fraction or exponent
  bool negative = false;       // for integers
  std::uint64_t magnitude = 0; // for integers that fit in 64 bits
  std::string string;
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;

  const JsonValue *member(const std::string &name) const;
};

// Parses `text`, which starts at `file_offset` in the file `where` describes;
// throws corrupt_file naming the offset of the first error.
JsonValue parse_json(std::string_view text, std::size_t file_offset, const std::string &where);

const char *json_type_name(JsonValue::Type type);

} // namespace nst::weights
