// The ops of the intvit-vector-v1 format: their params, inputs and outputs. The reader checks a
// case against this table (names, kinds, storage ranges, dtypes); model/exec/op_plan.h then
// checks the semantics (the ops' Check*Params, shapes). docs/vectors.md lists the same table.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/tensor/dtype.h"

namespace intvit::model {

// A param's value: an integer, a list of integers, or a string.
using ParamValue = std::variant<std::int64_t, std::vector<std::int64_t>, std::string>;

enum class ParamKind {
  kInt,        // 15
  kIntOrList,  // 1073741824 or [1073741824, ...] (one per channel)
  kIntList,    // [..] (one per channel)
  kString,     // one of `choices`
};

struct ParamSpec {
  std::string_view name;
  ParamKind kind = ParamKind::kInt;
  bool required = false;
  // Filled in by the reader when the param is absent. A param that is neither required nor
  // defaulted is simply optional (requant's m_res).
  std::optional<ParamValue> default_value;
  // Inclusive range of every integer; it keeps the value inside the C++ field it lands in (int
  // for n, e, out_bits). The ops' Check*Params apply the semantic ranges.
  std::int64_t min = INT64_MIN;
  std::int64_t max = INT64_MAX;
  std::vector<std::string_view> choices;  // kString only
};

struct TensorSpec {
  std::string_view name;
  bool required = true;
  std::vector<DType> dtypes;  // accepted dtypes; for outputs the first is the natural one
};

struct OpSpec {
  std::string_view name;
  std::vector<ParamSpec> params;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;

  const ParamSpec* FindParam(std::string_view n) const;
  const TensorSpec* FindInput(std::string_view n) const;
  const TensorSpec* FindOutput(std::string_view n) const;
};

// Every op of the format, in documentation order.
std::span<const OpSpec> AllOpSpecs();
const OpSpec* FindOpSpec(std::string_view op);

// "requant, shiftmax, ..." and "int8 or uint16": lists for error messages.
std::string OpNameList();
std::string ParamNameList(const OpSpec& op);
std::string TensorNameList(const std::vector<TensorSpec>& specs);
std::string DTypeList(const std::vector<DType>& dtypes);

}  // namespace intvit::model
