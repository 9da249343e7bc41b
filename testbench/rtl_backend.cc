#include "testbench/rtl_backend.h"

#include <cstdint>
#include <span>
#include <variant>

#include "model/common/error.h"
#include "model/exec/op_plan.h"
#include "testbench/nonlinear/nonlinear_rtl.h"
#include "testbench/rtl_units.h"

namespace intvit::tb {
namespace {

using model::TensorMap;
using model::VectorCase;
using model::VectorTensor;

std::vector<std::int32_t> ToInt32(const std::vector<std::int64_t>& v) {
  return std::vector<std::int32_t>(v.begin(), v.end());
}
std::vector<std::int8_t> ToInt8(const std::vector<std::int64_t>& v) {
  return std::vector<std::int8_t>(v.begin(), v.end());
}

using Result = RtlOpResult;

// The requant unit's lanes in `op check --impl rtl` (the prebuilt ivit_requant).
constexpr int kRequantLanes = 16;

// The array accumulates in int32 and wraps, as the hardware does, while the golden GEMMs
// saturate the exact sum to int32. The two agree exactly when every exact sum fits int32, which
// holds for any model the loader accepts (|bias| + K * 2^14 < 2^31) but not for every vector
// case. A case whose exact sum leaves int32 is therefore refused (exit 2) rather than reported
// as a mismatch of the RTL. Wrapping is modular, so partial sums may leave int32 freely.
void RequireInt32Sums(const VectorCase& c, std::span<const GemmProblem> problems) {
  for (std::size_t p = 0; p < problems.size(); ++p) {
    const GemmProblem& q = problems[p];
    for (std::int64_t i = 0; i < q.m; ++i) {
      for (std::int64_t j = 0; j < q.n; ++j) {
        std::int64_t sum = q.bias.empty() ? 0 : q.bias[j];  // |sum| < 2^31 + K * 2^23: no overflow
        for (std::int64_t k = 0; k < q.k; ++k) {
          sum += std::int64_t{q.a[i * q.k + k]} * q.b[k * q.n + j];
        }
        if (sum < INT32_MIN || sum > INT32_MAX) {
          throw InputError(c.Where() + ": the exact sum at y[" +
                           std::to_string((static_cast<std::int64_t>(p) * q.m + i) * q.n + j) +
                           "] is " + std::to_string(sum) +
                           ", outside the array's int32 accumulator, which wraps where the "
                           "golden op saturates (--impl rtl); use --impl golden");
        }
      }
    }
  }
}

struct Runner {
  const VectorCase& c;
  const model::OpPlan& plan;
  const RtlOptions& options;

  const VectorTensor& In(const char* name) const { return c.inputs.at(name); }

  Result operator()(const model::RequantPlan& p) const {
    const std::vector<std::int64_t>& x = In("x").values;
    auto it = c.inputs.find("res");
    const std::span<const std::int64_t> res =
        it == c.inputs.end() ? std::span<const std::int64_t>() : it->second.values;
    auto unit = MakeRequantUnit(kRequantLanes, {.wave_path = options.wave_path});
    VectorRun r = unit->Run(p.params, p.channels, x, res);
    return {RtlOutputY(plan, std::move(r.y)), r.cycles,
            "ivit_requant, " + std::to_string(kRequantLanes) + " lanes"};
  }

  // GEMMs on the array: y[i][n] with problems run back to back.
  Result Gemms(std::span<const GemmProblem> problems, std::int64_t out_elems) const {
    RequireInt32Sums(c, problems);
    auto unit = MakeArrayUnit(options.array, {.wave_path = options.wave_path});
    GemmRun r = unit->Run(problems);
    std::vector<std::int64_t> y;
    y.reserve(static_cast<std::size_t>(out_elems));
    for (const auto& part : r.y) y.insert(y.end(), part.begin(), part.end());
    return {RtlOutputY(plan, std::move(y)), r.cycles,
            "ivit_array " + options.array.Name() + ", " + std::to_string(r.folds) + " folds"};
  }

  static std::vector<std::int8_t> Transpose(const std::vector<std::int8_t>& w, std::int64_t rows,
                                            std::int64_t cols) {
    std::vector<std::int8_t> t(w.size());
    for (std::int64_t r = 0; r < rows; ++r) {
      for (std::int64_t k = 0; k < cols; ++k) t[k * rows + r] = w[r * cols + k];
    }
    return t;
  }

  Result operator()(const model::LinearPlan& p) const {
    const auto& s = p.shape;
    const std::vector<std::int32_t> a = ToInt32(In("x").values);
    const std::vector<std::int8_t> b = Transpose(ToInt8(In("w").values), s.out_features,
                                                 s.in_features);  // [K][N]
    const std::vector<std::int32_t> bias =
        p.has_bias ? ToInt32(In("b").values) : std::vector<std::int32_t>();
    const GemmProblem q{s.tokens, s.in_features, s.out_features, a, b, bias};
    return Gemms(std::span(&q, 1), s.tokens * s.out_features);
  }

  Result operator()(const model::MatMulPlan& p) const {
    const auto& s = p.shape;
    const std::vector<std::int32_t> a = ToInt32(In("a").values);
    const std::vector<std::int8_t> b = ToInt8(In("b").values);
    std::vector<GemmProblem> qs;
    for (std::int64_t i = 0; i < s.batch; ++i) {
      qs.push_back({s.m,
                    s.k,
                    s.n,
                    std::span(a).subspan(i * s.m * s.k, s.m * s.k),
                    std::span(b).subspan(i * s.k * s.n, s.k * s.n),
                    {}});
    }
    return Gemms(qs, s.batch * s.m * s.n);
  }

  Result operator()(const model::ConvPatchPlan& p) const {
    const auto& s = p.shape;
    const std::vector<std::int8_t> x = ToInt8(In("x").values);
    const std::size_t in = static_cast<std::size_t>(s.in_channels * s.height * s.width);
    // One GEMM per image, run back to back: im2col rows times the transposed kernel.
    std::vector<std::int32_t> a;
    a.reserve(static_cast<std::size_t>(p.images * s.NumPatches() * s.PatchSize()));
    for (std::size_t i = 0; i < static_cast<std::size_t>(p.images); ++i) {
      const std::vector<std::int8_t> cols =
          model::Im2colPatches(s, std::span(x).subspan(i * in, in));
      a.insert(a.end(), cols.begin(), cols.end());
    }
    const std::vector<std::int8_t> b =
        Transpose(ToInt8(In("w").values), s.out_channels, s.PatchSize());
    const std::vector<std::int32_t> bias =
        p.has_bias ? ToInt32(In("b").values) : std::vector<std::int32_t>();
    const std::int64_t per_image = s.NumPatches() * s.PatchSize();  // A elements of one image
    std::vector<GemmProblem> qs;
    for (std::int64_t i = 0; i < p.images; ++i) {
      qs.push_back({s.NumPatches(), s.PatchSize(), s.out_channels,
                    std::span(a).subspan(static_cast<std::size_t>(i * per_image),
                                         static_cast<std::size_t>(per_image)),
                    b, bias});
    }
    return Gemms(qs, p.images * s.NumPatches() * s.out_channels);
  }

  // shiftmax, shiftgelu, layernorm: the nonlinear units; anything else has no unit.
  template <typename Plan>
  Result operator()(const Plan&) const {
    if (std::optional<RtlOpResult> r = RunNonlinearRtl(c, plan, options)) return std::move(*r);
    throw InputError(c.Where() + ": op " + c.op + " has no RTL unit yet (--impl rtl covers " +
                     RtlOpList() + "); use --impl golden");
  }
};

}  // namespace

RtlBackend::RtlBackend(RtlOptions options) : options_(std::move(options)) {}

model::TensorMap RtlBackend::Run(const model::VectorCase& c) {
  cycles_.reset();
  note_.clear();
  const model::OpPlan plan = model::PlanCase(c);
  Result r = std::visit(Runner{c, plan, options_}, plan.op);
  cycles_ = r.cycles;
  note_ = std::move(r.note);
  return std::move(r.outputs);
}

model::TensorMap RtlOutputY(const model::OpPlan& plan, std::vector<std::int64_t> values) {
  const model::OutputSpec& spec = plan.outputs.at("y");
  model::DType dtype = spec.dtype;
  for (std::int64_t v : values) {
    if (!model::FitsDType(v, dtype)) {
      dtype = model::DType::kInt64;
      break;
    }
  }
  return {{"y", model::VectorTensor{dtype, spec.shape, std::move(values)}}};
}

std::string RtlOpList() {
  return "requant, linear, matmul, conv_patch, shiftmax, shiftgelu, layernorm";
}

}  // namespace intvit::tb
