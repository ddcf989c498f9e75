// SHA-256 against the FIPS 180-2 examples, of files, and full-digest matching.
#include "fetch/sha256.h"
#include "fetch_test_support.h"
#include "nst/weights.h"

#include "base/error.h"

#include <gtest/gtest.h>

#include <cctype>

#include <fcntl.h>
#include <unistd.h>

namespace nst::testing {
namespace {

const char kAbcDigest[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(fetch::sha256_hex("", 0),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(fetch::sha256_hex("abc", 3), kAbcDigest);
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  EXPECT_EQ(fetch::sha256_hex(two_blocks.data(), two_blocks.size()),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, OfAFileLargerThanOneReadBuffer) {
  TemporaryFolder folder;
  const std::string bytes = pseudo_random_bytes(3 * 1024 * 1024 + 17);
  write_file(folder / "big", bytes);
  const int fd = ::open((folder / "big").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(fetch::sha256_hex_of_file(fd, folder / "big"),
            fetch::sha256_hex(bytes.data(), bytes.size()));
  ::close(fd);
}

TEST(Sha256, UnreadableFileNamesThePath) {
  try {
    fetch::sha256_hex_of_file(-1, "/nowhere/file");
    FAIL() << "no error for a bad descriptor";
  } catch (const Error &error) {
    EXPECT_EQ(error.code(), ErrorCode::file_unreadable);
    EXPECT_NE(std::string(error.what()).find("/nowhere/file"), std::string::npos);
  }
}

TEST(Sha256, OnlyTheWholeDigestMatchesInEitherCase) {
  std::string upper = kAbcDigest;
  for (char &c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_TRUE(fetch::sha256_matches(kAbcDigest, kAbcDigest));
  EXPECT_TRUE(fetch::sha256_matches(kAbcDigest, upper));
  EXPECT_FALSE(fetch::sha256_matches(kAbcDigest, "ba7816bf"));
  EXPECT_FALSE(fetch::sha256_matches(kAbcDigest, std::string(kAbcDigest).substr(0, 63)));
  EXPECT_FALSE(fetch::sha256_matches(kAbcDigest, "dcbb9e9d"));
  EXPECT_FALSE(fetch::sha256_matches(kAbcDigest, std::string(kAbcDigest) + "0"));
}

TEST(Sha256, ExpectedDigestsAreExactlySixtyFourHexDigits) {
  EXPECT_TRUE(fetch::is_sha256_digest(kAbcDigest));
  EXPECT_TRUE(fetch::is_sha256_digest(kPublishedWeightsSha256));
  EXPECT_FALSE(fetch::is_sha256_digest("dcbb9e9d"));
  EXPECT_FALSE(fetch::is_sha256_digest(""));
  EXPECT_FALSE(fetch::is_sha256_digest(std::string(kAbcDigest).substr(0, 63) + "g"));
  EXPECT_FALSE(fetch::is_sha256_digest(std::string(kAbcDigest) + "0"));
}

} // namespace
} // namespace nst::testing
