#include "testbench/nonlinear/nonlinear_rtl.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "Vnl_gelu_l8s4.h"
#include "Vnl_layernorm_l8s4.h"
#include "Vnl_shiftmax_l8s4.h"
#include "model/common/error.h"
#include "testbench/nonlinear/row_stream.h"

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

// Streams the rows and turns the unit's outputs into the op's result.
template <class Ports, class Model>
RtlOpResult Finish(Dut<Model>& dut, const model::OpPlan& plan, const Rows& rows, const Rows* side,
                   const char* module, std::int64_t cols) {
  RowStream s = StreamRows<Ports>(dut, kShape.lanes, rows, {}, side);
  if (!s.error.empty()) throw std::runtime_error(std::string(module) + ": " + s.error);
  const std::int64_t cycles =
      rows.empty() ? 0 : static_cast<std::int64_t>(s.timing.last_out.back()) + 1;
  return {RtlOutputY(plan, Flatten(s.out)), cycles, Note(module, rows.size(), cols)};
}

RtlOpResult Run(const model::VectorCase& c, const model::OpPlan& plan, const model::ShiftmaxPlan& p,
                const RtlOptions& o) {
  const Rows rows = CaseRows(c, p.cols);
  Dut<Vnl_shiftmax_l8s4> dut(o.wave_path, 0);
  ConfigureShift(dut.m(), p.params);
  return Finish<ShiftmaxPorts<Vnl_shiftmax_l8s4, kShape.lanes>>(dut, plan, rows, nullptr,
                                                                "ivit_shiftmax", p.cols);
}

RtlOpResult Run(const model::VectorCase& c, const model::OpPlan& plan,
                const model::ShiftGeluPlan& p, const RtlOptions& o) {
  const Rows rows = CaseRows(c, p.cols);
  Dut<Vnl_gelu_l8s4> dut(o.wave_path, 0);
  ConfigureShift(dut.m(), p.params);
  return Finish<GeluPorts<Vnl_gelu_l8s4, kShape.lanes>>(dut, plan, rows, nullptr, "ivit_gelu",
                                                        p.cols);
}

RtlOpResult Run(const model::VectorCase& c, const model::OpPlan& plan,
                const model::LayerNormPlan& p, const RtlOptions& o) {
  const Rows rows = CaseRows(c, p.cols);
  // The unit's Newton register is VarW = 32 + Lg bits wide (ivit_layernorm.sv); the golden
  // model allows any sqrt_init below 2^62.
  const int var_w = 32 + kShape.Lg();
  if (p.params.sqrt_init >= (std::int64_t{1} << var_w)) {
    throw InputError(c.Where() + ": params: sqrt_init " + std::to_string(p.params.sqrt_init) +
                     " exceeds the layernorm unit's " + std::to_string(var_w) +
                     "-bit Newton register (--impl rtl); use --impl golden");
  }
  const Rows bias(rows.size(), p.params.bias_int);
  Dut<Vnl_layernorm_l8s4> dut(o.wave_path, 0);
  ConfigureLayerNorm(dut.m(), p.params.sqrt_iters, p.params.sqrt_init, p.params.div);
  return Finish<LayerNormPorts<Vnl_layernorm_l8s4, kShape.lanes>>(dut, plan, rows, &bias,
                                                                  "ivit_layernorm", p.cols);
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
