#include "local_http_server.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace nst::testing {
namespace {

std::string lower(std::string text) {
  for (char &c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The request head, up to the blank line; empty when the client went away.
std::string read_head(int client) {
  std::string head;
  char buffer[4096];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
    pollfd ready{client, POLLIN, 0};
    if (::poll(&ready, 1, 5000) <= 0)
      return {};
    const ssize_t got = ::recv(client, buffer, sizeof buffer, 0);
    if (got <= 0)
      return {};
    head.append(buffer, static_cast<std::size_t>(got));
  }
  return head;
}

std::string header_value(const std::string &head, const std::string &name) {
  const std::string lowered = lower(head);
  const std::size_t at = lowered.find("\r\n" + lower(name) + ":");
  if (at == std::string::npos)
    return {};
  std::size_t start = at + 3 + name.size();
  const std::size_t end = head.find("\r\n", start);
  while (start < end && head[start] == ' ')
    ++start;
  return head.substr(start, end - start);
}

// "bytes=N-" (an end, if any, is ignored: the client here never sends one).
bool range_start(const std::string &range, std::size_t &start) {
  if (range.rfind("bytes=", 0) != 0)
    return false;
  start = std::stoull(range.substr(6));
  return true;
}

} // namespace

LocalHttpServer::LocalHttpServer(std::string body) : body_(std::move(body)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0)
    throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(listener_, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
      ::listen(listener_, 8) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
    ::close(listener_);
    throw std::runtime_error(std::string("cannot listen on 127.0.0.1: ") + std::strerror(errno));
  }
  port_ = ntohs(address.sin_port);
  if (::pipe2(wake_, O_CLOEXEC) != 0) {
    ::close(listener_);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  thread_ = std::thread([this] { serve(); });
}

LocalHttpServer::~LocalHttpServer() {
  stopping_ = true;
  ::close(wake_[1]); // wakes the poll in serve()
  thread_.join();
  ::close(wake_[0]);
  ::close(listener_);
}

std::string LocalHttpServer::url(const std::string &path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void LocalHttpServer::set_body(std::string body) {
  std::lock_guard<std::mutex> lock(mutex_);
  body_ = std::move(body);
}

void LocalHttpServer::set_mode(Mode mode) {
  std::lock_guard<std::mutex> lock(mutex_);
  mode_ = mode;
}

void LocalHttpServer::set_slow(std::size_t chunk, std::chrono::milliseconds pause) {
  std::lock_guard<std::mutex> lock(mutex_);
  slow_chunk_ = chunk;
  slow_pause_ = pause;
}

int LocalHttpServer::request_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(ranges_.size());
}

std::vector<std::string> LocalHttpServer::ranges() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ranges_;
}

void LocalHttpServer::serve() {
  while (!stopping_) {
    pollfd ready[2] = {{listener_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(ready, 2, -1) <= 0 || !(ready[0].revents & POLLIN))
      continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0)
      continue;
    answer(client);
    ::close(client);
  }
}

bool LocalHttpServer::send_all(int client, const char *data, std::size_t size) {
  while (size > 0) {
    const ssize_t sent = ::send(client, data, size, MSG_NOSIGNAL);
    if (sent <= 0)
      return false;
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

// Silence until the client closes (or the server stops): a stalled network.
void LocalHttpServer::wait_for_close(int client) {
  char byte;
  for (int waited = 0; !stopping_ && waited < 30000; waited += 50) {
    pollfd ready{client, POLLIN, 0};
    if (::poll(&ready, 1, 50) > 0 && ::recv(client, &byte, 1, 0) <= 0)
      return;
  }
}

void LocalHttpServer::answer(int client) {
  const std::string head = read_head(client);
  if (head.empty())
    return;
  const std::string range = header_value(head, "Range");
  std::unique_lock<std::mutex> lock(mutex_);
  ranges_.push_back(range);
  const std::string body = body_;
  const Mode mode = mode_;
  const std::size_t slow_chunk = slow_chunk_;
  const auto slow_pause = slow_pause_;
  if (mode == Mode::drop_once || mode == Mode::wrong_range_once || mode == Mode::redirect_once)
    mode_ = Mode::normal;
  lock.unlock();

  std::string status = "200 OK";
  std::string extra;
  std::size_t start = 0;
  std::size_t asked = 0;
  if (mode == Mode::not_found) {
    const std::string page = "<h1>not here</h1>";
    const std::string response = "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n"
                                 "Content-Length: " +
                                 std::to_string(page.size()) + "\r\nConnection: close\r\n\r\n" +
                                 page;
    send_all(client, response.data(), response.size());
    return;
  }
  if (mode == Mode::redirect_once || mode == Mode::redirect_loop) {
    const std::string to = mode == Mode::redirect_once ? "/moved" : "/again";
    const std::string response = "HTTP/1.1 302 Found\r\nLocation: " + url(to) +
                                 "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    send_all(client, response.data(), response.size());
    return;
  }
  if (mode != Mode::ignore_range && range_start(range, asked)) {
    if (asked >= body.size()) {
      const std::string response = "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */" +
                                   std::to_string(body.size()) +
                                   "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      send_all(client, response.data(), response.size());
      return;
    }
    start = mode == Mode::wrong_range_once ? 0 : asked;
    status = "206 Partial Content";
    extra = "Content-Range: bytes " + std::to_string(start) + "-" +
            std::to_string(body.size() - 1) + "/" + std::to_string(body.size()) + "\r\n";
  }
  const std::size_t length = body.size() - start;
  const std::string response_head =
      "HTTP/1.1 " + status +
      "\r\nContent-Type: application/octet-stream\r\n"
      "Accept-Ranges: bytes\r\n" +
      extra +
      (mode == Mode::no_length ? std::string()
                               : "Content-Length: " + std::to_string(length) + "\r\n") +
      "Connection: close\r\n\r\n";
  if (!send_all(client, response_head.data(), response_head.size()))
    return;
  const char *data = body.data() + start;
  switch (mode) {
  case Mode::drop_once:
    send_all(client, data, length / 2);
    return; // closing early: the client sees a short body
  case Mode::stall:
    if (send_all(client, data, std::min(kStallBytes, length)))
      wait_for_close(client);
    return;
  case Mode::slow:
    for (std::size_t at = 0; at < length && !stopping_; at += slow_chunk) {
      if (!send_all(client, data + at, std::min(slow_chunk, length - at)))
        return;
      std::this_thread::sleep_for(slow_pause);
    }
    return;
  default: send_all(client, data, length);
  }
}

} // namespace nst::testing
