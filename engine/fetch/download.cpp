// download_file: checks the request, runs transfers into the part file until
// one completes (a restart is allowed once), verifies the SHA-256 and renames.
#include "fetch/fetch_guard.h"
#include "fetch/http_transfer.h"
#include "fetch/part_file.h"
#include "fetch/sha256.h"
#include "nst/weights.h"

namespace nst {
namespace {

bool has_http_scheme(const std::string &url) {
  std::string scheme = url.substr(0, url.find(':'));
  for (char &c : scheme)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return (scheme == "http" || scheme == "https") && url.compare(scheme.size(), 3, "://") == 0;
}

void check_options(const DownloadOptions &options) {
  if (!has_http_scheme(options.url))
    throw Error(ErrorCode::invalid_argument,
                "cannot download '" + options.url + "': only http:// and https:// are supported");
  if (options.destination.empty())
    throw Error(ErrorCode::invalid_argument,
                "no destination file was given for the download of " + options.url);
  if (!options.expected_sha256.empty() && !fetch::is_sha256_prefix(options.expected_sha256))
    throw Error(ErrorCode::invalid_argument, "the expected SHA-256 '" + options.expected_sha256 +
                                                 "' for " + options.url +
                                                 " is not 1 to 64 hex digits");
}

void verify_checksum(const DownloadOptions &options, fetch::PartFile &part) {
  if (options.expected_sha256.empty())
    return;
  const std::string digest = fetch::sha256_hex_of_file(part.fd(), part.path());
  if (fetch::sha256_matches(digest, options.expected_sha256))
    return;
  part.remove();
  throw Error(ErrorCode::checksum_mismatch,
              "the file downloaded from " + options.url + " has SHA-256 " + digest +
                  ", expected one starting with " + options.expected_sha256 + "; it was deleted");
}

} // namespace

Status download_file(const DownloadOptions &options) {
  return fetch::guard_fetch("download_file", [&] {
    check_options(options);
    if (options.cancel && options.cancel->load())
      throw Error(ErrorCode::cancelled, "the download of " + options.url + " was cancelled");
    fetch::initialise_curl();
    fetch::PartFile part(options.destination);
    fetch::TransferOutcome outcome = fetch::transfer(options, part);
    if (outcome == fetch::TransferOutcome::restart)
      outcome = fetch::transfer(options, part);
    if (outcome != fetch::TransferOutcome::complete)
      throw Error(ErrorCode::download_failed,
                  "the server of " + options.url + " would not send the file from its start");
    verify_checksum(options, part);
    part.commit();
    return Status::success();
  });
}

} // namespace nst
