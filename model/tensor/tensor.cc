#include "model/tensor/tensor.h"

#include <stdexcept>

#include "model/common/error.h"

namespace intvit::model {

std::int64_t NumElements(const std::vector<std::int64_t>& shape) {
  constexpr std::int64_t kMax = std::int64_t{1} << 40;
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    // Tested before building the message: this runs for every tensor of every node.
    if (d < 0) Require(false, "negative dimension in shape " + ShapeString(shape));
    if (d != 0 && n > kMax / d) {
      Require(false, "shape " + ShapeString(shape) + " has too many elements");
    }
    n *= d;
  }
  return n;
}

std::string ShapeString(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

Tensor::Tensor(DType dtype, std::vector<std::int64_t> shape)
    : dtype_(dtype), shape_(std::move(shape)) {
  const auto n = static_cast<std::size_t>(NumElements(shape_));
  switch (dtype_) {
    case DType::kInt8: data_ = std::vector<std::int8_t>(n); break;
    case DType::kUint8: data_ = std::vector<std::uint8_t>(n); break;
    case DType::kInt16: data_ = std::vector<std::int16_t>(n); break;
    case DType::kUint16: data_ = std::vector<std::uint16_t>(n); break;
    case DType::kInt32: data_ = std::vector<std::int32_t>(n); break;
    case DType::kInt64: data_ = std::vector<std::int64_t>(n); break;
    case DType::kFloat32: throw std::logic_error("Tensor holds integer dtypes only");
  }
}

void Tensor::CheckType(DType t) const {
  if (t != dtype_) {
    throw std::logic_error("tensor dtype is " + std::string(DTypeName(dtype_)) +
                           ", accessed as " + std::string(DTypeName(t)));
  }
}

void Tensor::CheckSize(std::int64_t n) const {
  if (n == NumElements(shape_)) return;  // the message is built only on failure
  Require(false, "tensor of shape " + ShapeString(shape_) + " given " + std::to_string(n) +
                     " values");
}

std::int64_t Tensor::ValueAt(std::int64_t i) const {
  return std::visit([i](const auto& v) { return static_cast<std::int64_t>(v[i]); }, data_);
}

std::vector<std::int64_t> Tensor::ToInt64() const {
  return std::visit(
      [](const auto& v) { return std::vector<std::int64_t>(v.begin(), v.end()); }, data_);
}

Tensor Tensor::FromInt64(DType dtype, std::vector<std::int64_t> shape,
                         const std::vector<std::int64_t>& values) {
  Tensor t(dtype, std::move(shape));
  t.CheckSize(static_cast<std::int64_t>(values.size()));
  std::visit(
      [&](auto& v) {
        for (std::size_t i = 0; i < values.size(); ++i) {
          if (!FitsDType(values[i], dtype)) {  // the message is built only on failure
            Require(false, "value " + std::to_string(values[i]) + " at index " +
                               std::to_string(i) + " does not fit " +
                               std::string(DTypeName(dtype)));
          }
          v[i] = static_cast<typename std::decay_t<decltype(v)>::value_type>(values[i]);
        }
      },
      t.data_);
  return t;
}

}  // namespace intvit::model
