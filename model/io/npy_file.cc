#include "model/io/npy_file.h"

#include <fstream>
#include <system_error>

#include "model/common/error.h"
#include "model/common/atomic_file.h"

namespace intvit::model {

std::string NpyDescr(DType t) {
  switch (t) {
    case DType::kInt8: return "|i1";
    case DType::kUint8: return "|u1";
    case DType::kInt16: return "<i2";
    case DType::kUint16: return "<u2";
    case DType::kInt32: return "<i4";
    case DType::kInt64: return "<i8";
    case DType::kFloat32: break;
  }
  throw InputError(".npy: only integer tensors are written");
}

std::string EncodeNpy(DType t, const std::vector<std::int64_t>& shape,
                      const std::vector<std::int64_t>& values) {
  const std::string descr = NpyDescr(t);
  std::int64_t n = 1;
  std::string dims;
  for (std::int64_t d : shape) {
    Require(d >= 0, ".npy: negative dimension");
    n *= d;
    dims += std::to_string(d) + (shape.size() == 1 ? "," : ", ");
  }
  if (shape.size() > 1) dims.resize(dims.size() - 2);
  Require(static_cast<std::int64_t>(values.size()) == n,
          ".npy: " + std::to_string(values.size()) + " values for " + std::to_string(n) +
              " elements");
  std::string header =
      "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  const std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  Require(header.size() <= 65535, ".npy: header too long for format 1.0");
  std::string out = std::string("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  const int size = DTypeSize(t);
  out.reserve(out.size() + values.size() * size);
  for (std::int64_t v : values) {
    Require(FitsDType(v, t), ".npy: value " + std::to_string(v) + " does not fit " + descr);
    const auto u = static_cast<std::uint64_t>(v);
    for (int b = 0; b < size; ++b) out += static_cast<char>((u >> (8 * b)) & 0xff);
  }
  return out;
}

void WriteNpyFile(const std::filesystem::path& path, DType t,
                  const std::vector<std::int64_t>& shape, const std::vector<std::int64_t>& values) {
  const std::string bytes = EncodeNpy(t, shape, values);
  WriteFileAtomically(path, bytes);
}

void WriteNpyFile(const std::filesystem::path& path, const Tensor& tensor) {
  WriteNpyFile(path, tensor.dtype(), tensor.shape(), tensor.ToInt64());
}

}  // namespace intvit::model
