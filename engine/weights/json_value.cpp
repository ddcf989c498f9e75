#include "weights/json_value.h"

#include "weights/weights_error.h"

#include <cmath>
#include <cstdlib>

namespace nst::weights {
namespace {

constexpr int kMaxDepth = 64;
// Each value costs ~150 bytes: bounds what a hostile header can allocate.
constexpr std::size_t kMaxValues = std::size_t{1} << 21;

class JsonParser {
public:
  JsonParser(std::string_view text, std::size_t file_offset, const std::string &where)
      : text_(text), file_offset_(file_offset), where_(where) {}

  JsonValue parse_document() {
    JsonValue value = parse_value(0);
    skip_space();
    if (at_ < text_.size())
      error("text after the end of the JSON header");
    return value;
  }

private:
  [[noreturn]] void error(const std::string &what) const {
    fail(ErrorCode::corrupt_file, where_ + " has a damaged JSON header: " + what + " at offset " +
                                      std::to_string(file_offset_ + at_));
  }

  void skip_space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
  }
  char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
  void expect(char c) {
    if (peek() != c || at_ >= text_.size())
      error(std::string("expected '") + c + "'");
    ++at_;
  }
  bool consume_word(std::string_view word) {
    if (text_.substr(at_, word.size()) != word)
      return false;
    at_ += word.size();
    return true;
  }

  JsonValue parse_value(int depth) {
    if (depth > kMaxDepth)
      error("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    if (++values_ > kMaxValues)
      error("more than " + std::to_string(kMaxValues) + " values");
    skip_space();
    JsonValue value;
    const char c = peek();
    if (at_ >= text_.size())
      error("expected a value but the header ends");
    if (c == '{') {
      value.type = JsonValue::Type::object;
      ++at_;
      skip_space();
      if (peek() == '}') {
        ++at_;
        return value;
      }
      for (;;) {
        skip_space();
        if (peek() != '"')
          error("expected a member name");
        std::string name = parse_string();
        skip_space();
        expect(':');
        value.object.emplace_back(std::move(name), parse_value(depth + 1));
        skip_space();
        if (peek() == ',') {
          ++at_;
          continue;
        }
        expect('}');
        return value;
      }
    }
    if (c == '[') {
      value.type = JsonValue::Type::array;
      ++at_;
      skip_space();
      if (peek() == ']') {
        ++at_;
        return value;
      }
      for (;;) {
        value.array.push_back(parse_value(depth + 1));
        skip_space();
        if (peek() == ',') {
          ++at_;
          continue;
        }
        expect(']');
        return value;
      }
    }
    if (c == '"') {
      value.type = JsonValue::Type::string;
      value.string = parse_string();
      return value;
    }
    if (consume_word("true")) {
      value.type = JsonValue::Type::boolean;
      value.boolean = true;
      return value;
    }
    if (consume_word("false")) {
      value.type = JsonValue::Type::boolean;
      return value;
    }
    if (consume_word("null"))
      return value;
    if (c == '-' || (c >= '0' && c <= '9'))
      return parse_number();
    error("expected a value");
  }

  JsonValue parse_number() {
    JsonValue value;
    value.type = JsonValue::Type::number;
    const std::size_t start = at_;
    if (peek() == '-') {
      value.negative = true;
      ++at_;
    }
    if (!(peek() >= '0' && peek() <= '9'))
      error("expected a digit");
    bool fits = true;
    while (peek() >= '0' && peek() <= '9') {
      const auto digit = static_cast<std::uint64_t>(peek() - '0');
      fits = fits && !multiply_overflows(value.magnitude, 10, value.magnitude) &&
             !add_overflows(value.magnitude, digit, value.magnitude);
      ++at_;
    }
    value.is_integer = fits;
    if (peek() == '.') {
      value.is_integer = false;
      ++at_;
      if (!(peek() >= '0' && peek() <= '9'))
        error("expected a digit after the decimal point");
      while (peek() >= '0' && peek() <= '9')
        ++at_;
    }
    if (peek() == 'e' || peek() == 'E') {
      value.is_integer = false;
      ++at_;
      if (peek() == '+' || peek() == '-')
        ++at_;
      if (!(peek() >= '0' && peek() <= '9'))
        error("expected a digit in the exponent");
      while (peek() >= '0' && peek() <= '9')
        ++at_;
    }
    const std::string literal(text_.substr(start, at_ - start));
    value.number = std::strtod(literal.c_str(), nullptr);
    return value;
  }

  unsigned hex4() {
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = peek();
      ++at_;
      code <<= 4;
      if (h >= '0' && h <= '9')
        code |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f')
        code |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        code |= static_cast<unsigned>(h - 'A' + 10);
      else
        error("expected four hex digits after \\u");
    }
    return code;
  }

  static void append_utf8(std::string &out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xc0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xe0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    }
  }

  std::string parse_string() {
    expect('"');
    std::string out;
    for (;;) {
      if (at_ >= text_.size())
        error("a string is not closed");
      const char c = text_[at_++];
      if (c == '"')
        return out;
      if (static_cast<unsigned char>(c) < 0x20)
        error("a control character inside a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      const char escape = peek();
      ++at_;
      switch (escape) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        unsigned code = hex4();
        if (code >= 0xd800 && code < 0xdc00) { // a surrogate pair
          if (!consume_word("\\u"))
            error("a lone UTF-16 surrogate");
          const unsigned low = hex4();
          if (low < 0xdc00 || low >= 0xe000)
            error("a bad UTF-16 surrogate pair");
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        } else if (code >= 0xdc00 && code < 0xe000) {
          error("a lone UTF-16 surrogate");
        }
        append_utf8(out, code);
        break;
      }
      default: error("an unknown escape in a string");
      }
    }
  }

  std::string_view text_;
  std::size_t file_offset_;
  const std::string &where_;
  std::size_t at_ = 0;
  std::size_t values_ = 0;
};

} // namespace

const JsonValue *JsonValue::member(const std::string &name) const {
  for (const auto &[key, value] : object)
    if (key == name)
      return &value;
  return nullptr;
}

const char *json_type_name(JsonValue::Type type) {
  switch (type) {
  case JsonValue::Type::null: return "null";
  case JsonValue::Type::boolean: return "a boolean";
  case JsonValue::Type::number: return "a number";
  case JsonValue::Type::string: return "a string";
  case JsonValue::Type::array: return "an array";
  case JsonValue::Type::object: return "an object";
  }
  return "a value";
}

JsonValue parse_json(std::string_view text, std::size_t file_offset, const std::string &where) {
  return JsonParser(text, file_offset, where).parse_document();
}

} // namespace nst::weights
