#include "fetch/http_transfer.h"

#include "base/error.h"

#include <cctype>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <curl/curl.h>

namespace nst::fetch {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kProgressInterval = std::chrono::milliseconds(100);
constexpr long kStallBytesPerSecond = 1024;
constexpr long kConnectTimeoutSeconds = 30;

struct CurlDeleter {
  void operator()(CURL *curl) const { curl_easy_cleanup(curl); }
};

// What the callbacks learn during one request.
struct Transfer {
  Transfer(const DownloadOptions &options, PartFile &part) : options(options), part(part) {}
  const DownloadOptions &options;
  PartFile &part;
  CURL *curl = nullptr;
  std::uint64_t resume_from = 0;
  // From the latest response's Content-Range: "bytes START-END/TOTAL".
  std::optional<std::uint64_t> range_start;
  std::optional<std::uint64_t> range_total;
  bool body_started = false;
  std::uint64_t received = 0; // bytes in the part file
  std::uint64_t total = 0;    // 0 when unknown
  int write_error = 0;
  bool cancelled = false;
  bool range_refused = false; // 206 for another range than asked
  // More than options.expected_bytes: announced (before writing) or sent.
  std::optional<std::uint64_t> oversize;
  bool oversize_announced = false;
  std::exception_ptr exception;
  Clock::time_point last_report;
  std::optional<std::uint64_t> reported;
};

bool cancel_requested(const Transfer &t) {
  return t.options.cancel && t.options.cancel->load(std::memory_order_relaxed);
}

void report(Transfer &t, bool force) {
  if (!t.options.progress)
    return;
  const auto now = Clock::now();
  if (!force && (t.reported == t.received || now - t.last_report < kProgressInterval))
    return;
  t.last_report = now;
  t.reported = t.received;
  t.options.progress(DownloadProgress{t.received, t.total});
}

bool starts_with_nocase(const std::string &text, const char *prefix) {
  for (std::size_t i = 0; prefix[i]; ++i)
    if (i >= text.size() || std::tolower(static_cast<unsigned char>(text[i])) != prefix[i])
      return false;
  return true;
}

std::optional<std::uint64_t> parse_number(const std::string &text, std::size_t &at) {
  std::optional<std::uint64_t> value;
  while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
    value = value.value_or(0) * 10 + static_cast<std::uint64_t>(text[at] - '0');
    ++at;
  }
  return value;
}

// Content-Range: bytes 100-999/1000 (the total may be "*").
void read_content_range(Transfer &t, const std::string &line) {
  std::size_t at = line.find("bytes");
  if (at == std::string::npos)
    return;
  at += 5;
  while (at < line.size() && line[at] == ' ')
    ++at;
  t.range_start = parse_number(line, at);
  at = line.find('/', at);
  if (at != std::string::npos) {
    ++at;
    t.range_total = parse_number(line, at);
  }
}

size_t on_header(char *data, size_t size, size_t count, void *user) {
  auto &t = *static_cast<Transfer *>(user);
  const std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) { // a new response (after a redirect or 100)
    t.range_start.reset();
    t.range_total.reset();
  } else if (starts_with_nocase(line, "content-range:")) {
    read_content_range(t, line);
  }
  return size * count;
}

// True (and noted) when a file of `size` bytes would be larger than expected.
bool too_large(Transfer &t, std::uint64_t size, bool announced) {
  if (t.options.expected_bytes == 0 || size <= t.options.expected_bytes)
    return false;
  t.oversize = size;
  t.oversize_announced = announced;
  return true;
}

// The first body bytes: decides whether they continue the part file.
bool start_body(Transfer &t) {
  t.body_started = true;
  long status = 0;
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
  curl_off_t length = -1;
  curl_easy_getinfo(t.curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  const bool resumed = status == 206;
  if (resumed && t.range_start != t.resume_from) {
    t.range_refused = true;
    return false;
  }
  // A 200 is the whole file: the server ignored Range (or none was asked for).
  const std::uint64_t start = resumed ? t.resume_from : 0;
  const std::uint64_t total = resumed && t.range_total
                                  ? *t.range_total
                                  : (length >= 0 ? start + static_cast<std::uint64_t>(length) : 0);
  if (too_large(t, total, true))
    return false;
  if (!resumed && t.resume_from > 0 && (t.write_error = t.part.restart()) != 0)
    return false;
  t.received = start;
  t.total = total;
  report(t, true);
  return true;
}

size_t on_body(char *data, size_t size, size_t count, void *user) {
  auto &t = *static_cast<Transfer *>(user);
  const size_t bytes = size * count;
  try {
    if (cancel_requested(t)) {
      t.cancelled = true;
      return 0;
    }
    if (!t.body_started && !start_body(t))
      return 0;
    if (too_large(t, t.received + bytes, false))
      return 0;
    if ((t.write_error = t.part.append(data, bytes)) != 0)
      return 0;
    t.received += bytes;
    report(t, false);
    return bytes;
  } catch (...) { // nothing may unwind through libcurl
    t.exception = std::current_exception();
    return 0;
  }
}

int on_tick(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto &t = *static_cast<Transfer *>(user);
  if (cancel_requested(t)) {
    t.cancelled = true;
    return 1;
  }
  return 0;
}

void set_options(CURL *curl, Transfer &t, char *error_buffer) {
  const DownloadOptions &o = t.options;
  curl_easy_setopt(curl, CURLOPT_URL, o.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, redirect_protocols(o.url));
#else
  const bool https_only = redirect_protocols(o.url) == std::string("https");
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS,
                   https_only ? long(CURLPROTO_HTTPS) : long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); // safe off the main thread
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "neural-style-transfer");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  if (o.timeout_seconds > 0)
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, o.timeout_seconds);
  if (o.stall_seconds > 0) {
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, kStallBytesPerSecond);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, o.stall_seconds);
  }
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_tick);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
}

std::string kept_bytes(const Transfer &t) {
  const std::uint64_t size = t.part.size();
  if (size == 0)
    return "";
  return "; the " + std::to_string(size) + " bytes received are kept in '" + t.part.path() +
         "' and the next attempt resumes there";
}

// After a refused oversized transfer: nothing of it is worth resuming.
[[noreturn]] void throw_oversize(const Transfer &t) {
  t.part.remove();
  const std::string expected = std::to_string(t.options.expected_bytes);
  const std::string size = std::to_string(*t.oversize);
  throw Error(ErrorCode::download_failed,
              t.oversize_announced
                  ? "downloading " + t.options.url + " was refused: the server announced " + size +
                        " bytes, but the file has " + expected + "; nothing was kept"
                  : "downloading " + t.options.url + " was stopped: the server sent at least " +
                        size + " bytes, but the file has " + expected +
                        "; the partial file was deleted");
}

} // namespace

const char *redirect_protocols(const std::string &url) {
  return starts_with_nocase(url, "https:") ? "https" : "http,https";
}

void initialise_curl() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK)
    throw Error(ErrorCode::download_failed,
                std::string("libcurl could not start: ") + curl_easy_strerror(result));
}

TransferOutcome transfer(const DownloadOptions &options, PartFile &part) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl)
    throw Error(ErrorCode::download_failed, "libcurl could not start a transfer");
  Transfer t(options, part);
  t.curl = curl.get();
  t.resume_from = part.size();
  // A part larger than the file is no start to resume from.
  if (options.expected_bytes != 0 && t.resume_from > options.expected_bytes) {
    if (const int error = part.restart())
      throw_write_error(part.path(), error);
    t.resume_from = 0;
  }
  char error_buffer[CURL_ERROR_SIZE] = {};
  set_options(curl.get(), t, error_buffer);
  const std::string range = std::to_string(t.resume_from) + "-";
  if (t.resume_from > 0)
    curl_easy_setopt(curl.get(), CURLOPT_RANGE, range.c_str());

  const CURLcode code = curl_easy_perform(curl.get());
  if (t.exception)
    std::rethrow_exception(t.exception);
  if (t.cancelled)
    throw Error(ErrorCode::cancelled,
                "the download of " + options.url + " was cancelled" + kept_bytes(t));
  if (t.write_error != 0)
    throw_write_error(part.path(), t.write_error);
  if (t.oversize)
    throw_oversize(t);
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  // A server that sent another range, or none for a complete part file (416):
  // start over rather than guess.
  if (t.range_refused || (code == CURLE_HTTP_RETURNED_ERROR && status == 416 && t.resume_from)) {
    if (const int error = part.restart())
      throw_write_error(part.path(), error);
    return TransferOutcome::restart;
  }
  if (code == CURLE_HTTP_RETURNED_ERROR)
    throw Error(ErrorCode::download_failed, "downloading " + options.url +
                                                " failed: the server answered HTTP " +
                                                std::to_string(status) + kept_bytes(t));
  if (code != CURLE_OK) {
    std::string detail = curl_easy_strerror(code);
    if (error_buffer[0])
      detail += std::string(" (") + error_buffer + ")";
    throw Error(ErrorCode::download_failed,
                "downloading " + options.url + " failed: " + detail + kept_bytes(t));
  }
  if (!t.body_started && status != 206 && t.resume_from > 0) { // an empty file
    if (const int error = part.restart())
      throw_write_error(part.path(), error);
  }
  const std::uint64_t size = part.size();
  if (t.total != 0 && size != t.total)
    throw Error(ErrorCode::download_failed, "downloading " + options.url + " ended after " +
                                                std::to_string(size) + " of " +
                                                std::to_string(t.total) + " bytes" + kept_bytes(t));
  t.received = size;
  report(t, t.reported != t.received);
  return TransferOutcome::complete;
}

} // namespace nst::fetch
