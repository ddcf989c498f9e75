// SHA-256 digests (OpenSSL's EVP) and comparing one against an expected
// full digest: a prefix, like the 8 digits in torchvision's file names, is
// too short to tell a genuine file from one made to match it.
#pragma once

#include <cstddef>
#include <string>

namespace nst::fetch {

// Lower-case hex digest of `size` bytes.
std::string sha256_hex(const void *data, std::size_t size);

// Lower-case hex digest of an open file's bytes, read from offset 0;
// throws nst::Error (file_unreadable) naming `path` when a read fails.
std::string sha256_hex_of_file(int fd, const std::string &path);

// True when `text` is exactly 64 hex digits (either case): a usable expected digest.
bool is_sha256_digest(const std::string &text);

// True when `digest` (lower-case hex) equals `expected` (either case).
bool sha256_matches(const std::string &digest, const std::string &expected);

} // namespace nst::fetch
