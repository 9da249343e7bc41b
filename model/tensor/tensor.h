// Tensor: a dtype, a shape and typed row-major storage. Used for weights, activations and the
// GoldenTrace. Integer dtypes only: the golden model never stores float data.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "model/tensor/dtype.h"

namespace intvit::model {

// Product of dims; throws InputError on a negative dim or on overflow past 2^40 elements.
std::int64_t NumElements(const std::vector<std::int64_t>& shape);
std::string ShapeString(const std::vector<std::int64_t>& shape);  // "[197, 192]"

class Tensor {
 public:
  Tensor() = default;
  // Zero-filled tensor of an integer dtype.
  Tensor(DType dtype, std::vector<std::int64_t> shape);
  template <typename T>
  static Tensor FromVector(std::vector<std::int64_t> shape, std::vector<T> values) {
    Tensor t;
    t.dtype_ = DTypeOf<T>();
    t.shape_ = std::move(shape);
    t.CheckSize(static_cast<std::int64_t>(values.size()));
    t.data_ = std::move(values);
    return t;
  }

  DType dtype() const { return dtype_; }
  const std::vector<std::int64_t>& shape() const { return shape_; }
  std::int64_t numel() const { return NumElements(shape_); }
  std::int64_t dim(int i) const { return shape_.at(i < 0 ? shape_.size() + i : i); }

  // Typed views; throw std::logic_error when T does not match dtype() (a programming error).
  template <typename T>
  std::span<T> Span() {
    CheckType(DTypeOf<T>());
    return std::get<std::vector<T>>(data_);
  }
  template <typename T>
  std::span<const T> Span() const {
    CheckType(DTypeOf<T>());
    return std::get<std::vector<T>>(data_);
  }

  // Element i widened to int64, whatever the dtype (for comparisons and reports).
  std::int64_t ValueAt(std::int64_t i) const;
  // All elements widened to int64.
  std::vector<std::int64_t> ToInt64() const;
  // Builds a tensor of `dtype` from int64 values; throws InputError if any does not fit.
  static Tensor FromInt64(DType dtype, std::vector<std::int64_t> shape,
                          const std::vector<std::int64_t>& values);

  friend bool operator==(const Tensor& a, const Tensor& b) {
    return a.dtype_ == b.dtype_ && a.shape_ == b.shape_ && a.data_ == b.data_;
  }

 private:
  void CheckType(DType t) const;
  void CheckSize(std::int64_t n) const;

  DType dtype_ = DType::kInt8;
  std::vector<std::int64_t> shape_;
  std::variant<std::vector<std::int8_t>, std::vector<std::uint8_t>, std::vector<std::int16_t>,
               std::vector<std::uint16_t>, std::vector<std::int32_t>, std::vector<std::int64_t>>
      data_;
};

}  // namespace intvit::model
