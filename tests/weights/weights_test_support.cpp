#include "weights_test_support.h"

#include "weights/mapped_file.h"
#include "weights/tensor_view.h"
#include "weights/zip_archive.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace nst::weights::testing {

namespace {

std::vector<std::string> split(const std::string &text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator))
    parts.push_back(part);
  if (!text.empty() && text.back() == separator)
    parts.emplace_back();
  return parts;
}

void put_u16(std::string &out, std::uint16_t v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>(v >> 8);
}
void put_u32(std::string &out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out += static_cast<char>((v >> (8 * i)) & 0xff);
}
void put_u64(std::string &out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out += static_cast<char>((v >> (8 * i)) & 0xff);
}

} // namespace

std::vector<ExpectedTensor> read_expected(const std::string &path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::vector<ExpectedTensor> result;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    const std::vector<std::string> fields = split(line, '\t');
    if (fields.size() != 4)
      throw std::runtime_error("bad line in " + path + ": " + line);
    ExpectedTensor tensor;
    tensor.name = fields[0];
    tensor.dtype = fields[1];
    if (!fields[2].empty())
      for (const std::string &extent : split(fields[2], ','))
        tensor.shape.push_back(std::stoll(extent));
    if (fields[3].rfind("sum=", 0) == 0) {
      tensor.sum = std::strtod(fields[3].c_str() + 4, nullptr);
    } else {
      std::istringstream values(fields[3]);
      std::string value;
      while (values >> value)
        tensor.values.push_back(std::strtod(value.c_str(), nullptr));
    }
    result.push_back(std::move(tensor));
  }
  return result;
}

std::string compare(const ExpectedTensor &expected, const RawTensor &tensor) {
  if (expected.dtype != dtype_name(tensor.dtype))
    return "dtype " + std::string(dtype_name(tensor.dtype)) + ", expected " + expected.dtype;
  if (expected.shape != tensor.shape)
    return "shape differs";
  const std::vector<double> values = tensor.to_float64();
  if (expected.sum) {
    // The writer summed in float64 in its own order: allow that rounding.
    long double sum = 0, magnitude = 0;
    for (const double v : values) {
      sum += v;
      magnitude += std::fabs(v);
    }
    const double tolerance = 1e-12 * static_cast<double>(magnitude) + 1e-300;
    if (std::fabs(static_cast<double>(sum) - *expected.sum) > tolerance)
      return "sum " + std::to_string(static_cast<double>(sum)) + ", expected " +
             std::to_string(*expected.sum);
    return {};
  }
  if (values.size() != expected.values.size())
    return std::to_string(values.size()) + " values, expected " +
           std::to_string(expected.values.size());
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] != expected.values[i])
      return "value " + std::to_string(i) + " is " + std::to_string(values[i]) + ", expected " +
             std::to_string(expected.values[i]);
  return {};
}

std::string compare(const TensorFile &a, const TensorFile &b) {
  if (a.tensors.size() != b.tensors.size())
    return std::to_string(a.tensors.size()) + " tensors against " +
           std::to_string(b.tensors.size());
  for (const auto &[name, tensor] : a.tensors) {
    const RawTensor *other = b.find(name);
    if (other == nullptr)
      return "'" + name + "' is missing";
    if (tensor.dtype != other->dtype || tensor.shape != other->shape)
      return "'" + name + "' has another dtype or shape";
    if (contiguous_bytes(tensor) != contiguous_bytes(*other))
      return "'" + name + "' has other values";
  }
  return {};
}

std::vector<std::byte> read_bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return to_bytes(text);
}

void write_bytes(const std::string &path, const std::vector<std::byte> &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out)
    throw std::runtime_error("cannot write " + path);
}

std::vector<std::byte> to_bytes(const std::string &text) {
  std::vector<std::byte> bytes(text.size());
  if (!text.empty())
    std::memcpy(bytes.data(), text.data(), text.size());
  return bytes;
}

PickleWriter &PickleWriter::proto(int version) {
  out_ += '\x80';
  out_ += static_cast<char>(version);
  return *this;
}
PickleWriter &PickleWriter::op(char opcode) {
  out_ += opcode;
  return *this;
}
PickleWriter &PickleWriter::raw(const std::string &bytes) {
  out_ += bytes;
  return *this;
}
PickleWriter &PickleWriter::text(const std::string &value) {
  out_ += 'X';
  put_u32(out_, static_cast<std::uint32_t>(value.size()));
  out_ += value;
  return *this;
}
PickleWriter &PickleWriter::integer(std::int64_t value) {
  if (value >= 0 && value < 256) {
    out_ += 'K';
    out_ += static_cast<char>(value);
  } else if (value >= 0 && value < 65536) {
    out_ += 'M';
    put_u16(out_, static_cast<std::uint16_t>(value));
  } else if (value >= INT32_MIN && value <= INT32_MAX) {
    out_ += 'J';
    put_u32(out_, static_cast<std::uint32_t>(static_cast<std::int32_t>(value)));
  } else {
    out_ += '\x8a';
    out_ += '\x08';
    put_u64(out_, static_cast<std::uint64_t>(value));
  }
  return *this;
}
PickleWriter &PickleWriter::global(const std::string &module, const std::string &name) {
  out_ += 'c' + module + '\n' + name + '\n';
  return *this;
}
PickleWriter &PickleWriter::storage(const std::string &type, const std::string &key,
                                    std::int64_t numel, bool legacy) {
  op('(').text("storage").global("torch", type).text(key).text("cpu").integer(numel);
  if (legacy)
    op('N');
  return op('t').op('Q');
}
PickleWriter &PickleWriter::int_tuple(const std::vector<std::int64_t> &values) {
  op('(');
  for (const std::int64_t v : values)
    integer(v);
  return op('t');
}
PickleWriter &PickleWriter::tensor(const std::string &type, const std::string &key,
                                   std::int64_t numel, std::int64_t offset,
                                   const std::vector<std::int64_t> &size,
                                   const std::vector<std::int64_t> &stride, bool legacy) {
  global("torch._utils", "_rebuild_tensor").op('(');
  storage(type, key, numel, legacy).integer(offset).int_tuple(size).int_tuple(stride);
  return op('t').op('R');
}
PickleWriter &PickleWriter::stop() {
  return op('.');
}

std::string one_tensor_pickle() {
  return PickleWriter()
      .proto()
      .op('}')
      .text("w")
      .tensor("FloatStorage", "k0", 1, 0, {1}, {1})
      .op('s')
      .stop()
      .bytes();
}

std::string legacy_file(const std::string &main_pickle,
                        const std::vector<LegacyStorage> &storages) {
  std::string out = "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.";
  out += PickleWriter().proto().integer(1001).stop().bytes();
  out += PickleWriter()
             .proto()
             .op('}')
             .op('(')
             .text("little_endian")
             .op('\x88')
             .op('u')
             .stop()
             .bytes();
  out += main_pickle;
  PickleWriter keys;
  keys.proto().op(']').op('(');
  for (const LegacyStorage &storage : storages)
    keys.text(storage.key);
  out += keys.op('e').stop().bytes();
  for (const LegacyStorage &storage : storages) {
    put_u64(out, storage.count);
    out += storage.data;
  }
  return out;
}

std::string zip_file(const std::vector<ZipFileEntry> &entries, bool zip64, std::uint16_t method) {
  std::string out, directory;
  for (const ZipFileEntry &entry : entries) {
    const std::uint64_t offset = out.size();
    const std::uint32_t crc =
        crc32(reinterpret_cast<const std::byte *>(entry.data.data()), entry.data.size());
    const std::uint32_t size32 =
        zip64 ? 0xffffffffu : static_cast<std::uint32_t>(entry.data.size());
    put_u32(out, 0x04034b50);
    put_u16(out, zip64 ? 45 : 20);
    put_u16(out, 0);
    put_u16(out, method);
    put_u32(out, 0);
    put_u32(out, crc);
    put_u32(out, size32);
    put_u32(out, size32);
    put_u16(out, static_cast<std::uint16_t>(entry.name.size()));
    put_u16(out, zip64 ? 20 : 0);
    out += entry.name;
    if (zip64) {
      put_u16(out, 1);
      put_u16(out, 16);
      put_u64(out, entry.data.size());
      put_u64(out, entry.data.size());
    }
    out += entry.data;

    put_u32(directory, 0x02014b50);
    put_u16(directory, zip64 ? 45 : 20);
    put_u16(directory, zip64 ? 45 : 20);
    put_u16(directory, 0);
    put_u16(directory, method);
    put_u32(directory, 0);
    put_u32(directory, crc);
    put_u32(directory, size32);
    put_u32(directory, size32);
    put_u16(directory, static_cast<std::uint16_t>(entry.name.size()));
    put_u16(directory, zip64 ? 28 : 0);
    put_u16(directory, 0);
    put_u16(directory, 0);
    put_u16(directory, 0);
    put_u32(directory, 0);
    put_u32(directory, zip64 ? 0xffffffffu : static_cast<std::uint32_t>(offset));
    directory += entry.name;
    if (zip64) {
      put_u16(directory, 1);
      put_u16(directory, 24);
      put_u64(directory, entry.data.size());
      put_u64(directory, entry.data.size());
      put_u64(directory, offset);
    }
  }
  const std::uint64_t directory_offset = out.size();
  out += directory;
  if (zip64) {
    const std::uint64_t record = out.size();
    put_u32(out, 0x06064b50);
    put_u64(out, 44);
    put_u16(out, 45);
    put_u16(out, 45);
    put_u32(out, 0);
    put_u32(out, 0);
    put_u64(out, entries.size());
    put_u64(out, entries.size());
    put_u64(out, directory.size());
    put_u64(out, directory_offset);
    put_u32(out, 0x07064b50);
    put_u32(out, 0);
    put_u64(out, record);
    put_u32(out, 1);
  }
  put_u32(out, 0x06054b50);
  put_u16(out, 0);
  put_u16(out, 0);
  put_u16(out, zip64 ? 0xffff : static_cast<std::uint16_t>(entries.size()));
  put_u16(out, zip64 ? 0xffff : static_cast<std::uint16_t>(entries.size()));
  put_u32(out, zip64 ? 0xffffffffu : static_cast<std::uint32_t>(directory.size()));
  put_u32(out, zip64 ? 0xffffffffu : static_cast<std::uint32_t>(directory_offset));
  put_u16(out, 0);
  return out;
}

std::vector<ZipFileEntry> zip_entries(const std::string &path) {
  const auto file = MappedFile::open(path);
  const ZipArchive archive(*file, path);
  std::vector<ZipFileEntry> result;
  for (const ZipEntry &entry : archive.entries())
    result.push_back(
        {entry.name, std::string(reinterpret_cast<const char *>(archive.stored_data(entry)),
                                 static_cast<std::size_t>(entry.size))});
  return result;
}

} // namespace nst::weights::testing
