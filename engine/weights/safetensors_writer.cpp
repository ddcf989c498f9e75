// Writes tensors as a safetensors file, each in its own dtype, row-major,
// through a temporary file in the same folder renamed into place, so a
// reader never sees half a file.
#include "weights/safetensors_format.h"
#include "weights/tensor_file.h"
#include "weights/tensor_view.h"
#include "weights/weights_error.h"

#include <cerrno>
#include <cstring>
#include <unordered_set>

#include <fcntl.h>
#include <unistd.h>

namespace nst::weights {
namespace {

void append_json_string(std::string &out, const std::string &text) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += c;
    }
  }
  out += '"';
}

[[noreturn]] void fail_write(const std::string &path, int error) {
  const ErrorCode code =
      (error == ENOSPC || error == EDQUOT) ? ErrorCode::disk_full : ErrorCode::file_unreadable;
  fail(code, "cannot write " + describe_file(path) + ": " + std::strerror(error));
}

class TemporaryFile {
public:
  explicit TemporaryFile(const std::string &path) : path_(path), name_(path + ".tmp-XXXXXX") {
    fd_ = ::mkstemp(name_.data());
    if (fd_ < 0)
      fail_write(path_, errno);
  }
  ~TemporaryFile() {
    if (fd_ >= 0)
      ::close(fd_);
    if (!committed_)
      ::unlink(name_.c_str());
  }
  void write(const void *data, std::size_t size) {
    const char *at = static_cast<const char *>(data);
    while (size > 0) {
      const ssize_t written = ::write(fd_, at, size);
      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        fail_write(path_, written < 0 ? errno : ENOSPC);
      at += written;
      size -= static_cast<std::size_t>(written);
    }
  }
  void commit() {
    if (::fsync(fd_) != 0)
      fail_write(path_, errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0)
      fail_write(path_, errno);
    if (::rename(name_.c_str(), path_.c_str()) != 0)
      fail_write(path_, errno);
    committed_ = true;
  }

private:
  std::string path_;
  std::string name_;
  int fd_ = -1;
  bool committed_ = false;
};

} // namespace

void write_safetensors(const std::string &path,
                       const std::vector<std::pair<std::string, RawTensor>> &tensors) {
  std::unordered_set<std::string> names;
  std::string header = R"({"__metadata__":{"format":"pt"})";
  std::uint64_t offset = 0;
  for (const auto &[name, tensor] : tensors) {
    if (name == "__metadata__" || !names.insert(name).second)
      fail(ErrorCode::invalid_argument, "cannot write " + describe_file(path) +
                                            ": the tensor name " + quoted(name) +
                                            " is repeated or reserved");
    check_tensor_view(tensor, name, "the tensors for " + describe_file(path));
    const std::uint64_t size =
        static_cast<std::uint64_t>(tensor.numel()) * dtype_size(tensor.dtype);
    header += ',';
    append_json_string(header, name);
    header += R"(:{"dtype":")";
    header += safetensors_dtype_name(tensor.dtype);
    header += R"(","shape":[)";
    for (std::size_t i = 0; i < tensor.shape.size(); ++i)
      header += (i ? "," : "") + std::to_string(tensor.shape[i]);
    header += R"(],"data_offsets":[)" + std::to_string(offset) + "," +
              std::to_string(offset + size) + "]}";
    offset += size;
  }
  header += '}';
  // Pad with spaces so the data starts 8-byte aligned, as safetensors does.
  header.append((8 - header.size() % 8) % 8, ' ');

  TemporaryFile out(path);
  unsigned char length[8];
  for (int i = 0; i < 8; ++i)
    length[i] = static_cast<unsigned char>(static_cast<std::uint64_t>(header.size()) >> (8 * i));
  out.write(length, sizeof length);
  out.write(header.data(), header.size());
  for (const auto &[name, tensor] : tensors) {
    const std::size_t element = dtype_size(tensor.dtype);
    if (is_contiguous(tensor)) {
      out.write(tensor.numel() == 0 ? nullptr
                                    : tensor.storage->data + tensor.storage_offset * element,
                static_cast<std::size_t>(tensor.numel()) * element);
    } else {
      const std::vector<std::byte> bytes = contiguous_bytes(tensor);
      out.write(bytes.data(), bytes.size());
    }
  }
  out.commit();
}

} // namespace nst::weights
