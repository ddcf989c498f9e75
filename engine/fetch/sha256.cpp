#include "fetch/sha256.h"

#include "base/error.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include <openssl/evp.h>
#include <unistd.h>

namespace nst::fetch {
namespace {

struct ContextDeleter {
  void operator()(EVP_MD_CTX *context) const { EVP_MD_CTX_free(context); }
};
using Context = std::unique_ptr<EVP_MD_CTX, ContextDeleter>;

Context new_context() {
  Context context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
    throw Error(ErrorCode::internal, "OpenSSL could not start a SHA-256 digest");
  return context;
}

void update(EVP_MD_CTX *context, const void *data, std::size_t size) {
  if (EVP_DigestUpdate(context, data, size) != 1)
    throw Error(ErrorCode::internal, "OpenSSL failed while computing a SHA-256 digest");
}

std::string finish(EVP_MD_CTX *context) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context, digest, &length) != 1)
    throw Error(ErrorCode::internal, "OpenSSL failed while computing a SHA-256 digest");
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

} // namespace

std::string sha256_hex(const void *data, std::size_t size) {
  Context context = new_context();
  update(context.get(), data, size);
  return finish(context.get());
}

std::string sha256_hex_of_file(int fd, const std::string &path) {
  Context context = new_context();
  std::vector<char> buffer(1 << 20);
  off_t offset = 0;
  for (;;) {
    const ssize_t got = ::pread(fd, buffer.data(), buffer.size(), offset);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      throw Error(ErrorCode::file_unreadable,
                  "cannot read '" + path + "' to check its SHA-256: " + std::strerror(errno));
    if (got == 0)
      break;
    update(context.get(), buffer.data(), static_cast<std::size_t>(got));
    offset += got;
  }
  return finish(context.get());
}

bool is_sha256_digest(const std::string &text) {
  if (text.size() != 64)
    return false;
  for (const char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c)))
      return false;
  return true;
}

bool sha256_matches(const std::string &digest, const std::string &expected) {
  if (expected.size() != digest.size())
    return false;
  for (std::size_t i = 0; i < expected.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(expected[i])) != digest[i])
      return false;
  return true;
}

} // namespace nst::fetch
