#include "weights/pickle_machine.h"

#include "weights/byte_reader.h"
#include "weights/weights_error.h"

#include <cstring>
#include <optional>

namespace nst::weights::pickle {
namespace {

// Far more objects than any state dict needs (VGG19's pickle makes ~1500),
// few enough that a hostile pickle cannot use more than ~150 MB.
constexpr std::size_t kMaxValues = std::size_t{1} << 20;
// PyTorch's own limit on tensor dimensions.
constexpr std::size_t kMaxRank = 64;

// What an allow-listed global is.
enum class Callable : std::int64_t {
  ordered_dict,
  rebuild_tensor,
  rebuild_tensor_v2,
  rebuild_parameter,
  rebuild_parameter_with_state,
  storage_type,    // a typed storage class: `dtype` tells which
  untyped_storage, // bytes: uint8
  typed_storage,   // the generic TypedStorage class: no element type
};

struct AllowedGlobal {
  Callable callable;
  DType dtype = DType::uint8;
};

std::optional<DType> storage_dtype(const std::string &name) {
  static const std::pair<const char *, DType> kStorages[] = {
      {"FloatStorage", DType::float32}, {"DoubleStorage", DType::float64},
      {"HalfStorage", DType::float16},  {"BFloat16Storage", DType::bfloat16},
      {"LongStorage", DType::int64},    {"IntStorage", DType::int32},
      {"ShortStorage", DType::int16},   {"CharStorage", DType::int8},
      {"ByteStorage", DType::uint8},    {"BoolStorage", DType::boolean},
  };
  for (const auto &[storage, dtype] : kStorages)
    if (name == storage)
      return dtype;
  return std::nullopt;
}

std::optional<AllowedGlobal> allowed_global(const std::string &module, const std::string &name) {
  if (module == "collections" && name == "OrderedDict")
    return AllowedGlobal{Callable::ordered_dict};
  if (module == "torch._utils") {
    if (name == "_rebuild_tensor")
      return AllowedGlobal{Callable::rebuild_tensor};
    if (name == "_rebuild_tensor_v2")
      return AllowedGlobal{Callable::rebuild_tensor_v2};
    if (name == "_rebuild_parameter")
      return AllowedGlobal{Callable::rebuild_parameter};
    if (name == "_rebuild_parameter_with_state")
      return AllowedGlobal{Callable::rebuild_parameter_with_state};
  }
  if (module == "torch" || module == "torch.cuda")
    if (const auto dtype = storage_dtype(name))
      return AllowedGlobal{Callable::storage_type, *dtype};
  if ((module == "torch" || module == "torch.storage") && name == "UntypedStorage")
    return AllowedGlobal{Callable::untyped_storage, DType::uint8};
  if ((module == "torch" || module == "torch.storage") && name == "TypedStorage")
    return AllowedGlobal{Callable::typed_storage};
  return std::nullopt;
}

const char *opcode_name(std::uint8_t opcode) {
  switch (opcode) {
  case 'S': return "STRING";
  case 'V': return "UNICODE";
  case 'L': return "LONG";
  case 'F': return "FLOAT";
  case 'P': return "PERSID";
  case 'i': return "INST";
  case 'o': return "OBJ";
  case 0x82: return "EXT1";
  case 0x83: return "EXT2";
  case 0x84: return "EXT4";
  case 0x8f: return "EMPTY_SET";
  case 0x90: return "ADDITEMS";
  case 0x91: return "FROZENSET";
  case 0x92: return "NEWOBJ_EX";
  case 0x96: return "BYTEARRAY8";
  case 0x97: return "NEXT_BUFFER";
  case 0x98: return "READONLY_BUFFER";
  default: return nullptr;
  }
}

std::string hex_byte(std::uint8_t byte) {
  static const char kHex[] = "0123456789abcdef";
  return std::string("0x") + kHex[byte >> 4] + kHex[byte & 15];
}

} // namespace

const char *kind_name(Kind kind) {
  switch (kind) {
  case Kind::none: return "None";
  case Kind::boolean: return "a bool";
  case Kind::integer: return "an int";
  case Kind::big_integer: return "a big int";
  case Kind::floating: return "a float";
  case Kind::string: return "a string";
  case Kind::tuple: return "a tuple";
  case Kind::list: return "a list";
  case Kind::dict: return "a dict";
  case Kind::global: return "a global";
  case Kind::storage: return "a storage";
  case Kind::tensor: return "a tensor";
  }
  return "a value";
}

Value *PickleArena::make(Kind kind) {
  if (values_.size() >= max_values_)
    fail(ErrorCode::unsupported, "the pickle makes more than " + std::to_string(max_values_) +
                                     " objects, more than any weights file needs");
  values_.emplace_back();
  values_.back().kind = kind;
  return &values_.back();
}

// One pickle's execution: stack, marks and memo.
class PickleMachine::Run {
public:
  Run(PickleMachine &machine, ByteReader &in) : m_(machine), in_(in) {}

  const Value *execute() {
    for (;;) {
      opcode_offset_ = in_.file_offset();
      const std::uint8_t opcode = in_.u8("pickle opcode");
      if (opcode == '.')
        return pop();
      step(opcode);
    }
  }

private:
  [[noreturn]] void corrupt(const std::string &what) const {
    fail(ErrorCode::corrupt_file, m_.where_ + " has a damaged pickle: " + what +
                                      " (opcode at offset " + std::to_string(opcode_offset_) + ")");
  }
  [[noreturn]] void refuse(const std::string &what) const {
    fail(ErrorCode::unsupported,
         m_.where_ + " " + what + " (at offset " + std::to_string(opcode_offset_) + ")");
  }

  std::size_t base() const { return marks_.empty() ? 0 : marks_.back(); }

  void push(Value *value) { stack_.push_back(value); }
  Value *pop() {
    if (stack_.size() <= base())
      corrupt("an opcode needs a value but the stack is empty");
    Value *value = stack_.back();
    stack_.pop_back();
    return value;
  }
  Value *top() {
    if (stack_.size() <= base())
      corrupt("an opcode needs a value but the stack is empty");
    return stack_.back();
  }
  std::vector<Value *> pop_mark() {
    if (marks_.empty())
      corrupt("an opcode needs a MARK but there is none");
    std::vector<Value *> items(stack_.begin() + static_cast<std::ptrdiff_t>(marks_.back()),
                               stack_.end());
    stack_.resize(marks_.back());
    marks_.pop_back();
    return items;
  }

  Value *make(Kind kind) { return m_.arena_.make(kind); }
  Value *integer(std::int64_t value) {
    Value *v = make(Kind::integer);
    v->integer = value;
    return v;
  }
  Value *string(std::size_t length) {
    Value *v = make(Kind::string);
    v->text = in_.string(length, "string");
    return v;
  }
  std::size_t length_u64() {
    const std::uint64_t length = in_.u64("string length");
    if (length > in_.remaining())
      in_.fail_short(length, "string");
    return static_cast<std::size_t>(length);
  }
  std::size_t length_i32() {
    const auto length = static_cast<std::int32_t>(in_.u32("string length"));
    if (length < 0)
      corrupt("a string has a negative length");
    return static_cast<std::size_t>(length);
  }
  std::string line(const char *what) {
    const std::size_t start = in_.position();
    const std::size_t remaining = in_.remaining();
    const std::byte *data = in_.bytes(0, what);
    const void *newline = remaining == 0 ? nullptr : std::memchr(data, '\n', remaining);
    if (newline == nullptr)
      corrupt(std::string("a ") + what + " does not end with a newline");
    const std::size_t length = static_cast<const std::byte *>(newline) - data;
    in_.seek(start + length + 1);
    return std::string(reinterpret_cast<const char *>(data), length);
  }
  std::uint64_t decimal(const std::string &text, const char *what) {
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos)
      corrupt(std::string("a ") + what + " is not a number: " + quoted(text));
    return std::stoull(text);
  }

  Value *little_endian_integer(std::size_t length) {
    const std::byte *bytes = in_.bytes(length, "integer");
    if (length > 8) {
      Value *v = make(Kind::big_integer);
      v->text.assign(reinterpret_cast<const char *>(bytes), length);
      return v;
    }
    std::uint64_t value = 0;
    for (std::size_t i = length; i-- > 0;)
      value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
    if (length > 0 && length < 8 && (static_cast<std::uint8_t>(bytes[length - 1]) & 0x80))
      value |= ~std::uint64_t{0} << (8 * length); // sign-extend
    return integer(static_cast<std::int64_t>(value));
  }

  void memo_put(std::uint64_t key) {
    m_.memo_size_check(memo_.size());
    memo_[key] = top();
  }
  void memo_get(std::uint64_t key) {
    const auto found = memo_.find(key);
    if (found == memo_.end())
      corrupt("memo entry " + std::to_string(key) + " is read before it is written");
    push(found->second);
  }

  Value *global(const std::string &module, const std::string &name) {
    const auto allowed = allowed_global(module, name);
    if (!allowed)
      fail(ErrorCode::unsupported, m_.where_ + " uses the Python global " +
                                       quoted(module + "." + name) +
                                       ", which is not allowed in a weights file (at offset " +
                                       std::to_string(opcode_offset_) + ")");
    Value *v = make(Kind::global);
    v->text = module + "." + name;
    // What it is and, for storage classes, their element type.
    v->integer = (static_cast<std::int64_t>(allowed->callable) << 8) |
                 static_cast<std::int64_t>(allowed->dtype);
    return v;
  }

  static Callable callable_of(const Value *global) {
    return static_cast<Callable>(global->integer >> 8);
  }
  static DType dtype_of(const Value *global) { return static_cast<DType>(global->integer & 0xff); }

  std::int64_t expect_integer(const Value *v, const char *what) {
    if (v->kind != Kind::integer)
      corrupt(std::string(what) + " should be an int but is " + kind_name(v->kind));
    return v->integer;
  }
  const Value *expect_tuple(const Value *v, const char *what) {
    if (v->kind != Kind::tuple && v->kind != Kind::list)
      corrupt(std::string(what) + " should be a tuple but is " + kind_name(v->kind));
    return v;
  }
  std::vector<std::int64_t> integers(const Value *v, const char *what) {
    expect_tuple(v, what);
    if (v->items.size() > kMaxRank)
      refuse("has a tensor with " + std::to_string(v->items.size()) + " dimensions");
    std::vector<std::int64_t> values;
    for (const Value *item : v->items)
      values.push_back(expect_integer(item, what));
    return values;
  }

  Value *rebuild_tensor(const std::vector<Value *> &args, const std::string &function) {
    if (args[0]->kind != Kind::storage)
      corrupt(function + " needs a storage but gets " + kind_name(args[0]->kind));
    Value *v = make(Kind::tensor);
    v->tensor = std::make_unique<TensorRef>();
    v->tensor->storage = args[0]->storage;
    v->tensor->storage_offset = expect_integer(args[1], "a tensor's storage offset");
    v->tensor->shape = integers(args[2], "a tensor's size");
    v->tensor->strides = integers(args[3], "a tensor's stride");
    if (v->tensor->shape.size() != v->tensor->strides.size())
      corrupt("a tensor has " + std::to_string(v->tensor->shape.size()) + " sizes but " +
              std::to_string(v->tensor->strides.size()) + " strides");
    return v;
  }

  // REDUCE and NEWOBJ: the effect of calling an allow-listed function.
  Value *call(const Value *callable, const Value *arguments) {
    if (callable->kind != Kind::global)
      corrupt(std::string("REDUCE calls ") + kind_name(callable->kind));
    if (arguments->kind != Kind::tuple)
      corrupt(std::string("REDUCE passes ") + kind_name(arguments->kind) + " as arguments");
    const std::vector<Value *> &args = arguments->items;
    const std::string &function = callable->text;
    const auto expect_count = [&](std::size_t low, std::size_t high) {
      if (args.size() < low || args.size() > high)
        corrupt(function + " is called with " + std::to_string(args.size()) + " arguments");
    };
    switch (callable_of(callable)) {
    case Callable::ordered_dict: expect_count(0, 0); return make(Kind::dict);
    case Callable::rebuild_tensor: expect_count(4, 4); return rebuild_tensor(args, function);
    case Callable::rebuild_tensor_v2: expect_count(6, 7); return rebuild_tensor(args, function);
    case Callable::rebuild_parameter:
    case Callable::rebuild_parameter_with_state:
      expect_count(callable_of(callable) == Callable::rebuild_parameter ? 3 : 4,
                   callable_of(callable) == Callable::rebuild_parameter ? 3 : 4);
      if (args[0]->kind != Kind::tensor)
        corrupt(function + " needs a tensor but gets " + kind_name(args[0]->kind));
      return args[0];
    case Callable::storage_type:
    case Callable::untyped_storage:
    case Callable::typed_storage: break;
    }
    refuse("calls " + quoted(function) + ", which a weights file never calls");
  }

  // BINPERSID: ('storage', storage_type, key, location, numel[, view_metadata])
  Value *persistent_load(const Value *pid) {
    if (pid->kind != Kind::tuple || pid->items.size() < 5 || pid->items.size() > 6 ||
        pid->items[0]->kind != Kind::string || pid->items[0]->text != "storage")
      corrupt("a persistent id is not a ('storage', type, key, location, size) tuple");
    const std::vector<Value *> &id = pid->items;
    if (id[1]->kind != Kind::global)
      corrupt("a storage's type is not a storage class");
    const Callable type = callable_of(id[1]);
    if (type == Callable::typed_storage)
      refuse("has a storage of type torch.storage.TypedStorage without an element type");
    if (type != Callable::storage_type && type != Callable::untyped_storage)
      corrupt("a storage's type is " + quoted(id[1]->text) + ", not a storage class");
    std::string key;
    if (id[2]->kind == Kind::string)
      key = id[2]->text;
    else if (id[2]->kind == Kind::integer)
      key = std::to_string(id[2]->integer);
    else
      corrupt(std::string("a storage's key is ") + kind_name(id[2]->kind));
    if (id[3]->kind != Kind::string)
      corrupt("a storage's location is not a string");
    const std::int64_t numel = expect_integer(id[4], "a storage's size");
    if (numel < 0)
      corrupt("a storage has a negative size");
    StorageRef *root = m_.root_storage(key, dtype_of(id[1]), numel, *this);
    Value *v = make(Kind::storage);
    v->storage = root;
    if (id.size() == 6 && id[5]->kind != Kind::none)
      v->storage = view_of(root, id[5]);
    return v;
  }

  // PyTorch 0.1-0.3 wrote slices of storages as (view_key, offset, size).
  const StorageRef *view_of(const StorageRef *root, const Value *view) {
    if (view->kind != Kind::tuple || view->items.size() != 3 ||
        view->items[0]->kind != Kind::string)
      corrupt("a storage's view metadata is not a (key, offset, size) tuple");
    const std::int64_t offset = expect_integer(view->items[1], "a storage view's offset");
    const std::int64_t size = expect_integer(view->items[2], "a storage view's size");
    if (offset < 0 || size < 0 || offset > root->numel || size > root->numel - offset)
      fail(ErrorCode::corrupt_file,
           m_.where_ + " has a storage view of elements " + std::to_string(offset) + ".." +
               std::to_string(offset + size) + " of storage " + quoted(root->key) +
               ", which has only " + std::to_string(root->numel));
    auto &known = m_.views_[view->items[0]->text];
    if (known == nullptr) {
      m_.storage_refs_.push_back(*root);
      known = &m_.storage_refs_.back();
      known->view_offset = offset;
      known->view_numel = size;
    } else if (known->key != root->key || known->view_offset != offset ||
               known->view_numel != size) {
      corrupt("storage view " + quoted(view->items[0]->text) + " is described twice differently");
    }
    return known;
  }

  void build() {
    Value *state = pop();
    Value *object = top();
    // OrderedDict's state is its _metadata attribute, which readers ignore.
    if (object->kind == Kind::dict && (state->kind == Kind::dict || state->kind == Kind::none))
      return;
    refuse(std::string("sets the state of ") + kind_name(object->kind) +
           ", which a weights file never does");
  }

  void step(std::uint8_t opcode) {
    switch (opcode) {
    case 0x80: { // PROTO
      const std::uint8_t protocol = in_.u8("protocol number");
      if (protocol > 5)
        refuse("uses pickle protocol " + std::to_string(protocol) + "; protocols 0 to 5 are known");
      return;
    }
    case 0x95: in_.u64("frame length"); return; // FRAME: frames are read as one stream
    case '(': marks_.push_back(stack_.size()); return;
    case '0':
      if (stack_.size() > base())
        stack_.pop_back();
      else
        pop_mark();
      return;
    case '1': pop_mark(); return;
    case '2': push(top()); return;
    case 'N': push(m_.none_); return;
    case 0x88: push(m_.true_); return;
    case 0x89: push(m_.false_); return;
    case 'I': { // INT: decimal text; Python 2 writes True and False as 01 and 00
      std::string text = line("INT argument");
      if (text == "01" || text == "00") {
        push(text == "01" ? m_.true_ : m_.false_);
        return;
      }
      const bool negative = !text.empty() && text[0] == '-';
      const std::uint64_t magnitude = decimal(negative ? text.substr(1) : text, "INT argument");
      push(integer(negative ? -static_cast<std::int64_t>(magnitude)
                            : static_cast<std::int64_t>(magnitude)));
      return;
    }
    case 'J': push(integer(static_cast<std::int32_t>(in_.u32("BININT argument")))); return;
    case 'K': push(integer(in_.u8("BININT1 argument"))); return;
    case 'M': push(integer(in_.u16("BININT2 argument"))); return;
    case 0x8a: push(little_endian_integer(in_.u8("LONG1 length"))); return;
    case 0x8b: push(little_endian_integer(length_i32())); return;
    case 'G': { // BINFLOAT: big-endian double
      const std::byte *bytes = in_.bytes(8, "BINFLOAT argument");
      std::uint64_t bits = 0;
      for (int i = 0; i < 8; ++i)
        bits = (bits << 8) | static_cast<std::uint8_t>(bytes[i]);
      Value *v = make(Kind::floating);
      std::memcpy(&v->floating, &bits, sizeof bits);
      push(v);
      return;
    }
    case 'X': // BINUNICODE
    case 'B': // BINBYTES
      push(string(in_.u32("string length")));
      return;
    case 'T': push(string(length_i32())); return; // BINSTRING (Python 2)
    case 0x8c:                                    // SHORT_BINUNICODE
    case 'U':                                     // SHORT_BINSTRING (Python 2)
    case 'C':                                     // SHORT_BINBYTES
      push(string(in_.u8("string length")));
      return;
    case 0x8d: // BINUNICODE8
    case 0x8e: // BINBYTES8
      push(string(length_u64()));
      return;
    case ')': push(make(Kind::tuple)); return;
    case 't':
    case 0x85:
    case 0x86:
    case 0x87: {
      Value *tuple = make(Kind::tuple);
      if (opcode == 't') {
        tuple->items = pop_mark();
      } else {
        tuple->items.resize(opcode - 0x84u);
        for (std::size_t i = tuple->items.size(); i-- > 0;)
          tuple->items[i] = pop();
      }
      push(tuple);
      return;
    }
    case ']': push(make(Kind::list)); return;
    case 'l': {
      Value *list = make(Kind::list);
      list->items = pop_mark();
      push(list);
      return;
    }
    case 'a': {
      Value *item = pop();
      list_at_top()->items.push_back(item);
      return;
    }
    case 'e': {
      std::vector<Value *> items = pop_mark();
      Value *list = list_at_top();
      list->items.insert(list->items.end(), items.begin(), items.end());
      return;
    }
    case '}': push(make(Kind::dict)); return;
    case 'd': {
      Value *dict = make(Kind::dict);
      set_items(dict, pop_mark());
      push(dict);
      return;
    }
    case 's': {
      Value *value = pop();
      Value *key = pop();
      dict_at_top()->entries.emplace_back(key, value);
      return;
    }
    case 'u': {
      std::vector<Value *> items = pop_mark();
      set_items(dict_at_top(), items);
      return;
    }
    case 'p': memo_put(decimal(line("PUT argument"), "PUT argument")); return;
    case 'q': memo_put(in_.u8("BINPUT argument")); return;
    case 'r': memo_put(in_.u32("LONG_BINPUT argument")); return;
    case 0x94: memo_put(memo_.size()); return; // MEMOIZE
    case 'g': memo_get(decimal(line("GET argument"), "GET argument")); return;
    case 'h': memo_get(in_.u8("BINGET argument")); return;
    case 'j': memo_get(in_.u32("LONG_BINGET argument")); return;
    case 'c': {
      const std::string module = line("GLOBAL module");
      const std::string name = line("GLOBAL name");
      push(global(module, name));
      return;
    }
    case 0x93: { // STACK_GLOBAL
      const Value *name = pop();
      const Value *module = pop();
      if (name->kind != Kind::string || module->kind != Kind::string)
        corrupt("STACK_GLOBAL needs two strings");
      push(global(module->text, name->text));
      return;
    }
    case 'R': {
      const Value *arguments = pop();
      const Value *callable = pop();
      push(call(callable, arguments));
      return;
    }
    case 0x81: { // NEWOBJ: cls.__new__(cls, *args); only OrderedDict
      const Value *arguments = pop();
      const Value *cls = pop();
      if (cls->kind == Kind::global && callable_of(cls) != Callable::ordered_dict)
        refuse("creates an object of class " + quoted(cls->text));
      push(call(cls, arguments));
      return;
    }
    case 'b': build(); return;
    case 'Q': push(persistent_load(pop())); return;
    default: break;
    }
    if (const char *name = opcode_name(opcode))
      refuse(std::string("uses the pickle opcode ") + name +
             ", which PyTorch weights files do not use");
    corrupt("byte " + hex_byte(opcode) + " is not a pickle opcode");
  }

  Value *list_at_top() {
    Value *list = top();
    if (list->kind != Kind::list)
      corrupt(std::string("APPEND on ") + kind_name(list->kind));
    return list;
  }
  Value *dict_at_top() {
    Value *dict = top();
    if (dict->kind != Kind::dict)
      corrupt(std::string("SETITEM on ") + kind_name(dict->kind));
    return dict;
  }
  void set_items(Value *dict, const std::vector<Value *> &items) {
    if (items.size() % 2 != 0)
      corrupt("a dict has a key without a value");
    for (std::size_t i = 0; i < items.size(); i += 2)
      dict->entries.emplace_back(items[i], items[i + 1]);
  }

  PickleMachine &m_;
  ByteReader &in_;
  std::size_t opcode_offset_ = 0;
  std::vector<Value *> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, Value *> memo_;

  friend class PickleMachine;
};

PickleMachine::PickleMachine(std::string where) : arena_(kMaxValues), where_(std::move(where)) {
  none_ = arena_.make(Kind::none);
  true_ = arena_.make(Kind::boolean);
  true_->integer = 1;
  false_ = arena_.make(Kind::boolean);
}

const Value *PickleMachine::run(const std::byte *data, std::size_t size, std::size_t file_offset,
                                std::size_t &consumed) {
  ByteReader in(data, size, file_offset, where_);
  Run run(*this, in);
  const Value *result = run.execute();
  consumed = in.position();
  return result;
}

void PickleMachine::memo_size_check(std::size_t size) const {
  if (size >= kMaxValues)
    fail(ErrorCode::unsupported,
         where_ + " has a pickle with more than " + std::to_string(kMaxValues) + " memo entries");
}

StorageRef *PickleMachine::root_storage(const std::string &key, DType dtype, std::int64_t numel,
                                        const Run &run) {
  auto &known = roots_[key];
  if (known == nullptr) {
    storage_refs_.push_back(StorageRef{key, dtype, numel, 0, -1});
    known = &storage_refs_.back();
    storages_.push_back(known);
  } else if (known->dtype != dtype || known->numel != numel) {
    run.corrupt("storage " + quoted(key) + " is described twice, as " +
                std::to_string(known->numel) + " " + dtype_name(known->dtype) + " and " +
                std::to_string(numel) + " " + dtype_name(dtype) + " elements");
  }
  return known;
}

} // namespace nst::weights::pickle
