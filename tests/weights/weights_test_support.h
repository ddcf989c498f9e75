// Shared by the tensor-file reader tests: expected-value files, fixture
// folders (written by PyTorch at test time, or shared/fixtures), temporary
// files, and small writers for hand-made pickles and zip archives.
#pragma once

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

// The folder of files that tests/tools/make_weight_fixtures.py wrote with
// $NST_PYTHON at the first call, or nullopt when Python with torch is not
// available; `why_not` then says why, for the test's failure message.
std::optional<std::string> python_fixture_dir(std::string &why_not);

// $NST_SHARED_DIR/fixtures/weights when it exists.
std::optional<std::string> shared_fixture_dir();

// A fresh folder removed when the test program ends.
std::string temporary_dir();

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
