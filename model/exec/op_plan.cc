#include "model/exec/op_plan.h"

#include <algorithm>
#include <span>
#include <utility>

#include "model/arith/int_types.h"
#include "model/common/error.h"

namespace intvit::model {
namespace {

std::string DimText(std::int64_t v) { return std::to_string(v); }

// Read access to a case's params and inputs that fails with "<manifest>: <field>: <what>".
// It re-checks what the reader guarantees, so that a case built in code (a test, an RTL
// harness) gets the same validation as one read from disk.
class CaseView {
 public:
  explicit CaseView(const VectorCase& c) : c_(c), spec_(FindOpSpec(c.op)) {
    if (spec_ == nullptr) Fail("op", "unknown op \"" + c.op + "\" (known: " + OpNameList() + ")");
    for (const auto& [name, v] : c.params) {
      if (spec_->FindParam(name) == nullptr) {
        Fail("params." + name,
             "unknown parameter of " + c.op + " (known: " + ParamNameList(*spec_) + ")");
      }
    }
    CheckTensors(c.inputs, spec_->inputs, "inputs");
    CheckTensors(c.outputs, spec_->outputs, "outputs");
  }

  [[noreturn]] void Fail(const std::string& field, const std::string& what) const {
    throw InputError(CaseMessage(c_.Where(), field, what));
  }

  // Runs one of the ops' Check*Params and reports its complaint under "params".
  template <typename F>
  void Checked(F&& check) const {
    try {
      check();
    } catch (const InputError& e) {
      Fail("params", e.what());
    }
  }

  const std::string& op() const { return c_.op; }

  // The param's value, its default when absent, or nullptr for an absent optional param.
  const ParamValue* Param(std::string_view name) const {
    if (auto it = c_.params.find(std::string(name)); it != c_.params.end()) return &it->second;
    const ParamSpec* spec = spec_->FindParam(name);
    if (spec->default_value) return &*spec->default_value;
    if (spec->required) Fail("params." + std::string(name), "missing; " + c_.op + " requires it");
    return nullptr;
  }
  bool Has(std::string_view name) const { return Param(name) != nullptr; }

  std::int64_t Int(std::string_view name) const {
    const ParamValue* v = Param(name);
    if (v == nullptr || !std::holds_alternative<std::int64_t>(*v)) {
      Fail("params." + std::string(name), "must be an integer");
    }
    return InRange(name, std::get<std::int64_t>(*v));
  }
  int SmallInt(std::string_view name) const { return static_cast<int>(Int(name)); }

  // A scalar param becomes a list of one.
  std::vector<std::int64_t> List(std::string_view name) const {
    const ParamValue* v = Param(name);
    if (v != nullptr && std::holds_alternative<std::int64_t>(*v)) {
      return {InRange(name, std::get<std::int64_t>(*v))};
    }
    if (v == nullptr || !std::holds_alternative<std::vector<std::int64_t>>(*v)) {
      Fail("params." + std::string(name), "must be a list of integers");
    }
    for (std::int64_t x : std::get<std::vector<std::int64_t>>(*v)) InRange(name, x);
    return std::get<std::vector<std::int64_t>>(*v);
  }

  std::string String(std::string_view name) const {
    const ParamValue* v = Param(name);
    if (v == nullptr || !std::holds_alternative<std::string>(*v)) {
      Fail("params." + std::string(name), "must be a string");
    }
    return std::get<std::string>(*v);
  }

  // The input, or nullptr for an absent optional one.
  const VectorTensor* Input(const std::string& name) const {
    if (auto it = c_.inputs.find(name); it != c_.inputs.end()) return &it->second;
    if (spec_->FindInput(name)->required) {
      Fail("inputs." + name, "missing; " + c_.op + " requires it");
    }
    return nullptr;
  }

  void RequireRank(const std::string& input, const VectorTensor& t, std::size_t min,
                   std::size_t max, const std::string& layout) const {
    if (t.shape.size() < min || t.shape.size() > max) {
      Fail("inputs." + input + ".shape", FormatShape(t.shape) + " has " +
                                             std::to_string(t.shape.size()) +
                                             (t.shape.size() == 1 ? " axis; " : " axes; ") + c_.op +
                                             " takes " + input + " as " + layout);
    }
  }

  // The op's outputs: declared dtype and shape checked against what the op produces.
  std::map<std::string, OutputSpec> Outputs(DType natural, std::vector<std::int64_t> shape) const {
    if (VectorNumElements(shape) < 0) {
      Fail("inputs", c_.op + " would produce an output of shape " + FormatShape(shape) +
                         ", more than the 2^26 elements a vector case may hold");
    }
    OutputSpec spec{natural, std::move(shape), false};
    if (auto it = c_.outputs.find("y"); it != c_.outputs.end()) {
      if (it->second.shape != spec.shape) {
        Fail("outputs.y.shape", FormatShape(it->second.shape) + " but " + c_.op +
                                    " of these inputs gives " + FormatShape(spec.shape));
      }
      spec.dtype = it->second.dtype;
      spec.declared = true;
    }
    return {{"y", spec}};
  }

 private:
  std::int64_t InRange(std::string_view name, std::int64_t v) const {
    const ParamSpec* spec = spec_->FindParam(name);
    if (v < spec->min || v > spec->max) {
      Fail("params." + std::string(name), std::to_string(v) + " is out of range [" +
                                              std::to_string(spec->min) + ", " +
                                              std::to_string(spec->max) + "]");
    }
    return v;
  }

  void CheckTensors(const TensorMap& m, const std::vector<TensorSpec>& specs,
                    const std::string& kind) const {
    for (const auto& [name, t] : m) {
      const TensorSpec* spec = nullptr;
      for (const TensorSpec& s : specs) {
        if (s.name == name) spec = &s;
      }
      const std::string field = kind + "." + name;
      if (spec == nullptr) Fail(field, "unknown tensor of " + c_.op);
      bool allowed = false;
      for (DType d : spec->dtypes) allowed = allowed || d == t.dtype;
      if (!allowed) {
        Fail(field + ".dtype", c_.op + " takes " + DTypeList(spec->dtypes) + " for " + name +
                                   ", got " + std::string(DTypeName(t.dtype)));
      }
      const std::int64_t n = VectorNumElements(t.shape);
      if (n < 0 || n != static_cast<std::int64_t>(t.values.size())) {
        Fail(field, "has " + std::to_string(t.values.size()) + " values; shape " +
                        FormatShape(t.shape) + " needs " + std::to_string(n));
      }
      for (std::size_t i = 0; i < t.values.size(); ++i) {
        if (!FitsDType(t.values[i], t.dtype)) {
          Fail(field + ".data[" + std::to_string(i) + "]", std::to_string(t.values[i]) +
                                                               " is out of range for " +
                                                               std::string(DTypeName(t.dtype)));
        }
      }
    }
  }

  const VectorCase& c_;
  const OpSpec* spec_;
};

// True when the product of the factors, each counted as at least 1 (a loop over an empty axis
// still iterates its outer axes), is at most `cap`. Exact in 128 bits.
bool ProductAtMost(std::initializer_list<std::int64_t> factors, std::int64_t cap) {
  Int128 p = 1;
  for (std::int64_t f : factors) {
    p *= std::max<std::int64_t>(f, 1);
    if (p > cap) return false;
  }
  return true;
}

// The product of `dims` (each >= 0), saturated just above the work cap: RequireWork rejects it.
// (With an empty axis elsewhere, the element cap does not bound the product of the others.)
std::int64_t SaturatedProduct(std::span<const std::int64_t> dims) {
  Int128 p = 1;
  for (std::int64_t d : dims) p = std::min<Int128>(p * d, Int128{kPlanMaxMacs} + 1);
  return static_cast<std::int64_t>(p);
}

void RequireWork(const CaseView& v, std::initializer_list<std::int64_t> macs) {
  if (!ProductAtMost(macs, kPlanMaxMacs)) {
    v.Fail("inputs", v.op() +
                         " of these shapes needs more than 2^33 multiply-accumulates, "
                         "too many for a vector case");
  }
}

std::int64_t LastAxis(const CaseView& v, const VectorTensor& x) {
  v.RequireRank("x", x, 1, kVectorMaxRank, "[..., C] (the last axis is the row)");
  const std::int64_t cols = x.shape.back();
  if (cols < 1) v.Fail("inputs.x.shape", FormatShape(x.shape) + ": rows must not be empty");
  return cols;
}

std::vector<Dyadic> Multipliers(const CaseView& v, const char* m_name, const char* e_name) {
  const std::vector<std::int64_t> m = v.List(m_name), e = v.List(e_name);
  if (m.size() != e.size() && m.size() != 1 && e.size() != 1) {
    v.Fail(std::string("params.") + e_name, "has " + std::to_string(e.size()) + " entries but " +
                                                m_name + " has " + std::to_string(m.size()) +
                                                "; give lists of one length, or a scalar");
  }
  std::vector<Dyadic> out(std::max(m.size(), e.size()));
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = Dyadic{m[m.size() == 1 ? 0 : i], static_cast<int>(e[e.size() == 1 ? 0 : i])};
  }
  return out;
}

OpPlan PlanRequant(const CaseView& v) {
  const VectorTensor& x = *v.Input("x");
  RequantPlan plan;
  plan.channels = LastAxis(v, x);
  plan.params.mult = Multipliers(v, "m", "e");
  const VectorTensor* res = v.Input("res");
  const bool has_m_res = v.Has("m_res"), has_e_res = v.Has("e_res");
  if (has_m_res != has_e_res) {
    v.Fail(has_m_res ? "params.e_res" : "params.m_res",
           "missing; the residual branch needs both m_res and e_res");
  }
  if (res != nullptr && !has_m_res) {
    v.Fail("params.m_res", "missing; the res input needs m_res and e_res");
  }
  if (res == nullptr && has_m_res) v.Fail("inputs.res", "missing; m_res and e_res need it");
  if (res != nullptr) {
    if (res->shape != x.shape) {
      v.Fail("inputs.res.shape",
             FormatShape(res->shape) + " differs from x's " + FormatShape(x.shape));
    }
    plan.params.mult_res = Multipliers(v, "m_res", "e_res");
  }
  plan.params.out_bits = v.SmallInt("out_bits");
  plan.params.rounding =
      v.String("rounding") == "half_up" ? Rounding::kHalfUp : Rounding::kHalfEven;
  v.Checked([&] { CheckRequantParams(plan.params, plan.channels); });
  const DType natural = plan.params.out_bits == 8 ? DType::kInt8 : DType::kInt16;
  OpPlan out{plan, v.Outputs(natural, x.shape)};
  const OutputSpec& y = out.outputs.at("y");
  if (8 * DTypeSize(y.dtype) < plan.params.out_bits) {
    v.Fail("outputs.y.dtype", std::string(DTypeName(y.dtype)) + " cannot hold out_bits " +
                                  std::to_string(plan.params.out_bits) + " results");
  }
  return out;
}

OpPlan PlanShiftmax(const CaseView& v) {
  const VectorTensor& x = *v.Input("x");
  ShiftmaxPlan plan;
  plan.cols = LastAxis(v, x);
  plan.params.x0 = v.Int("x0");
  plan.params.n = v.SmallInt("n");
  plan.params.out_bits = v.SmallInt("out_bits");
  plan.params.div = v.Int("div");
  v.Checked([&] { CheckShiftmaxParams(plan.params); });
  OpPlan out{plan, v.Outputs(DType::kUint16, x.shape)};
  if (out.outputs.at("y").dtype == DType::kUint8 && plan.params.out_bits > 8) {
    v.Fail("outputs.y.dtype",
           "uint8 cannot hold out_bits " + std::to_string(plan.params.out_bits) + " results");
  }
  return out;
}

OpPlan PlanShiftGelu(const CaseView& v) {
  const VectorTensor& x = *v.Input("x");
  ShiftGeluPlan plan;
  plan.cols = LastAxis(v, x);
  plan.params.x0 = v.Int("x0");
  plan.params.n = v.SmallInt("n");
  plan.params.out_bits = v.SmallInt("out_bits");
  plan.params.div = v.Int("div");
  v.Checked([&] { CheckShiftGeluParams(plan.params); });
  return OpPlan{plan, v.Outputs(DType::kInt16, x.shape)};
}

OpPlan PlanLayerNorm(const CaseView& v) {
  const VectorTensor& x = *v.Input("x");
  LayerNormPlan plan;
  plan.cols = LastAxis(v, x);
  plan.params.bias_int = v.List("bias_int");
  plan.params.sqrt_iters = v.SmallInt("sqrt_iters");
  plan.params.sqrt_init = v.Int("sqrt_init");
  plan.params.div = v.Int("div");
  v.Checked([&] { CheckLayerNormParams(plan.params, plan.cols); });
  return OpPlan{plan, v.Outputs(DType::kInt64, x.shape)};
}

OpPlan PlanLinear(const CaseView& v) {
  const VectorTensor& x = *v.Input("x");
  const VectorTensor& w = *v.Input("w");
  const VectorTensor* b = v.Input("b");
  // x [..., T, K]: leading axes flatten into the tokens, as I-ViT's QuantLinear sees [B, N, C].
  v.RequireRank("x", x, 2, kVectorMaxRank, "[..., T, K]");
  v.RequireRank("w", w, 2, 2, "[N, K]");
  LinearPlan plan;
  const std::vector<std::int64_t> rows(x.shape.begin(), x.shape.end() - 1);
  plan.shape = LinearShape{SaturatedProduct(rows), x.shape.back(), w.shape[0]};
  if (w.shape[1] != plan.shape.in_features) {
    v.Fail("inputs.w.shape", FormatShape(w.shape) + " has K = " + DimText(w.shape[1]) + " but x " +
                                 FormatShape(x.shape) +
                                 " has K = " + DimText(plan.shape.in_features));
  }
  if (b != nullptr && b->shape != std::vector<std::int64_t>{plan.shape.out_features}) {
    v.Fail("inputs.b.shape", FormatShape(b->shape) + " but w " + FormatShape(w.shape) + " needs [" +
                                 DimText(plan.shape.out_features) + "]");
  }
  plan.has_bias = b != nullptr;
  RequireWork(v, {plan.shape.tokens, plan.shape.out_features, plan.shape.in_features});
  std::vector<std::int64_t> y_shape = rows;
  y_shape.push_back(plan.shape.out_features);
  return OpPlan{plan, v.Outputs(DType::kInt32, std::move(y_shape))};
}

OpPlan PlanMatMul(const CaseView& v) {
  const VectorTensor& a = *v.Input("a");
  const VectorTensor& b = *v.Input("b");
  v.RequireRank("a", a, 2, kVectorMaxRank, "[..., M, K]");
  v.RequireRank("b", b, 2, kVectorMaxRank, "[..., K, N]");
  const std::size_t r = a.shape.size();
  const std::vector<std::int64_t> lead(a.shape.begin(), a.shape.end() - 2);
  if (b.shape.size() != r || !std::equal(lead.begin(), lead.end(), b.shape.begin())) {
    v.Fail("inputs.b.shape", FormatShape(b.shape) + " must have a's leading axes " +
                                 FormatShape(lead) + " then [K, N]");
  }
  MatMulPlan plan;
  plan.shape.batch = SaturatedProduct(lead);
  plan.shape.m = a.shape[r - 2];
  plan.shape.k = a.shape[r - 1];
  plan.shape.n = b.shape[r - 1];
  if (b.shape[r - 2] != plan.shape.k) {
    v.Fail("inputs.b.shape", FormatShape(b.shape) + " has K = " + DimText(b.shape[r - 2]) +
                                 " but a " + FormatShape(a.shape) +
                                 " has K = " + DimText(plan.shape.k));
  }
  RequireWork(v, {plan.shape.batch, plan.shape.m, plan.shape.n, plan.shape.k});
  std::vector<std::int64_t> y_shape = lead;
  y_shape.push_back(plan.shape.m);
  y_shape.push_back(plan.shape.n);
  return OpPlan{plan, v.Outputs(DType::kInt32, std::move(y_shape))};
}

OpPlan PlanConvPatch(const CaseView& v) {
  const VectorTensor& x = *v.Input("x");
  const VectorTensor& w = *v.Input("w");
  const VectorTensor* b = v.Input("b");
  v.RequireRank("x", x, 3, kVectorMaxRank, "[..., Cin, H, W]");
  v.RequireRank("w", w, 4, 4, "[Cout, Cin, P, P]");
  ConvPatchPlan plan;
  ConvPatchShape& s = plan.shape;
  const std::size_t r = x.shape.size();
  const std::vector<std::int64_t> lead(x.shape.begin(), x.shape.end() - 3);
  plan.images = SaturatedProduct(lead);
  s.in_channels = x.shape[r - 3];
  s.height = x.shape[r - 2];
  s.width = x.shape[r - 1];
  s.out_channels = w.shape[0];
  s.patch = w.shape[2];
  if (w.shape[1] != s.in_channels) {
    v.Fail("inputs.w.shape", FormatShape(w.shape) + " has Cin = " + DimText(w.shape[1]) +
                                 " but x " + FormatShape(x.shape) +
                                 " has Cin = " + DimText(s.in_channels));
  }
  if (w.shape[3] != s.patch || s.patch < 1) {
    v.Fail("inputs.w.shape", FormatShape(w.shape) + ": the kernel must be a square P x P, P >= 1");
  }
  if (v.Has("patch") && v.Int("patch") != s.patch) {
    v.Fail("params.patch", std::to_string(v.Int("patch")) + " but w " + FormatShape(w.shape) +
                               " has P = " + DimText(s.patch));
  }
  // Like Conv2d with stride = kernel, rows and columns past the last whole patch are ignored.
  if (s.height < s.patch || s.width < s.patch) {
    v.Fail("inputs.x.shape",
           FormatShape(x.shape) + ": H and W must be at least P = " + DimText(s.patch));
  }
  if (b != nullptr && b->shape != std::vector<std::int64_t>{s.out_channels}) {
    v.Fail("inputs.b.shape", FormatShape(b->shape) + " but w " + FormatShape(w.shape) + " needs [" +
                                 DimText(s.out_channels) + "]");
  }
  plan.has_bias = b != nullptr;
  RequireWork(v, {plan.images, s.NumPatches(), s.out_channels, s.PatchSize()});
  std::vector<std::int64_t> y_shape = lead;
  y_shape.push_back(s.NumPatches());
  y_shape.push_back(s.out_channels);
  return OpPlan{plan, v.Outputs(DType::kInt32, std::move(y_shape))};
}

}  // namespace

OpPlan PlanCase(const VectorCase& c) {
  const CaseView v(c);
  if (c.op == "requant") return PlanRequant(v);
  if (c.op == "shiftmax") return PlanShiftmax(v);
  if (c.op == "shiftgelu") return PlanShiftGelu(v);
  if (c.op == "layernorm") return PlanLayerNorm(v);
  if (c.op == "linear") return PlanLinear(v);
  if (c.op == "matmul") return PlanMatMul(v);
  if (c.op == "conv_patch") return PlanConvPatch(v);
  v.Fail("op", "has no plan");  // unreachable: CaseView checked the op
}

}  // namespace intvit::model
