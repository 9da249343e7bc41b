// Element types of tensors in vector cases and model files.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

namespace intvit::model {

enum class DType { kInt8, kUint8, kInt16, kUint16, kInt32, kInt64, kFloat32 };

// Bytes per element.
constexpr int DTypeSize(DType t) {
  switch (t) {
    case DType::kInt8:
    case DType::kUint8:
      return 1;
    case DType::kInt16:
    case DType::kUint16:
      return 2;
    case DType::kInt32:
    case DType::kFloat32:
      return 4;
    case DType::kInt64:
      return 8;
  }
  return 0;
}

constexpr bool IsIntegerDType(DType t) { return t != DType::kFloat32; }

// Inclusive value range of an integer dtype.
constexpr std::int64_t DTypeMin(DType t) {
  switch (t) {
    case DType::kInt8: return INT8_MIN;
    case DType::kInt16: return INT16_MIN;
    case DType::kInt32: return INT32_MIN;
    case DType::kInt64: return INT64_MIN;
    default: return 0;
  }
}
constexpr std::int64_t DTypeMax(DType t) {
  switch (t) {
    case DType::kInt8: return INT8_MAX;
    case DType::kUint8: return UINT8_MAX;
    case DType::kInt16: return INT16_MAX;
    case DType::kUint16: return UINT16_MAX;
    case DType::kInt32: return INT32_MAX;
    case DType::kInt64: return INT64_MAX;
    default: return 0;
  }
}
constexpr bool FitsDType(std::int64_t v, DType t) { return v >= DTypeMin(t) && v <= DTypeMax(t); }

// The DType that stores C++ type T exactly.
template <typename T>
constexpr DType DTypeOf() {
  if constexpr (std::is_same_v<T, std::int8_t>)
    return DType::kInt8;
  else if constexpr (std::is_same_v<T, std::uint8_t>)
    return DType::kUint8;
  else if constexpr (std::is_same_v<T, std::int16_t>)
    return DType::kInt16;
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    return DType::kUint16;
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return DType::kInt32;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return DType::kInt64;
  else {
    static_assert(std::is_same_v<T, float> && sizeof(float) == 4, "no DType for this type");
    return DType::kFloat32;
  }
}

// Names in the intvit-vector-v1 format: "int8", "uint16", ... ("float32" is not a vector dtype).
constexpr std::string_view DTypeName(DType t) {
  switch (t) {
    case DType::kInt8: return "int8";
    case DType::kUint8: return "uint8";
    case DType::kInt16: return "int16";
    case DType::kUint16: return "uint16";
    case DType::kInt32: return "int32";
    case DType::kInt64: return "int64";
    case DType::kFloat32: return "float32";
  }
  return "?";
}
inline std::optional<DType> DTypeFromName(std::string_view s) {
  for (DType t : {DType::kInt8, DType::kUint8, DType::kInt16, DType::kUint16, DType::kInt32,
                  DType::kInt64, DType::kFloat32}) {
    if (DTypeName(t) == s) return t;
  }
  return std::nullopt;
}

// Names in safetensors headers: "I8", "U16", "F32", ...
constexpr std::string_view DTypeSafetensorsName(DType t) {
  switch (t) {
    case DType::kInt8: return "I8";
    case DType::kUint8: return "U8";
    case DType::kInt16: return "I16";
    case DType::kUint16: return "U16";
    case DType::kInt32: return "I32";
    case DType::kInt64: return "I64";
    case DType::kFloat32: return "F32";
  }
  return "?";
}
inline std::optional<DType> DTypeFromSafetensorsName(std::string_view s) {
  for (DType t : {DType::kInt8, DType::kUint8, DType::kInt16, DType::kUint16, DType::kInt32,
                  DType::kInt64, DType::kFloat32}) {
    if (DTypeSafetensorsName(t) == s) return t;
  }
  return std::nullopt;
}

}  // namespace intvit::model
