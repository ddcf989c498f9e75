// Missing, empty, truncated, bit-flipped, random and foreign files give an
// nst::Error with a fitting code and message, never a crash or a read out of
// bounds (the sanitizer build runs these too).
#include "weights_test_support.h"

#include "base/error.h"
#include "weights/mapped_file.h"
#include "weights/readers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

namespace nst::weights::testing {
namespace {

struct Outcome {
  bool loaded = false;
  ErrorCode code = ErrorCode::ok;
  std::string message;
};

// Reads `bytes` as a file; when it loads, converts every tensor too.
Outcome read_outcome(const std::vector<std::byte> &bytes, const std::string &name = "damaged.pth") {
  try {
    const TensorFile file = read_tensor_bytes(MappedFile::from_memory(name, bytes));
    for (const auto &[key, tensor] : file.tensors)
      tensor.to_float32();
    return {true, ErrorCode::ok, ""};
  } catch (const Error &error) {
    return {false, error.code(), error.what()};
  }
}

Outcome read_path(const std::string &path) {
  try {
    read_tensor_file(path);
    return {true, ErrorCode::ok, ""};
  } catch (const Error &error) {
    return {false, error.code(), error.what()};
  }
}

// Fixture files to damage: the Python-written set, else shared/ tiny files;
// with neither, a failure saying why.
std::vector<std::string> fixture_files() {
  std::vector<std::string> files;
  std::string why_not;
  if (const auto dir = python_fixture_dir(why_not)) {
    for (const char *name : {"tiny-legacy-v1.pth", "tiny-legacy-v1-py2.pth", "tiny-legacy-v2.pth",
                             "tiny-zip.pth", "tiny.safetensors"})
      files.push_back(*dir + "/" + name);
  } else if (const auto shared = shared_fixture_dir()) {
    for (const char *name :
         {"tiny-legacy-v1.pth", "tiny-legacy-v2.pth", "tiny-zip.pth", "tiny.safetensors"})
      files.push_back(*shared + "/" + name);
  } else {
    ADD_FAILURE() << "no fixture files to damage: " << why_not
                  << "; nor is there a $NST_SHARED_DIR/fixtures/weights";
  }
  return files;
}

TEST(DamagedFiles, MissingFileIsFileNotFound) {
  const Outcome outcome = read_path("/nonexistent/folder/vgg19.pth");
  EXPECT_EQ(outcome.code, ErrorCode::file_not_found);
  EXPECT_NE(outcome.message.find("/nonexistent/folder/vgg19.pth"), std::string::npos);
}

TEST(DamagedFiles, FolderIsUnreadable) {
  EXPECT_EQ(read_path(temporary_dir()).code, ErrorCode::file_unreadable);
}

TEST(DamagedFiles, EmptyFileIsCorrupt) {
  const std::string path = temporary_dir() + "/empty.pth";
  write_bytes(path, {});
  const Outcome outcome = read_path(path);
  EXPECT_EQ(outcome.code, ErrorCode::corrupt_file);
  EXPECT_NE(outcome.message.find("empty"), std::string::npos) << outcome.message;
}

TEST(DamagedFiles, ForeignFilesAreNotWeightsFiles) {
  for (const std::string &text :
       {std::string("hello, this is a text file\n"), std::string("\x89PNG\r\n\x1a\n0000000000"),
        std::string("GIF89a")}) {
    const Outcome outcome = read_outcome(to_bytes(text));
    EXPECT_EQ(outcome.code, ErrorCode::not_a_weights_file) << text;
    EXPECT_NE(outcome.message.find("safetensors"), std::string::npos) << outcome.message;
    EXPECT_NE(outcome.message.find("PyTorch"), std::string::npos) << outcome.message;
  }
  const Outcome zip = read_outcome(to_bytes(zip_file({{"readme.txt", "not torch"}})));
  EXPECT_EQ(zip.code, ErrorCode::not_a_weights_file) << zip.message;
}

TEST(DamagedFiles, TruncationAtEveryOffsetIsCorrupt) {
  const auto files = fixture_files();
  ASSERT_FALSE(files.empty());
  for (const std::string &path : files) {
    const std::vector<std::byte> whole = read_bytes(path);
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
      const Outcome outcome =
          read_outcome(std::vector<std::byte>(whole.begin(), whole.begin() + cut));
      ASSERT_FALSE(outcome.loaded) << path << " cut at " << cut;
      if (cut >= 16)
        ASSERT_EQ(outcome.code, ErrorCode::corrupt_file)
            << path << " cut at " << cut << ": " << outcome.message;
      else
        ASSERT_TRUE(outcome.code == ErrorCode::corrupt_file ||
                    outcome.code == ErrorCode::not_a_weights_file)
            << path << " cut at " << cut << ": " << outcome.message;
    }
  }
}

TEST(DamagedFiles, TruncationMessagesSayWhatWasExpectedWhere) {
  const auto files = fixture_files();
  ASSERT_FALSE(files.empty());
  std::vector<std::byte> bytes = read_bytes(files[0]); // a legacy file
  bytes.resize(bytes.size() - 3);
  const Outcome outcome = read_outcome(bytes, "vgg.pth");
  EXPECT_NE(outcome.message.find("'vgg.pth'"), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("offset"), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("expected"), std::string::npos) << outcome.message;
}

TEST(DamagedFiles, BitFlipsNeverCrash) {
  const auto files = fixture_files();
  ASSERT_FALSE(files.empty());
  for (const std::string &path : files) {
    const std::vector<std::byte> whole = read_bytes(path);
    int refused = 0;
    for (std::size_t at = 0; at < whole.size(); ++at) {
      std::vector<std::byte> flipped = whole;
      flipped[at] ^= std::byte{static_cast<unsigned char>(1u << (at % 8))};
      const Outcome outcome = read_outcome(flipped);
      if (!outcome.loaded) {
        ++refused;
        EXPECT_NE(outcome.code, ErrorCode::internal) << path << " flip at " << at;
        EXPECT_FALSE(outcome.message.empty());
      }
    }
    // Flips in tensor data go unnoticed; flips in structure do not.
    EXPECT_GT(refused, 0) << path;
  }
}

TEST(DamagedFiles, RandomBytesNeverCrash) {
  std::mt19937 random(1234);
  const std::vector<std::string> prefixes = {
      "", "PK\x03\x04", "\x80\x02",
      std::string("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", 15),
      std::string("\x40\x00\x00\x00\x00\x00\x00\x00{", 9)};
  for (int round = 0; round < 2000; ++round) {
    std::string bytes = prefixes[round % prefixes.size()];
    const std::size_t length = random() % 300;
    for (std::size_t i = 0; i < length; ++i)
      bytes += static_cast<char>(random() & 0xff);
    const Outcome outcome = read_outcome(to_bytes(bytes));
    if (!outcome.loaded) {
      EXPECT_NE(outcome.code, ErrorCode::internal);
    }
  }
}

// Zip-specific damage, from a torch-written zip rewritten entry by entry.
class ZipDamage : public ::testing::Test {
protected:
  void SetUp() override {
    std::string why_not;
    if (const auto dir = python_fixture_dir(why_not))
      path = *dir + "/tiny-zip.pth";
    else if (const auto shared = shared_fixture_dir())
      path = *shared + "/tiny-zip.pth";
    else
      FAIL() << "no torch-written zip: " << why_not
             << "; nor is there a $NST_SHARED_DIR/fixtures/weights";
    entries = zip_entries(path);
  }
  ZipFileEntry &entry(const std::string &suffix) {
    for (ZipFileEntry &e : entries)
      if (e.name.size() >= suffix.size() &&
          e.name.compare(e.name.size() - suffix.size(), suffix.size(), suffix) == 0)
        return e;
    throw std::runtime_error("no entry " + suffix);
  }
  std::string path;
  std::vector<ZipFileEntry> entries;
};

TEST_F(ZipDamage, RewrittenAsZip64ItLoadsTheSame) {
  const TensorFile original = read_tensor_file(path);
  const TensorFile rewritten =
      read_tensor_bytes(MappedFile::from_memory("zip64.pth", to_bytes(zip_file(entries, true))));
  EXPECT_EQ(compare(original, rewritten), "");
}

TEST_F(ZipDamage, AnyArchiveFolderName) {
  const TensorFile original = read_tensor_file(path);
  for (ZipFileEntry &e : entries)
    e.name = "some other name/" + e.name.substr(e.name.find('/') + 1);
  const TensorFile renamed =
      read_tensor_bytes(MappedFile::from_memory("renamed.pth", to_bytes(zip_file(entries))));
  EXPECT_EQ(compare(original, renamed), "");
}

TEST_F(ZipDamage, StorageOrderDoesNotMatter) {
  const TensorFile original = read_tensor_file(path);
  std::reverse(entries.begin(), entries.end());
  const TensorFile reversed =
      read_tensor_bytes(MappedFile::from_memory("reversed.pth", to_bytes(zip_file(entries))));
  EXPECT_EQ(compare(original, reversed), "");
}

TEST_F(ZipDamage, CompressedEntriesAreRefusedClearly) {
  const Outcome outcome = read_outcome(to_bytes(zip_file(entries, false, 8)));
  EXPECT_EQ(outcome.code, ErrorCode::unsupported);
  EXPECT_NE(outcome.message.find("compressed"), std::string::npos) << outcome.message;
}

TEST_F(ZipDamage, MissingStorageEntryIsCorrupt) {
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [](const ZipFileEntry &e) {
                                 return e.name.find("/data/0") != std::string::npos;
                               }),
                entries.end());
  const Outcome outcome = read_outcome(to_bytes(zip_file(entries)));
  EXPECT_EQ(outcome.code, ErrorCode::corrupt_file);
  EXPECT_NE(outcome.message.find("data/0"), std::string::npos) << outcome.message;
}

TEST_F(ZipDamage, ShortStorageEntryIsCorrupt) {
  entry("/data/0").data.resize(8);
  EXPECT_EQ(read_outcome(to_bytes(zip_file(entries))).code, ErrorCode::corrupt_file);
}

TEST_F(ZipDamage, DamagedPickleFailsItsChecksum) {
  std::string built = zip_file(entries);
  const std::string &pickle = entry("data.pkl").data;
  const std::size_t at = built.find(pickle) + pickle.size() / 2;
  built[at] = static_cast<char>(built[at] ^ 0x20);
  const Outcome outcome = read_outcome(to_bytes(built));
  EXPECT_EQ(outcome.code, ErrorCode::corrupt_file);
  EXPECT_NE(outcome.message.find("CRC"), std::string::npos) << outcome.message;
}

TEST_F(ZipDamage, BigEndianFilesAreRefused) {
  entry("byteorder").data = "big";
  EXPECT_EQ(read_outcome(to_bytes(zip_file(entries))).code, ErrorCode::unsupported);
}

// safetensors headers, hand-written.
std::vector<std::byte> safetensors(const std::string &header, std::size_t data_bytes) {
  std::string out;
  for (int i = 0; i < 8; ++i)
    out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return to_bytes(out + header + std::string(data_bytes, '\0'));
}

TEST(SafetensorsDamage, BadHeadersAreCorruptOrUnsupported) {
  const std::string good = R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  EXPECT_TRUE(read_outcome(safetensors(good, 8)).loaded);
  const std::vector<std::pair<std::string, ErrorCode>> cases = {
      {R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})", ErrorCode::corrupt_file},
      {R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", ErrorCode::corrupt_file},
      {R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})", ErrorCode::corrupt_file},
      {R"({"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", ErrorCode::corrupt_file},
      {R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", ErrorCode::corrupt_file},
      {R"({"w":{"dtype":"F32","shape":[2]}})", ErrorCode::corrupt_file},
      {R"({"w":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}})", ErrorCode::unsupported},
      {R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
       ErrorCode::corrupt_file},
      {R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}})",
       ErrorCode::corrupt_file},
      {R"({"__metadata__":[1],"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
       ErrorCode::corrupt_file},
      {R"({"w":"\ud800"})", ErrorCode::corrupt_file},
      {"{" + std::string(1000, '[') + std::string(1000, ']') + "}", ErrorCode::corrupt_file},
  };
  for (const auto &[header, code] : cases) {
    const Outcome outcome = read_outcome(safetensors(header, 8));
    EXPECT_EQ(outcome.code, code) << header.substr(0, 100) << ": " << outcome.message;
  }
  // A header length beyond the file, and beyond any sane size.
  std::vector<std::byte> bytes = safetensors(good, 8);
  bytes[0] = std::byte{0xff};
  EXPECT_EQ(read_outcome(bytes).code, ErrorCode::corrupt_file);
  bytes[5] = std::byte{0xff};
  EXPECT_NE(read_outcome(bytes).code, ErrorCode::ok);
}

TEST(SafetensorsDamage, EmptyShapesWhoseStridesOverflowAreCorrupt) {
  // No elements, so no data, but a first stride of 2^64.
  Outcome outcome = read_outcome(
      safetensors(R"({"w":{"dtype":"F32","shape":[0,4294967296,4294967296],"data_offsets":[0,0]}})",
                  0),
      "empty.safetensors");
  EXPECT_EQ(outcome.code, ErrorCode::corrupt_file) << outcome.message;
  EXPECT_NE(outcome.message.find("'empty.safetensors'"), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("[0, 4294967296, 4294967296]"), std::string::npos)
      << outcome.message;
  EXPECT_TRUE(
      read_outcome(
          safetensors(R"({"w":{"dtype":"F32","shape":[4294967296,0],"data_offsets":[0,0]}})", 0))
          .loaded);
  // The same shape in a legacy file, with strides of its own.
  const std::string pickle =
      PickleWriter()
          .proto()
          .op('}')
          .text("w")
          .tensor("FloatStorage", "k0", 1, 0, {0, 1LL << 32, 1LL << 32}, {0, 0, 0})
          .op('s')
          .stop()
          .bytes();
  outcome = read_outcome(to_bytes(legacy_file(pickle, {{"k0", 1, std::string(4, '\0')}})));
  EXPECT_EQ(outcome.code, ErrorCode::corrupt_file) << outcome.message;
  EXPECT_NE(outcome.message.find("'w'"), std::string::npos) << outcome.message;
}

TEST(SafetensorsDamage, JsonErrorsNameTheirOffset) {
  const Outcome outcome = read_outcome(safetensors(R"({"w": nope})", 0));
  EXPECT_EQ(outcome.code, ErrorCode::corrupt_file);
  EXPECT_NE(outcome.message.find("offset 14"), std::string::npos) << outcome.message;
}

TEST(SafetensorsDamage, MetadataAndEscapesAreRead) {
  const std::string header =
      R"({"__metadata__":{"format":"pt"},"a\"b\u00e9":{"dtype":"BF16","shape":[],"data_offsets":[0,2]}})";
  std::vector<std::byte> bytes = safetensors(header, 2);
  bytes[bytes.size() - 1] = std::byte{0x3f};
  bytes[bytes.size() - 2] = std::byte{0x80};
  const TensorFile file = read_tensor_bytes(MappedFile::from_memory("m.safetensors", bytes));
  ASSERT_EQ(file.tensors.size(), 1u);
  EXPECT_EQ(file.tensors[0].first, "a\"b\xc3\xa9");
  EXPECT_EQ(file.tensors[0].second.to_float32(), std::vector<float>{1.0f});
}

} // namespace
} // namespace nst::weights::testing
