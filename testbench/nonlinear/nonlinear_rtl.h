// The nonlinear units behind `intvit op check|run --impl rtl`: shiftmax -> ivit_shiftmax,
// shiftgelu -> ivit_gelu, layernorm -> ivit_layernorm (rtl/nonlinear/), each Verilated once in
// the configuration below. A case streams its rows back to back through the unit; the cycle
// count runs from the first input beat to the last output beat, inclusive.
#pragma once

#include <cstdint>
#include <optional>

#include "model/exec/op_plan.h"
#include "testbench/nonlinear/unit_ports.h"
#include "testbench/rtl_backend.h"

namespace intvit::tb {

// The built configuration of the three units: 8 lanes, 4 quotient bits per divider cycle, rows
// of up to 4096 columns (DeiT-Base's and Swin-B's widest GELU rows are 3072 and 4096).
inline constexpr RowUnitShape kNonlinearRtlShape{.lanes = 8, .spc = 4, .max_cols = 4096};

// Runs the case on its nonlinear unit; nullopt if the op is not shiftmax, shiftgelu or
// layernorm. Throws InputError if the rows are longer than the unit's MaxCols, and
// std::runtime_error if the unit breaks its stream protocol.
std::optional<RtlOpResult> RunNonlinearRtl(const model::VectorCase& c, const model::OpPlan& plan,
                                           const RtlOptions& options);

}  // namespace intvit::tb
