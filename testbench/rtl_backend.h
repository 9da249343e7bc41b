// The RTL implementation of intvit-vector-v1 cases: `intvit op check|run --impl rtl`. Each op
// with an RTL unit runs through its Verilated model (testbench/array, testbench/vector_units);
// the outputs are compared by the caller exactly as the golden backend's are, and Cycles() is
// the RTL cycle count of the last Run.
//
// Ops and units: requant -> ivit_requant (16 lanes); linear, matmul, conv_patch -> ivit_array
// (16x16 by default; conv_patch as im2col + the array, the im2col being the DMA's job);
// shiftmax, shiftgelu, layernorm -> ivit_shiftmax, ivit_gelu, ivit_layernorm
// (testbench/nonlinear/nonlinear_rtl.h). Other ops throw InputError naming the op, so the CLI
// exits 2 with a clear message.
//
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/exec/op_case.h"
#include "testbench/array/array_unit.h"

namespace intvit::tb {

// One op run on an RTL unit: its outputs (named as the op's spec names them, with the plan's
// shapes), the unit's cycle count and what the cycles are of ("ivit_requant, 16 lanes").
struct RtlOpResult {
  model::TensorMap outputs;
  std::int64_t cycles = 0;
  std::string note;
};

struct RtlOptions {
  std::string wave_path;  // VCD of the unit while it runs the case; "" for none
  ArrayGeometry array;    // any legal geometry; one not prebuilt is Verilated on first use
};

class RtlBackend final : public model::OpBackend {
 public:
  explicit RtlBackend(RtlOptions options = {});
  std::string_view Name() const override { return "rtl"; }
  model::TensorMap Run(const model::VectorCase& c) override;
  std::optional<std::int64_t> Cycles() const override { return cycles_; }
  std::string CyclesNote() const override { return note_; }

 private:
  RtlOptions options_;
  std::optional<std::int64_t> cycles_;
  std::string note_;
};

// The op's output "y" holding `values`: the plan's dtype when they all fit it, else int64 (as
// the golden backend does, so a value out of the declared range shows up as a mismatch).
model::TensorMap RtlOutputY(const model::OpPlan& plan, std::vector<std::int64_t> values);

// The ops that have an RTL unit, for messages: "requant, linear, matmul, conv_patch".
std::string RtlOpList();

}  // namespace intvit::tb
