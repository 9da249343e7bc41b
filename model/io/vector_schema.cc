#include "model/io/vector_schema.h"

#include <cstdint>

namespace intvit::model {
namespace {

constexpr std::int64_t kIntMin = INT32_MIN;  // params that land in a C++ `int`
constexpr std::int64_t kIntMax = INT32_MAX;
constexpr std::int64_t kDiv = 2147483647;  // 2^31 - 1, I-ViT's DIV as written

ParamSpec Required(std::string_view name, ParamKind kind, std::int64_t min = INT64_MIN,
                   std::int64_t max = INT64_MAX) {
  return ParamSpec{name, kind, true, std::nullopt, min, max, {}};
}
ParamSpec Optional(std::string_view name, ParamKind kind, std::int64_t min = INT64_MIN,
                   std::int64_t max = INT64_MAX) {
  return ParamSpec{name, kind, false, std::nullopt, min, max, {}};
}
// The defaults are emplaced rather than moved in: moving a ParamValue trips GCC 12's
// -Wmaybe-uninitialized false positive on std::variant under -fsanitize.
ParamSpec IntDefault(std::string_view name, std::int64_t def, std::int64_t min = INT64_MIN,
                     std::int64_t max = INT64_MAX) {
  ParamSpec s{name, ParamKind::kInt, false, std::nullopt, min, max, {}};
  s.default_value.emplace(std::in_place_type<std::int64_t>, def);
  return s;
}
ParamSpec StringDefault(std::string_view name, std::string_view def,
                        std::vector<std::string_view> choices) {
  ParamSpec s{name,      ParamKind::kString, false, std::nullopt, INT64_MIN,
              INT64_MAX, std::move(choices)};
  s.default_value.emplace(std::in_place_type<std::string>, def);
  return s;
}

std::vector<OpSpec> MakeSpecs() {
  using enum DType;
  const std::vector<DType> kSigned = {kInt8, kInt16, kInt32, kInt64};
  std::vector<OpSpec> ops;
  ops.push_back(OpSpec{
      "requant",
      {Required("m", ParamKind::kIntOrList), Required("e", ParamKind::kIntOrList, kIntMin, kIntMax),
       Optional("m_res", ParamKind::kIntOrList),
       Optional("e_res", ParamKind::kIntOrList, kIntMin, kIntMax),
       IntDefault("out_bits", 8, kIntMin, kIntMax),
       StringDefault("rounding", "half_even", {"half_even", "half_up"})},
      {{"x", true, kSigned}, {"res", false, kSigned}},
      {{"y", true, {kInt8, kInt16, kInt32}}}});
  ops.push_back(OpSpec{"shiftmax",
                       {Required("x0", ParamKind::kInt), IntDefault("n", 15, kIntMin, kIntMax),
                        IntDefault("out_bits", 16, kIntMin, kIntMax), IntDefault("div", kDiv)},
                       {{"x", true, {kInt8}}},
                       {{"y", true, {kUint16, kUint8, kInt32}}}});
  ops.push_back(OpSpec{"shiftgelu",
                       {Required("x0", ParamKind::kInt), IntDefault("n", 23, kIntMin, kIntMax),
                        IntDefault("out_bits", 8, kIntMin, kIntMax), IntDefault("div", kDiv)},
                       {{"x", true, {kInt8}}},
                       {{"y", true, {kInt16, kInt32}}}});
  ops.push_back(OpSpec{
      "layernorm",
      {Required("bias_int", ParamKind::kIntList), IntDefault("sqrt_iters", 10, kIntMin, kIntMax),
       IntDefault("sqrt_init", 65536), IntDefault("div", kDiv)},
      {{"x", true, {kInt16}}},
      {{"y", true, {kInt64, kInt32}}}});
  ops.push_back(OpSpec{"linear",
                       {},
                       {{"x", true, {kInt8}}, {"w", true, {kInt8}}, {"b", false, {kInt32}}},
                       {{"y", true, {kInt32}}}});
  ops.push_back(OpSpec{"matmul",
                       {},
                       {{"a", true, {kInt8, kUint16}}, {"b", true, {kInt8}}},
                       {{"y", true, {kInt32}}}});
  ops.push_back(OpSpec{"conv_patch",
                       {Optional("patch", ParamKind::kInt, 1, kIntMax)},
                       {{"x", true, {kInt8}}, {"w", true, {kInt8}}, {"b", false, {kInt32}}},
                       {{"y", true, {kInt32}}}});
  return ops;
}

template <typename T>
const T* FindByName(const std::vector<T>& v, std::string_view n) {
  for (const T& s : v) {
    if (s.name == n) return &s;
  }
  return nullptr;
}

}  // namespace

const ParamSpec* OpSpec::FindParam(std::string_view n) const { return FindByName(params, n); }
const TensorSpec* OpSpec::FindInput(std::string_view n) const { return FindByName(inputs, n); }
const TensorSpec* OpSpec::FindOutput(std::string_view n) const { return FindByName(outputs, n); }

std::span<const OpSpec> AllOpSpecs() {
  static const std::vector<OpSpec> kSpecs = MakeSpecs();
  return kSpecs;
}

const OpSpec* FindOpSpec(std::string_view op) {
  // The accelerator's unit is the GeluUnit (`gelu` in arch configs and `sim`); its v1 op is
  // shiftgelu. Either name finds the op.
  if (op == "gelu") op = "shiftgelu";
  for (const OpSpec& s : AllOpSpecs()) {
    if (s.name == op) return &s;
  }
  return nullptr;
}

std::string OpNameList() {
  std::string out;
  for (const OpSpec& s : AllOpSpecs()) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

std::string ParamNameList(const OpSpec& op) {
  std::string out;
  for (const ParamSpec& p : op.params) out += (out.empty() ? "" : ", ") + std::string(p.name);
  return out.empty() ? "none" : out;
}

std::string TensorNameList(const std::vector<TensorSpec>& specs) {
  std::string out;
  for (const TensorSpec& t : specs) out += (out.empty() ? "" : ", ") + std::string(t.name);
  return out;
}

std::string DTypeList(const std::vector<DType>& dtypes) {
  std::string out;
  for (std::size_t i = 0; i < dtypes.size(); ++i) {
    if (i > 0) out += (i + 1 == dtypes.size()) ? " or " : ", ";
    out += DTypeName(dtypes[i]);
  }
  return out;
}

}  // namespace intvit::model
