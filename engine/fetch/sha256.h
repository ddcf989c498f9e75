// SHA-256 digests (OpenSSL's EVP) and comparing one against an expected
// digest that may be only a prefix, as in torchvision's file names.
#pragma once

#include <cstddef>
#include <string>

namespace nst::fetch {

// Lower-case hex digest of `size` bytes.
std::string sha256_hex(const void *data, std::size_t size);

// Lower-case hex digest of an open file's bytes, read from offset 0;
// throws nst::Error (file_unreadable) naming `path` when a read fails.
std::string sha256_hex_of_file(int fd, const std::string &path);

// True when `text` is 1 to 64 hex digits (either case): a usable expected digest.
bool is_sha256_prefix(const std::string &text);

// True when `digest` (lower-case hex) starts with `expected` (either case).
bool sha256_matches(const std::string &digest, const std::string &expected);

} // namespace nst::fetch
