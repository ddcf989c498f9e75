// A small HTTP/1.1 server on 127.0.0.1 for the download tests: serves one
// body at any path, honours "Range: bytes=N-" (or not), and can misbehave
// in the ways real servers and networks do. One connection at a time, one
// request per connection ("Connection: close"), on its own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace nst::testing {

class LocalHttpServer {
public:
  enum class Mode {
    normal,           // 200, or 206 for a Range; 416 past the end
    drop_once,        // the next response stops half-way and closes; then normal
    not_found,        // 404
    ignore_range,     // always 200 with the whole body
    wrong_range_once, // the next Range is answered with 206 from byte 0; then normal
    stall,            // kStallBytes of the body, then silence until the client leaves
    slow,             // the body in `slow_chunk` pieces, `slow_pause` apart
    no_length,        // 200 without Content-Length: the body ends when the connection does
    redirect_once,    // the next request is sent to "/moved" (302); then normal
    redirect_loop,    // every request is sent to "/again" (302)
  };

  // Few enough that libcurl's speed average (over ~5 s) drops at once.
  static constexpr std::size_t kStallBytes = 512;

  explicit LocalHttpServer(std::string body = {});
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer &) = delete;
  LocalHttpServer &operator=(const LocalHttpServer &) = delete;

  // http://127.0.0.1:PORT<path>
  std::string url(const std::string &path = "/file") const;

  void set_body(std::string body);
  void set_mode(Mode mode);
  void set_slow(std::size_t chunk, std::chrono::milliseconds pause);

  int request_count() const;
  // Each request's Range header value ("" when it had none), in order.
  std::vector<std::string> ranges() const;

private:
  void serve();
  void answer(int client);
  bool send_all(int client, const char *data, std::size_t size);
  void wait_for_close(int client);

  int listener_ = -1;
  int wake_[2] = {-1, -1}; // a pipe whose write end the destructor closes
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::string body_;
  Mode mode_ = Mode::normal;
  std::size_t slow_chunk_ = 16384;
  std::chrono::milliseconds slow_pause_{10};
  std::vector<std::string> ranges_;
  std::thread thread_;
};

} // namespace nst::testing
