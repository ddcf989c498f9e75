// download_file: checks the request, waits for any other download of the same
// file, runs transfers into the part file until one completes, verifies the
// size and SHA-256 and renames.
#include "fetch/download.h"

#include "fetch/download_lock.h"
#include "fetch/fetch_guard.h"
#include "fetch/http_transfer.h"
#include "fetch/part_file.h"
#include "fetch/sha256.h"

#include <cctype>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nst::fetch {
namespace {

bool has_http_scheme(const std::string &url) {
  std::string scheme = url.substr(0, url.find(':'));
  for (char &c : scheme)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return (scheme == "http" || scheme == "https") && url.compare(scheme.size(), 3, "://") == 0;
}

// How the open file differs from the expected one ("" when it does not).
std::string difference(const DownloadOptions &options, int fd, const std::string &path) {
  struct stat info{};
  if (::fstat(fd, &info) != 0)
    return "cannot be read";
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (options.expected_bytes != 0 && size != options.expected_bytes)
    return "has " + std::to_string(size) + " bytes, expected " +
           std::to_string(options.expected_bytes);
  if (options.expected_sha256.empty())
    return "";
  const std::string digest = sha256_hex_of_file(fd, path);
  if (sha256_matches(digest, options.expected_sha256))
    return "";
  return "has SHA-256 " + digest + ", expected " + options.expected_sha256;
}

void verify(const DownloadOptions &options, PartFile &part) {
  const std::string problem = difference(options, part.fd(), part.path());
  if (problem.empty())
    return;
  part.remove();
  throw Error(ErrorCode::checksum_mismatch,
              "the file downloaded from " + options.url + " " + problem + "; it was deleted");
}

} // namespace

void prepare_download(const DownloadOptions &options) {
  if (!has_http_scheme(options.url))
    throw Error(ErrorCode::invalid_argument,
                "cannot download '" + options.url + "': only http:// and https:// are supported");
  if (options.destination.empty())
    throw Error(ErrorCode::invalid_argument,
                "no destination file was given for the download of " + options.url);
  if (!options.expected_sha256.empty() && !is_sha256_digest(options.expected_sha256))
    throw Error(ErrorCode::invalid_argument, "the expected SHA-256 '" + options.expected_sha256 +
                                                 "' for " + options.url +
                                                 " is not a full digest of 64 hex digits");
  if (options.cancel && options.cancel->load())
    throw Error(ErrorCode::cancelled, "the download of " + options.url + " was cancelled");
  initialise_curl();
}

void download_locked(const DownloadOptions &options) {
  PartFile part(options.destination);
  TransferOutcome outcome = transfer(options, part);
  if (outcome == TransferOutcome::restart)
    outcome = transfer(options, part);
  if (outcome != TransferOutcome::complete)
    throw Error(ErrorCode::download_failed,
                "the server of " + options.url + " would not send the file from its start");
  verify(options, part);
  part.commit();
}

bool destination_is_expected_file(const DownloadOptions &options) {
  const int fd = ::open(options.destination.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  bool expected = false;
  try {
    expected = difference(options, fd, options.destination).empty();
  } catch (const Error &) {
    expected = false; // unreadable: download it again
  }
  ::close(fd);
  return expected;
}

} // namespace nst::fetch

namespace nst {

Status download_file(const DownloadOptions &options) {
  return fetch::guard_fetch("download_file", [&] {
    fetch::prepare_download(options);
    const fetch::DownloadLock lock(options);
    if (!lock.waited() || !fetch::destination_is_expected_file(options))
      fetch::download_locked(options);
    return Status::success();
  });
}

} // namespace nst
