// download_file against a local HTTP server: complete downloads, checksums,
// resuming after a dropped connection, servers that ignore or mangle Range,
// HTTP errors, stalls, cancellation, progress, a full disk, a size cap,
// redirects, a planted symbolic link and two downloads at once.
#include "fetch/download_lock.h"
#include "fetch/http_transfer.h"
#include "fetch/sha256.h"
#include "fetch_test_support.h"
#include "local_http_server.h"
#include "nst/weights.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace nst::testing {
namespace {

using Mode = LocalHttpServer::Mode;

class DownloadFile : public ::testing::Test {
protected:
  DownloadOptions options(const std::string &expected_sha256 = "") {
    DownloadOptions o;
    o.url = server_.url("/models/vgg19-dcbb9e9d.pth");
    o.destination = destination_;
    o.expected_sha256 = expected_sha256;
    o.timeout_seconds = 60; // a hung test fails instead of hanging
    return o;
  }
  std::string part() const { return destination_ + ".part"; }
  std::string digest() const { return fetch::sha256_hex(body_.data(), body_.size()); }

  TemporaryFolder folder_;
  const std::string body_ = pseudo_random_bytes(1024 * 1024 + 123);
  LocalHttpServer server_{body_};
  const std::string destination_ = folder_ / "nested/folders/vgg19-dcbb9e9d.pth";
};

TEST_F(DownloadFile, CompleteDownloadWithTheRightChecksum) {
  const Status status = download_file(options(digest()));
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(read_file(destination_), body_);
  EXPECT_FALSE(file_exists(part()));
  EXPECT_EQ(server_.ranges(), std::vector<std::string>{""});
}

TEST_F(DownloadFile, CancelWhileWaitingForAnotherDownload) {
  const fetch::DownloadLock other(options()); // held as another download would
  std::atomic<bool> cancel{false};
  bool waited = false;
  DownloadOptions o = options();
  o.cancel = &cancel;
  o.progress = [&](const DownloadProgress &progress) {
    waited = progress.waiting;
    cancel = true;
  };
  const Status status = download_file(o);
  EXPECT_EQ(status.code, ErrorCode::cancelled) << status.message;
  EXPECT_NE(status.message.find(destination_), std::string::npos) << status.message;
  EXPECT_TRUE(waited);
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(DownloadFile, FullChecksumInEitherCase) {
  std::string upper = digest();
  for (char &c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const Status status = download_file(options(upper));
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(read_file(destination_), body_);
}

TEST_F(DownloadFile, ChecksumPrefixIsRefused) {
  const Status status = download_file(options(digest().substr(0, 8)));
  EXPECT_EQ(status.code, ErrorCode::invalid_argument) << status.message;
  EXPECT_NE(status.message.find("64 hex digits"), std::string::npos) << status.message;
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(DownloadFile, AnnouncedSizeLargerThanExpectedIsRefusedBeforeWriting) {
  DownloadOptions o = options();
  o.expected_bytes = body_.size() - 1000;
  const Status status = download_file(o);
  EXPECT_EQ(status.code, ErrorCode::download_failed) << status.message;
  for (const std::string &part_of_message :
       {o.url, std::to_string(body_.size()), std::to_string(o.expected_bytes)})
    EXPECT_NE(status.message.find(part_of_message), std::string::npos) << status.message;
  EXPECT_FALSE(file_exists(destination_));
  EXPECT_FALSE(file_exists(part()));
}

TEST_F(DownloadFile, ServerSendingMoreThanExpectedIsStoppedAndThePartRemoved) {
  server_.set_mode(Mode::no_length);
  std::uint64_t largest = 0;
  DownloadOptions o = options();
  o.expected_bytes = body_.size() - 1000;
  o.progress = [&](const DownloadProgress &progress) {
    largest = std::max(largest, progress.received_bytes);
  };
  const Status status = download_file(o);
  EXPECT_EQ(status.code, ErrorCode::download_failed) << status.message;
  EXPECT_NE(status.message.find(o.url), std::string::npos) << status.message;
  EXPECT_NE(status.message.find(std::to_string(o.expected_bytes)), std::string::npos)
      << status.message;
  EXPECT_LE(largest, o.expected_bytes);
  EXPECT_FALSE(file_exists(destination_));
  EXPECT_FALSE(file_exists(part()));
}

TEST_F(DownloadFile, FileOfAnotherSizeIsRemoved) {
  DownloadOptions o = options();
  o.expected_bytes = body_.size() + 1;
  const Status status = download_file(o);
  EXPECT_EQ(status.code, ErrorCode::checksum_mismatch) << status.message;
  EXPECT_NE(status.message.find(std::to_string(o.expected_bytes)), std::string::npos)
      << status.message;
  EXPECT_FALSE(file_exists(destination_));
  EXPECT_FALSE(file_exists(part()));
}

TEST_F(DownloadFile, PartLargerThanTheFileIsStartedAgain) {
  write_file(part(), body_ + "tail");
  DownloadOptions o = options(digest());
  o.expected_bytes = body_.size();
  const Status status = download_file(o);
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(read_file(destination_), body_);
  EXPECT_EQ(server_.ranges(), std::vector<std::string>{""});
}

TEST_F(DownloadFile, RedirectsAreFollowed) {
  server_.set_mode(Mode::redirect_once);
  const Status status = download_file(options(digest()));
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(read_file(destination_), body_);
  EXPECT_EQ(server_.request_count(), 2);
}

TEST_F(DownloadFile, RedirectLoopStopsAfterTenRedirects) {
  server_.set_mode(Mode::redirect_loop);
  const Status status = download_file(options());
  EXPECT_EQ(status.code, ErrorCode::download_failed) << status.message;
  EXPECT_EQ(server_.request_count(), 11);
  EXPECT_FALSE(file_exists(destination_));
}

TEST(Redirects, FromHttpsOnlyToHttps) {
  EXPECT_STREQ(fetch::redirect_protocols("https://download.pytorch.org/x.pth"), "https");
  EXPECT_STREQ(fetch::redirect_protocols("HTTPS://download.pytorch.org/x.pth"), "https");
  EXPECT_STREQ(fetch::redirect_protocols("http://127.0.0.1/x.pth"), "http,https");
}

TEST_F(DownloadFile, SymbolicLinkAsThePartIsRefusedAndItsTargetUntouched) {
  const std::string other = folder_ / "precious.txt";
  write_file(other, "not to be overwritten");
  std::filesystem::create_directories(folder_ / "nested/folders");
  std::filesystem::create_symlink(other, part());
  const Status status = download_file(options(digest()));
  EXPECT_EQ(status.code, ErrorCode::file_unreadable) << status.message;
  EXPECT_NE(status.message.find(part()), std::string::npos) << status.message;
  EXPECT_NE(status.message.find("symbolic link"), std::string::npos) << status.message;
  EXPECT_EQ(read_file(other), "not to be overwritten");
  EXPECT_FALSE(file_exists(destination_));
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(DownloadFile, SecondDownloadOfTheSameFileWaitsAndUsesTheFirstOnesFile) {
  server_.set_mode(Mode::slow);
  server_.set_slow(32768, std::chrono::milliseconds(10));
  std::atomic<bool> first_started{false};
  Status first;
  std::thread downloading([&] {
    DownloadOptions o = options(digest());
    o.progress = [&](const DownloadProgress &progress) {
      if (progress.received_bytes > 0)
        first_started = true;
    };
    first = download_file(o);
  });
  while (!first_started && server_.request_count() == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::vector<DownloadProgress> seen;
  DownloadOptions o = options(digest());
  o.progress = [&](const DownloadProgress &progress) { seen.push_back(progress); };
  const Status second = download_file(o);
  downloading.join();
  ASSERT_TRUE(first.ok()) << first.message;
  ASSERT_TRUE(second.ok()) << second.message;
  EXPECT_EQ(read_file(destination_), body_);
  EXPECT_EQ(server_.request_count(), 1);
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(seen.front().waiting);
  EXPECT_LE(seen.front().received_bytes, body_.size());
}

TEST_F(DownloadFile, WrongChecksumRemovesTheFile) {
  const std::string wrong = digest()[0] == '0' ? "1" : "0";
  const Status status = download_file(options(wrong + digest().substr(1)));
  EXPECT_EQ(status.code, ErrorCode::checksum_mismatch) << status.message;
  EXPECT_NE(status.message.find(digest()), std::string::npos) << status.message;
  EXPECT_FALSE(file_exists(destination_));
  EXPECT_FALSE(file_exists(part()));
}

TEST_F(DownloadFile, DroppedConnectionKeepsThePartAndTheNextCallResumes) {
  server_.set_mode(Mode::drop_once);
  Status status = download_file(options(digest()));
  EXPECT_EQ(status.code, ErrorCode::download_failed) << status.message;
  EXPECT_FALSE(file_exists(destination_));
  ASSERT_TRUE(file_exists(part()));
  const std::string kept = read_file(part());
  EXPECT_EQ(kept.size(), body_.size() / 2);
  EXPECT_EQ(kept, body_.substr(0, kept.size()));
  EXPECT_NE(status.message.find(part()), std::string::npos) << status.message;

  status = download_file(options(digest()));
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(read_file(destination_), body_);
  EXPECT_FALSE(file_exists(part()));
  EXPECT_EQ(server_.ranges(),
            (std::vector<std::string>{"", "bytes=" + std::to_string(kept.size()) + "-"}));
}

TEST_F(DownloadFile, ServerIgnoringRangeMeansStartingOver) {
  const std::string stale = "these bytes are not the start of the file";
  write_file(part(), stale);
  server_.set_mode(Mode::ignore_range);
  const Status status = download_file(options(digest()));
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(read_file(destination_), body_);
  EXPECT_EQ(server_.ranges(),
            std::vector<std::string>{"bytes=" + std::to_string(stale.size()) + "-"});
}

TEST_F(DownloadFile, RangeFromAnotherOffsetMeansStartingOver) {
  write_file(part(), body_.substr(0, 5000));
  server_.set_mode(Mode::wrong_range_once);
  const Status status = download_file(options(digest()));
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(read_file(destination_), body_);
  EXPECT_EQ(server_.ranges(), (std::vector<std::string>{"bytes=5000-", ""}));
}

TEST_F(DownloadFile, PartHoldingTheWholeFileIsFetchedAgain) {
  write_file(part(), body_); // 416 for "bytes=<size>-"
  const Status status = download_file(options(digest()));
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(read_file(destination_), body_);
  EXPECT_EQ(server_.ranges().size(), 2u);
}

TEST_F(DownloadFile, HttpErrorNamesTheUrlAndStatus) {
  server_.set_mode(Mode::not_found);
  const DownloadOptions o = options();
  const Status status = download_file(o);
  EXPECT_EQ(status.code, ErrorCode::download_failed);
  EXPECT_NE(status.message.find("404"), std::string::npos) << status.message;
  EXPECT_NE(status.message.find(o.url), std::string::npos) << status.message;
  EXPECT_FALSE(file_exists(destination_));
  EXPECT_FALSE(file_exists(part())); // nothing worth resuming
}

TEST_F(DownloadFile, NoServerIsDownloadFailed) {
  DownloadOptions o = options();
  o.url = "http://127.0.0.1:1/vgg19.pth";
  const Status status = download_file(o);
  EXPECT_EQ(status.code, ErrorCode::download_failed) << status.message;
  EXPECT_NE(status.message.find(o.url), std::string::npos) << status.message;
}

TEST_F(DownloadFile, StalledTransferFailsAndKeepsThePart) {
  server_.set_mode(Mode::stall);
  DownloadOptions o = options();
  o.stall_seconds = 1;
  const Status status = download_file(o);
  EXPECT_EQ(status.code, ErrorCode::download_failed) << status.message;
  EXPECT_EQ(read_file(part()), body_.substr(0, LocalHttpServer::kStallBytes));
}

TEST_F(DownloadFile, CancelStopsAndKeepsThePart) {
  server_.set_mode(Mode::slow);
  server_.set_slow(16384, std::chrono::milliseconds(20));
  std::atomic<bool> cancel{false};
  DownloadOptions o = options(digest());
  o.cancel = &cancel;
  o.progress = [&](const DownloadProgress &progress) {
    if (progress.received_bytes > 0)
      cancel = true;
  };
  const Status status = download_file(o);
  EXPECT_EQ(status.code, ErrorCode::cancelled) << status.message;
  EXPECT_FALSE(file_exists(destination_));
  ASSERT_TRUE(file_exists(part()));
  const std::string kept = read_file(part());
  EXPECT_GT(kept.size(), 0u);
  EXPECT_LT(kept.size(), body_.size());
  EXPECT_EQ(kept, body_.substr(0, kept.size()));

  // The next attempt resumes where the cancelled one stopped.
  server_.set_mode(Mode::normal);
  const Status again = download_file(options(digest()));
  ASSERT_TRUE(again.ok()) << again.message;
  EXPECT_EQ(read_file(destination_), body_);
  EXPECT_EQ(server_.ranges().back(), "bytes=" + std::to_string(kept.size()) + "-");
}

TEST_F(DownloadFile, CancelledBeforeStartingDownloadsNothing) {
  std::atomic<bool> cancel{true};
  DownloadOptions o = options();
  o.cancel = &cancel;
  const Status status = download_file(o);
  EXPECT_EQ(status.code, ErrorCode::cancelled) << status.message;
  EXPECT_FALSE(file_exists(destination_));
  EXPECT_FALSE(file_exists(part()));
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(DownloadFile, ProgressIncreasesToTheTotal) {
  server_.set_mode(Mode::slow);
  server_.set_slow(32768, std::chrono::milliseconds(15));
  std::vector<DownloadProgress> seen;
  DownloadOptions o = options(digest());
  o.progress = [&](const DownloadProgress &progress) { seen.push_back(progress); };
  const Status status = download_file(o);
  ASSERT_TRUE(status.ok()) << status.message;
  ASSERT_GE(seen.size(), 3u);
  for (std::size_t i = 1; i < seen.size(); ++i)
    EXPECT_GT(seen[i].received_bytes, seen[i - 1].received_bytes) << "call " << i;
  for (const DownloadProgress &progress : seen)
    EXPECT_EQ(progress.total_bytes, body_.size());
  EXPECT_EQ(seen.back().received_bytes, body_.size());
}

TEST_F(DownloadFile, ResumedProgressCountsTheBytesAlreadyThere) {
  write_file(part(), body_.substr(0, 100000));
  std::vector<DownloadProgress> seen;
  DownloadOptions o = options(digest());
  o.progress = [&](const DownloadProgress &progress) { seen.push_back(progress); };
  const Status status = download_file(o);
  ASSERT_TRUE(status.ok()) << status.message;
  ASSERT_FALSE(seen.empty());
  EXPECT_GE(seen.front().received_bytes, 100000u);
  EXPECT_EQ(seen.front().total_bytes, body_.size());
  EXPECT_EQ(seen.back().received_bytes, body_.size());
}

// A file-size limit (ulimit -f) below the body stands in for a full disk:
// writes fail with EFBIG, unprivileged and without a special device.
class FileSizeLimit {
public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_);
  }

private:
  rlimit saved_{};
  void (*previous_)(int) = nullptr;
};

TEST_F(DownloadFile, FullDiskIsDiskFull) {
  Status status;
  {
    const FileSizeLimit limit(100000);
    status = download_file(options());
  }
  EXPECT_EQ(status.code, ErrorCode::disk_full) << status.message;
  EXPECT_NE(status.message.find(part()), std::string::npos) << status.message;
  EXPECT_FALSE(file_exists(destination_));
}

TEST_F(DownloadFile, OnlyHttpAndHttpsAddresses) {
  for (const std::string url : {"file:///etc/passwd", "ftp://127.0.0.1/x", "no-scheme", ""}) {
    DownloadOptions o = options();
    o.url = url;
    const Status status = download_file(o);
    EXPECT_EQ(status.code, ErrorCode::invalid_argument) << url << ": " << status.message;
  }
  EXPECT_EQ(server_.request_count(), 0);
}

TEST_F(DownloadFile, BadExpectedDigestOrNoDestinationIsInvalid) {
  EXPECT_EQ(download_file(options("not-hex")).code, ErrorCode::invalid_argument);
  EXPECT_EQ(download_file(options(std::string(64, 'g'))).code, ErrorCode::invalid_argument);
  DownloadOptions o = options();
  o.destination.clear();
  EXPECT_EQ(download_file(o).code, ErrorCode::invalid_argument);
  EXPECT_EQ(server_.request_count(), 0);
}

TEST(PublishedWeights, NamesAgree) {
  const std::string url = kPublishedWeightsUrl;
  EXPECT_EQ(url.substr(url.rfind('/') + 1), kPublishedWeightsFileName);
  // torchvision names the file after the first 8 digits of its SHA-256.
  const std::string prefix = std::string(kPublishedWeightsSha256).substr(0, 8);
  EXPECT_EQ(kPublishedWeightsFileName, "vgg19-" + prefix + ".pth");
  EXPECT_TRUE(fetch::is_sha256_digest(kPublishedWeightsSha256));
  EXPECT_EQ(kPublishedWeightsBytes, 574673361u); // 548.051 MiB
}

} // namespace
} // namespace nst::testing
