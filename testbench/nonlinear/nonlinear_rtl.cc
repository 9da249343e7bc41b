#include "testbench/nonlinear/nonlinear_rtl.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "model/common/error.h"
#include "testbench/nonlinear/row_stream.h"
#include "testbench/rtl_units.h"

namespace intvit::tb {
namespace {

constexpr RowUnitShape kShape = kNonlinearRtlShape;

// The case's rows, after checking they fit the unit's row buffer.
Rows CaseRows(const model::VectorCase& c, std::int64_t cols) {
  if (cols > kShape.max_cols) {
    throw InputError(c.Where() + ": rows of " + std::to_string(cols) + " columns exceed the " +
                     c.op + " unit's MaxCols = " + std::to_string(kShape.max_cols) +
                     " (--impl rtl); use --impl golden");
  }
  return SplitRows(c.inputs.at("x").values, cols);
}

// "ivit_gelu, 8 lanes, 4 quotient bits/cycle, 4 rows x 768".
std::string Note(const char* module, std::size_t rows, std::int64_t cols) {
  return std::string(module) + ", " + std::to_string(kShape.lanes) + " lanes, " +
         std::to_string(kShape.spc) + " quotient bits/cycle, " + std::to_string(rows) +
         (rows == 1 ? " row x " : " rows x ") + std::to_string(cols);
}

// Streams the rows through the unit and turns its outputs into the op's result.
RtlOpResult RunRows(const model::VectorCase& c, const model::OpPlan& plan, RowKind kind,
                    const RowConfig& cfg, std::int64_t cols, std::span<const std::int64_t> bias,
                    const RtlOptions& o) {
  const Rows rows = CaseRows(c, cols);
  auto unit = MakeRowUnit(kind, kShape, {.wave_path = o.wave_path});
  VectorRun r = unit->Run(cfg, cols, c.inputs.at("x").values, bias);
  const std::string module = std::string("ivit_") + RowKindName(kind);
  return {RtlOutputY(plan, std::move(r.y)), r.cycles, Note(module.c_str(), rows.size(), cols)};
}

RtlOpResult Run(const model::VectorCase& c, const model::OpPlan& plan, const model::ShiftmaxPlan& p,
                const RtlOptions& o) {
  const RowConfig cfg{.x0 = p.params.x0, .n = p.params.n, .out_bits = p.params.out_bits,
                      .div = p.params.div};
  return RunRows(c, plan, RowKind::kShiftmax, cfg, p.cols, {}, o);
}

RtlOpResult Run(const model::VectorCase& c, const model::OpPlan& plan,
                const model::ShiftGeluPlan& p, const RtlOptions& o) {
  const RowConfig cfg{.x0 = p.params.x0, .n = p.params.n, .out_bits = p.params.out_bits,
                      .div = p.params.div};
  return RunRows(c, plan, RowKind::kGelu, cfg, p.cols, {}, o);
}

RtlOpResult Run(const model::VectorCase& c, const model::OpPlan& plan,
                const model::LayerNormPlan& p, const RtlOptions& o) {
  // The unit's Newton register is VarW = 32 + Lg bits wide (ivit_layernorm.sv); the golden
  // model allows any sqrt_init below 2^62.
  const int var_w = 32 + kShape.Lg();
  if (p.params.sqrt_init >= (std::int64_t{1} << var_w)) {
    throw InputError(c.Where() + ": params: sqrt_init " + std::to_string(p.params.sqrt_init) +
                     " exceeds the layernorm unit's " + std::to_string(var_w) +
                     "-bit Newton register (--impl rtl); use --impl golden");
  }
  const RowConfig cfg{.div = p.params.div, .sqrt_iters = p.params.sqrt_iters,
                      .sqrt_init = p.params.sqrt_init};
  return RunRows(c, plan, RowKind::kLayerNorm, cfg, p.cols, p.params.bias_int, o);
}

}  // namespace

std::optional<RtlOpResult> RunNonlinearRtl(const model::VectorCase& c, const model::OpPlan& plan,
                                           const RtlOptions& options) {
  if (const auto* p = std::get_if<model::ShiftmaxPlan>(&plan.op)) return Run(c, plan, *p, options);
  if (const auto* p = std::get_if<model::ShiftGeluPlan>(&plan.op)) return Run(c, plan, *p, options);
  if (const auto* p = std::get_if<model::LayerNormPlan>(&plan.op)) return Run(c, plan, *p, options);
  return std::nullopt;
}

}  // namespace intvit::tb
