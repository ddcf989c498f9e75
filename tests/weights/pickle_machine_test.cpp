// The pickle VM runs hand-made pickles: it builds what torch files need,
// refuses every other global naming it, and reports damage as corrupt_file,
// with memory bounded by the input.
#include "weights_test_support.h"

#include "base/error.h"
#include "weights/mapped_file.h"
#include "weights/pickle_machine.h"
#include "weights/readers.h"
#include "weights/torch_pickle.h"

#include <gtest/gtest.h>

#include <chrono>

#include <sys/resource.h>

namespace nst::weights::testing {
namespace {

using pickle::Kind;
using pickle::PickleMachine;
using pickle::Value;

// A string literal with its embedded NUL bytes.
template <std::size_t N> std::string lit(const char (&text)[N]) {
  return std::string(text, N - 1);
}

struct Outcome {
  ErrorCode code = ErrorCode::ok;
  std::string message;
};

Outcome run_pickle(const std::string &bytes) {
  PickleMachine machine("weights file 'test.pth'");
  std::size_t consumed = 0;
  try {
    machine.run(reinterpret_cast<const std::byte *>(bytes.data()), bytes.size(), 0, consumed);
  } catch (const Error &error) {
    return {error.code(), error.what()};
  }
  return {};
}

Outcome read_file_bytes(const std::string &bytes, const std::string &name = "test.pth") {
  try {
    read_tensor_bytes(MappedFile::from_memory(name, to_bytes(bytes)));
  } catch (const Error &error) {
    return {error.code(), error.what()};
  }
  return {};
}

TensorFile read_ok(const std::string &bytes) {
  return read_tensor_bytes(MappedFile::from_memory("test.pth", to_bytes(bytes)));
}

// os.system("echo pwned") as a pickle would run it.
std::string os_system_pickle() {
  return PickleWriter()
      .proto()
      .global("os", "system")
      .text("echo pwned")
      .op('\x85')
      .op('R')
      .stop()
      .bytes();
}

TEST(PickleMachine, BuildsScalarsStringsAndContainers) {
  PickleMachine machine("test");
  const std::string bytes = PickleWriter()
                                .proto()
                                .op('}')
                                .op('(')
                                .text("n")
                                .integer(-5)
                                .text("big")
                                .integer(1LL << 40)
                                .text("list")
                                .op(']')
                                .integer(1)
                                .op('a')
                                .text("tuple")
                                .integer(7)
                                .integer(8)
                                .op('\x86')
                                .op('u')
                                .stop()
                                .bytes();
  std::size_t consumed = 0;
  const Value *root =
      machine.run(reinterpret_cast<const std::byte *>(bytes.data()), bytes.size(), 0, consumed);
  EXPECT_EQ(consumed, bytes.size());
  ASSERT_EQ(root->kind, Kind::dict);
  ASSERT_EQ(root->entries.size(), 4u);
  EXPECT_EQ(root->entries[0].second->integer, -5);
  EXPECT_EQ(root->entries[1].second->integer, 1LL << 40);
  EXPECT_EQ(root->entries[2].second->items.size(), 1u);
  EXPECT_EQ(root->entries[3].second->items[1]->integer, 8);
}

TEST(PickleMachine, RefusesOsSystemNamingIt) {
  const Outcome outcome = run_pickle(os_system_pickle());
  EXPECT_EQ(outcome.code, ErrorCode::unsupported);
  EXPECT_NE(outcome.message.find("'os.system'"), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("not allowed in a weights file"), std::string::npos);
}

TEST(PickleMachine, RefusesDisallowedGlobalsInEveryForm) {
  // STACK_GLOBAL (protocol 4) with short strings.
  const std::string stack_global = lit("\x80\x04\x8c\x08"
                                       "builtins"
                                       "\x8c\x04"
                                       "eval"
                                       "\x93"
                                       ".");
  Outcome outcome = run_pickle(stack_global);
  EXPECT_EQ(outcome.code, ErrorCode::unsupported);
  EXPECT_NE(outcome.message.find("'builtins.eval'"), std::string::npos) << outcome.message;
  // A torch function outside the allow-list.
  outcome = run_pickle(PickleWriter().proto().global("torch", "load").stop().bytes());
  EXPECT_EQ(outcome.code, ErrorCode::unsupported);
  EXPECT_NE(outcome.message.find("'torch.load'"), std::string::npos);
  // An allowed storage class is a value, never called.
  outcome = run_pickle(
      PickleWriter().proto().global("torch", "FloatStorage").op(')').op('R').stop().bytes());
  EXPECT_EQ(outcome.code, ErrorCode::unsupported);
  EXPECT_NE(outcome.message.find("'torch.FloatStorage'"), std::string::npos);
  // Opcodes that create arbitrary objects.
  outcome = run_pickle(PickleWriter().proto().op('(').raw("ios\nsystem\n").stop().bytes());
  EXPECT_EQ(outcome.code, ErrorCode::unsupported);
  EXPECT_NE(outcome.message.find("INST"), std::string::npos);
  outcome = run_pickle(PickleWriter().proto().raw("\x82\x01").stop().bytes());
  EXPECT_EQ(outcome.code, ErrorCode::unsupported);
}

TEST(PickleMachine, RefusesOsSystemInsideWeightsFilesOfEachFormat) {
  const Outcome legacy = read_file_bytes(legacy_file(os_system_pickle(), {}));
  EXPECT_EQ(legacy.code, ErrorCode::unsupported);
  EXPECT_NE(legacy.message.find("'os.system'"), std::string::npos) << legacy.message;
  const Outcome zip = read_file_bytes(zip_file({{"archive/data.pkl", os_system_pickle()}}));
  EXPECT_EQ(zip.code, ErrorCode::unsupported);
  EXPECT_NE(zip.message.find("'os.system'"), std::string::npos) << zip.message;
  EXPECT_NE(zip.message.find("test.pth"), std::string::npos) << zip.message;
}

TEST(PickleMachine, DamagedPicklesAreCorrupt) {
  const std::vector<std::pair<const char *, std::string>> cases = {
      {"empty stack at STOP", "\x80\x02."},
      {"unknown opcode", "\x80\x02\xff."},
      {"memo read before write", "\x80\x02h\x05."},
      {"SETITEM on a list", "\x80\x02]K\x01K\x02s."},
      {"APPEND on a dict", "\x80\x02}K\x01"
                           "a."},
      {"no MARK for TUPLE", "\x80\x02K\x01t."},
      {"odd SETITEMS", "\x80\x02}(K\x01u."},
      {"string longer than the file", std::string("\x80\x02X\xff\xff\xff\xff"
                                                  "ab.",
                                                  10)},
      {"LONG4 longer than the file", std::string("\x80\x02\x8b\xff\xff\xff\x7f.", 8)},
      {"negative BINSTRING length", std::string("\x80\x02T\xff\xff\xff\xff.", 8)},
      {"no STOP", "\x80\x02K\x01"},
      {"GLOBAL without newline", "\x80\x02"
                                 "ccollections"},
      {"REDUCE on an int", "\x80\x02K\x01)R."},
      {"pop below a MARK", "\x80\x02K\x01(\x85."},
  };
  for (const auto &[what, bytes] : cases) {
    const Outcome outcome = run_pickle(bytes);
    EXPECT_EQ(outcome.code, ErrorCode::corrupt_file) << what << ": " << outcome.message;
  }
}

TEST(PickleMachine, HostileStructuresStayBounded) {
  // Deep MARK nesting, then nested tuples a million deep: no recursion.
  EXPECT_EQ(run_pickle("\x80\x02" + std::string(200000, '(') + ".").code, ErrorCode::corrupt_file);
  std::string nested = "\x80\x02N";
  for (int i = 0; i < 100000; ++i)
    nested += '\x85';
  EXPECT_EQ(run_pickle(nested + ".").code, ErrorCode::ok);
  // A list that contains itself, a dict that contains itself (freed by the
  // arena; the state-dict walk visits each dict once).
  EXPECT_EQ(run_pickle(lit("\x80\x02]q\x00h\x00"
                           "a."))
                .code,
            ErrorCode::ok);
  const std::string cycle = PickleWriter()
                                .proto()
                                .op('}')
                                .raw(lit("q\x00"))
                                .text("self")
                                .raw(lit("h\x00"))
                                .op('s')
                                .stop()
                                .bytes();
  PickleMachine machine("test");
  std::size_t consumed = 0;
  const Value *root =
      machine.run(reinterpret_cast<const std::byte *>(cycle.data()), cycle.size(), 0, consumed);
  EXPECT_TRUE(tensors_in(root, consumed, "test").empty());
  // More objects than any weights file makes.
  EXPECT_EQ(run_pickle("\x80\x02" + std::string(1100000, ')') + ".").code, ErrorCode::unsupported);
}

// {K: {K: ... {K: {}}}} `depth` dicts deep, the key K of `key_length` bytes
// written once and then read from the memo; with a tensor 'w' innermost
// when `tensor`.
std::string nested_dicts(std::size_t key_length, int depth, bool tensor) {
  PickleWriter pickle;
  pickle.proto().op('}').text(std::string(key_length, 'k')).raw(lit("q\x00")).op('0');
  std::string levels;
  for (int i = 0; i < depth; ++i)
    levels += lit("h\x00}");
  pickle.raw(levels);
  if (tensor)
    pickle.text("w").tensor("FloatStorage", "k0", 1, 0, {1}, {1}).op('s');
  return pickle.raw(std::string(depth, 's')).stop().bytes();
}

long peak_rss_kib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(StateDictWalk, NamesStayProportionalToThePickle) {
  // 1.4 MB of pickle whose innermost name would take 100 GB (and all of
  // them 5 PB): SETITEM and memo GET make no values, so only a bound on
  // the names themselves stops it.
  const std::string hostile = legacy_file(nested_dicts(1 << 20, 100000, false), {});
  const long rss_before = peak_rss_kib();
  const auto start = std::chrono::steady_clock::now();
  const Outcome outcome = read_file_bytes(hostile);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(outcome.code, ErrorCode::unsupported) << outcome.message;
  EXPECT_NE(outcome.message.find("'test.pth'"), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("tensor names of more than"), std::string::npos)
      << outcome.message;
  EXPECT_LT(seconds, 10.0);
  EXPECT_LT(peak_rss_kib() - rss_before, 512L << 10) << "KiB more at the peak";

  // Short keys nested as deep stay within the bound and keep their names.
  const TensorFile file =
      read_ok(legacy_file(nested_dicts(1, 1000, true), {{"k0", 1, std::string(4, '\0')}}));
  ASSERT_EQ(file.tensors.size(), 1u);
  std::string name;
  for (int i = 0; i < 1000; ++i)
    name += "k.";
  EXPECT_EQ(file.tensors[0].first, name + "w");
}

TEST(PickleMachine, Python2AndProtocol0Forms) {
  // INT 01/00 are True/False; PUT/GET with decimal text; BINSTRING strings.
  const std::string bytes = lit("\x80\x02}(U\x01"
                                "aI01\np7\nU\x01"
                                "bg7\nI-12\n0u.");
  PickleMachine machine("test");
  std::size_t consumed = 0;
  const Value *root =
      machine.run(reinterpret_cast<const std::byte *>(bytes.data()), bytes.size(), 0, consumed);
  ASSERT_EQ(root->kind, Kind::dict);
  ASSERT_EQ(root->entries.size(), 2u);
  EXPECT_EQ(root->entries[0].first->text, "a");
  EXPECT_EQ(root->entries[0].second->kind, Kind::boolean);
  EXPECT_EQ(root->entries[1].second, root->entries[0].second);
}

// A legacy file with one float tensor [numel] at `offset` with `size`.
std::string one_tensor_file(std::int64_t numel, std::int64_t offset,
                            const std::vector<std::int64_t> &size,
                            const std::vector<std::int64_t> &stride, std::uint64_t count,
                            std::size_t data_bytes) {
  const std::string pickle = PickleWriter()
                                 .proto()
                                 .global("collections", "OrderedDict")
                                 .op(')')
                                 .op('R')
                                 .op('(')
                                 .text("w")
                                 .tensor("FloatStorage", "k0", numel, offset, size, stride)
                                 .op('u')
                                 .stop()
                                 .bytes();
  return legacy_file(pickle, {{"k0", count, std::string(data_bytes, '\x01')}});
}

TEST(LegacyReader, HandMadeFileLoads) {
  const TensorFile file = read_ok(one_tensor_file(6, 0, {2, 3}, {3, 1}, 6, 24));
  ASSERT_EQ(file.tensors.size(), 1u);
  EXPECT_EQ(file.tensors[0].first, "w");
  EXPECT_EQ(file.tensors[0].second.shape, (std::vector<std::int64_t>{2, 3}));
}

TEST(LegacyReader, ViewBeyondStorageIsCorrupt) {
  const Outcome outcome = read_file_bytes(one_tensor_file(4, 0, {100}, {1}, 4, 16));
  EXPECT_EQ(outcome.code, ErrorCode::corrupt_file);
  EXPECT_NE(outcome.message.find("'w'"), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("storage"), std::string::npos) << outcome.message;
  EXPECT_EQ(read_file_bytes(one_tensor_file(4, 3, {2}, {1}, 4, 16)).code, ErrorCode::corrupt_file);
}

TEST(LegacyReader, RecordsThatDisagreeWithThePickleAreCorrupt) {
  // The record says 5 elements, the pickle 4.
  Outcome outcome = read_file_bytes(one_tensor_file(4, 0, {4}, {1}, 5, 20));
  EXPECT_EQ(outcome.code, ErrorCode::corrupt_file);
  EXPECT_NE(outcome.message.find("'k0'"), std::string::npos) << outcome.message;
  // Data shorter than the record's count.
  outcome = read_file_bytes(one_tensor_file(4, 0, {4}, {1}, 4, 15));
  EXPECT_EQ(outcome.code, ErrorCode::corrupt_file);
  EXPECT_NE(outcome.message.find("offset"), std::string::npos) << outcome.message;
  // A count so large that count * 4 overflows.
  EXPECT_EQ(read_file_bytes(one_tensor_file(4, 0, {4}, {1}, 1ULL << 62, 16)).code,
            ErrorCode::corrupt_file);
}

TEST(LegacyReader, StorageWithoutDataOrDataWithoutStorageIsCorrupt) {
  const std::string pickle = one_tensor_pickle();
  EXPECT_EQ(read_file_bytes(legacy_file(pickle, {})).code, ErrorCode::corrupt_file);
  EXPECT_EQ(read_file_bytes(legacy_file(pickle, {{"other", 1, "abcd"}})).code,
            ErrorCode::corrupt_file);
}

TEST(LegacyReader, StorageDescribedTwiceDifferentlyIsCorrupt) {
  const std::string pickle = PickleWriter()
                                 .proto()
                                 .op('}')
                                 .op('(')
                                 .text("a")
                                 .tensor("FloatStorage", "k0", 2, 0, {2}, {1})
                                 .text("b")
                                 .tensor("DoubleStorage", "k0", 2, 0, {2}, {1})
                                 .op('u')
                                 .stop()
                                 .bytes();
  EXPECT_EQ(read_file_bytes(legacy_file(pickle, {{"k0", 2, std::string(8, '\0')}})).code,
            ErrorCode::corrupt_file);
}

TEST(LegacyReader, PicklesThatAreNotTorchFilesAreNotWeightsFiles) {
  const Outcome outcome = read_file_bytes(PickleWriter().proto().op('}').stop().bytes());
  EXPECT_EQ(outcome.code, ErrorCode::not_a_weights_file);
  EXPECT_NE(outcome.message.find("safetensors"), std::string::npos) << outcome.message;
  // The magic number, then another protocol version.
  std::string file = legacy_file(PickleWriter().proto().op('}').stop().bytes(), {});
  file.replace(file.find("M\xe9\x03"), 3, "M\xea\x03");
  EXPECT_EQ(read_file_bytes(file).code, ErrorCode::unsupported);
}

TEST(LegacyReader, ANestedCheckpointGivesPrefixedNamesAndParametersUnwrap) {
  const std::string pickle = PickleWriter()
                                 .proto()
                                 .op('}')
                                 .op('(')
                                 .text("epoch")
                                 .integer(3)
                                 .text("state_dict")
                                 .op('}')
                                 .text("w")
                                 .global("torch._utils", "_rebuild_parameter")
                                 .op('(')
                                 .tensor("FloatStorage", "k0", 2, 0, {2}, {1})
                                 .op('\x88')
                                 .global("collections", "OrderedDict")
                                 .op(')')
                                 .op('R')
                                 .op('t')
                                 .op('R')
                                 .op('s')
                                 .op('u')
                                 .stop()
                                 .bytes();
  const TensorFile file = read_ok(legacy_file(pickle, {{"k0", 2, std::string(8, '\0')}}));
  ASSERT_EQ(file.tensors.size(), 1u);
  EXPECT_EQ(file.tensors[0].first, "state_dict.w");
}

TEST(LegacyReader, AStateDictIsRequired) {
  const Outcome outcome =
      read_file_bytes(legacy_file(PickleWriter().proto().integer(5).stop().bytes(), {}));
  EXPECT_EQ(outcome.code, ErrorCode::unsupported);
  EXPECT_NE(outcome.message.find("state dict"), std::string::npos) << outcome.message;
}

} // namespace
} // namespace nst::weights::testing
