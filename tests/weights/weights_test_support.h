// Shared by the tensor-file reader tests: expected-value files, fixture
// folders (shared/fixtures, or written by PyTorch at test time) and
// temporary files from tests/support, and small writers for hand-made
// pickles and zip archives.
#pragma once

#include "fixture_dirs.h"
#include "weights/tensor_file.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nst::weights::testing {

// One line of tiny-expected.txt / vgg19-narrow-expected.txt:
//   key <TAB> dtype <TAB> shape (comma-separated) <TAB> values | sum=S
struct ExpectedTensor {
  std::string name;
  std::string dtype;
  std::vector<std::int64_t> shape;
  std::vector<double> values; // row-major, exact
  std::optional<double> sum;  // instead of values, for big tensors
};
std::vector<ExpectedTensor> read_expected(const std::string &path);

// Empty when `tensor` matches `expected` exactly (values) or to within
// rounding of the summation order (sums); otherwise what differs.
std::string compare(const ExpectedTensor &expected, const RawTensor &tensor);

// Empty when the two files hold the same names with identical dtypes,
// shapes and values; otherwise the first difference.
std::string compare(const TensorFile &a, const TensorFile &b);

// Fixture folders and temporary folders (tests/support/fixture_dirs.h).
using fixtures::narrow_vgg19_dir;
using fixtures::python_fixture_dir;
using fixtures::shared_fixture_dir;
using fixtures::temporary_dir;

std::vector<std::byte> read_bytes(const std::string &path);
void write_bytes(const std::string &path, const std::vector<std::byte> &bytes);
std::vector<std::byte> to_bytes(const std::string &text);

// Builds pickles opcode by opcode (protocol 2 unless told).
class PickleWriter {
public:
  PickleWriter &proto(int version = 2);
  PickleWriter &op(char opcode);
  PickleWriter &raw(const std::string &bytes);
  PickleWriter &text(const std::string &value); // BINUNICODE
  PickleWriter &integer(std::int64_t value);    // BININT/LONG1
  PickleWriter &global(const std::string &module, const std::string &name);
  // A ('storage', torch.<type>, key, 'cpu', numel[, None]) persistent id.
  PickleWriter &storage(const std::string &type, const std::string &key, std::int64_t numel,
                        bool legacy = true);
  PickleWriter &int_tuple(const std::vector<std::int64_t> &values);
  // torch._utils._rebuild_tensor(storage, offset, size, stride)
  PickleWriter &tensor(const std::string &type, const std::string &key, std::int64_t numel,
                       std::int64_t offset, const std::vector<std::int64_t> &size,
                       const std::vector<std::int64_t> &stride, bool legacy = true);
  PickleWriter &stop();
  const std::string &bytes() const { return out_; }

private:
  std::string out_;
};

// The smallest state dict: {"w": a one-element float tensor in storage "k0"}.
std::string one_tensor_pickle();

// A legacy-format file: header pickles, `main_pickle`, the key list and one
// record per (key, element count, raw bytes).
struct LegacyStorage {
  std::string key;
  std::uint64_t count;
  std::string data;
};
std::string legacy_file(const std::string &main_pickle, const std::vector<LegacyStorage> &storages);

// A zip archive with stored entries (or `method` for all), optionally with
// zip64 records and extra fields for every size and offset.
struct ZipFileEntry {
  std::string name;
  std::string data;
};
std::string zip_file(const std::vector<ZipFileEntry> &entries, bool zip64 = false,
                     std::uint16_t method = 0);

// The entries of a zip that ZipArchive reads, for rewriting.
std::vector<ZipFileEntry> zip_entries(const std::string &path);

} // namespace nst::weights::testing
