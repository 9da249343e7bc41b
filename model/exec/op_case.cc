#include "model/exec/op_case.h"

#include <span>
#include <stdexcept>
#include <type_traits>

#include "model/common/error.h"

namespace intvit::model {
namespace {

template <typename T>
std::vector<T> Narrow(const VectorTensor& t) {
  // The reader and PlanCase guarantee every value fits T.
  return std::vector<T>(t.values.begin(), t.values.end());
}

template <typename T>
std::vector<std::int64_t> Widen(const std::vector<T>& v) {
  return std::vector<std::int64_t>(v.begin(), v.end());
}

bool AllFit(const std::vector<std::int64_t>& v, DType t) {
  for (std::int64_t x : v) {
    if (!FitsDType(x, t)) return false;
  }
  return true;
}

// Wraps computed values as the plan's output "y": its dtype when every value fits, else int64.
TensorMap Output(const OpPlan& plan, std::vector<std::int64_t> values) {
  const OutputSpec& spec = plan.outputs.at("y");
  const DType dtype = AllFit(values, spec.dtype) ? spec.dtype : DType::kInt64;
  return {{"y", VectorTensor{dtype, spec.shape, std::move(values)}}};
}

const std::vector<std::int64_t>* Optional(const VectorCase& c, const char* name) {
  auto it = c.inputs.find(name);
  return it == c.inputs.end() ? nullptr : &it->second.values;
}

struct GoldenRunner {
  const VectorCase& c;
  const OpPlan& plan;
  const VectorTensor& In(const char* name) const { return c.inputs.at(name); }

  TensorMap operator()(const RequantPlan& p) const {
    // Requant is exact for any integer type; int64 holds every input dtype.
    const std::vector<std::int64_t>& x = In("x").values;
    const std::vector<std::int64_t>* res = Optional(c, "res");
    std::vector<std::int64_t> y(x.size());
    Requant<std::int64_t, std::int64_t, std::int64_t>(
        p.params, p.channels, std::span<const std::int64_t>(x),
        res ? std::span<const std::int64_t>(*res) : std::span<const std::int64_t>(),
        std::span<std::int64_t>(y));
    return Output(plan, std::move(y));
  }
  TensorMap operator()(const ShiftmaxPlan& p) const {
    const auto x = Narrow<std::int8_t>(In("x"));
    std::vector<std::uint16_t> y(x.size());
    Shiftmax(p.params, p.cols, x, y);
    return Output(plan, Widen(y));
  }
  TensorMap operator()(const ShiftGeluPlan& p) const {
    const auto x = Narrow<std::int8_t>(In("x"));
    std::vector<std::int32_t> y(x.size());
    ShiftGelu(p.params, p.cols, x, y);
    return Output(plan, Widen(y));
  }
  TensorMap operator()(const LayerNormPlan& p) const {
    const auto x = Narrow<std::int16_t>(In("x"));
    std::vector<std::int64_t> y(x.size());
    IntLayerNorm(p.params, p.cols, x, y);
    return Output(plan, std::move(y));
  }
  TensorMap operator()(const LinearPlan& p) const {
    const auto x = Narrow<std::int8_t>(In("x"));
    const auto w = Narrow<std::int8_t>(In("w"));
    const auto b = p.has_bias ? Narrow<std::int32_t>(In("b")) : std::vector<std::int32_t>();
    std::vector<std::int32_t> y(static_cast<std::size_t>(p.shape.tokens * p.shape.out_features));
    Linear(p.shape, x, w, b, y);
    return Output(plan, Widen(y));
  }
  TensorMap operator()(const MatMulPlan& p) const {
    const auto b = Narrow<std::int8_t>(In("b"));
    std::vector<std::int32_t> y(static_cast<std::size_t>(p.shape.batch * p.shape.m * p.shape.n));
    if (In("a").dtype == DType::kUint16) {
      MatMul<std::uint16_t>(p.shape, Narrow<std::uint16_t>(In("a")), b, y);
    } else {
      MatMul<std::int8_t>(p.shape, Narrow<std::int8_t>(In("a")), b, y);
    }
    return Output(plan, Widen(y));
  }
  TensorMap operator()(const ConvPatchPlan& p) const {
    const auto x = Narrow<std::int8_t>(In("x"));
    const auto w = Narrow<std::int8_t>(In("w"));
    const auto b = p.has_bias ? Narrow<std::int32_t>(In("b")) : std::vector<std::int32_t>();
    const std::size_t in = static_cast<std::size_t>(p.shape.in_channels * p.shape.height *
                                                     p.shape.width);
    const std::size_t out = static_cast<std::size_t>(p.shape.NumPatches() * p.shape.out_channels);
    std::vector<std::int32_t> y(static_cast<std::size_t>(p.images) * out);
    for (std::size_t i = 0; i < static_cast<std::size_t>(p.images); ++i) {
      ConvPatch(p.shape, std::span(x).subspan(i * in, in), w, b, std::span(y).subspan(i * out, out));
    }
    return Output(plan, Widen(y));
  }
};

}  // namespace

TensorMap GoldenBackend::Run(const VectorCase& c) {
  const OpPlan plan = PlanCase(c);
  return std::visit(GoldenRunner{c, plan}, plan.op);
}

std::unique_ptr<OpBackend> MakeOpBackend(std::string_view impl) {
  if (impl == "golden") return std::make_unique<GoldenBackend>();
  return nullptr;
}

VectorCase WithOutputs(const VectorCase& c, const OpPlan& plan, const TensorMap& actual) {
  const OpSpec* op = FindOpSpec(c.op);
  VectorCase out = c;
  out.outputs.clear();
  for (const auto& [name, spec] : plan.outputs) {
    auto it = actual.find(name);
    if (it == actual.end() || it->second.shape != spec.shape ||
        VectorNumElements(spec.shape) != static_cast<std::int64_t>(it->second.values.size())) {
      throw std::runtime_error("the backend did not return output " + name + " of shape " +
                               FormatShape(spec.shape));
    }
    VectorTensor t{spec.dtype, spec.shape, it->second.values};
    if (spec.declared) {
      for (std::size_t i = 0; i < t.values.size(); ++i) {
        Require(FitsDType(t.values[i], t.dtype),
                CaseMessage(c.Where(), "outputs." + name + ".dtype",
                            std::string(DTypeName(t.dtype)) + " cannot hold the computed value " +
                                std::to_string(t.values[i]) + " at " +
                                FormatShape(IndexToCoords(static_cast<std::int64_t>(i), t.shape))));
      }
    } else {
      // The natural dtype, or the first wider one the op allows that holds every value.
      const std::vector<DType>& allowed = op->FindOutput(name)->dtypes;
      bool found = false;
      for (DType d : allowed) {
        if (DTypeSize(d) < DTypeSize(spec.dtype) || !AllFit(t.values, d)) continue;
        t.dtype = d;
        found = true;
        break;
      }
      Require(found, CaseMessage(c.Where(), "outputs." + name,
                                 "no dtype the op allows (" + DTypeList(allowed) +
                                     ") holds every computed value"));
    }
    out.outputs.emplace(name, std::move(t));
  }
  return out;
}

}  // namespace intvit::model
