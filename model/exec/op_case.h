// Running an intvit-vector-v1 case: the backend interface, the golden backend, and turning the
// computed outputs into a case to write. The RTL harness adds a second OpBackend that drives a
// Verilated unit; `intvit op check|run --impl` picks one.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model/exec/op_plan.h"
#include "model/io/vector_case.h"

namespace intvit::model {

// Computes the outputs of one case. Implementations take the case as read (inputs as int64
// values, params with defaults filled in) and return every output of the op, named as the
// op's spec names them, with the shape PlanCase gives.
class OpBackend {
 public:
  virtual ~OpBackend() = default;
  // "golden", "rtl", ...: printed in reports and stamped in meta.impl by `op run`.
  virtual std::string_view Name() const = 0;
  // Throws InputError for a malformed case (the same messages as PlanCase).
  virtual TensorMap Run(const VectorCase& c) = 0;
  // The cycle count of the last Run, for backends that count cycles (the RTL); nullopt for
  // the golden model, which has no notion of time.
  virtual std::optional<std::int64_t> Cycles() const { return std::nullopt; }
  // What those cycles are of, e.g. "ivit_array 16x16, 144 folds"; empty without Cycles().
  virtual std::string CyclesNote() const { return {}; }
};

// The golden model: PlanCase, then the model/ops function of the op. Outputs carry the op's
// natural dtype (OutputSpec without a declaration), except shiftgelu, whose int32 results
// are stored as int16 when they fit. The values are exact whatever the dtype.
class GoldenBackend final : public OpBackend {
 public:
  std::string_view Name() const override { return "golden"; }
  TensorMap Run(const VectorCase& c) override;
};

// The backend for an --impl name; nullptr if there is none ("golden" for now).
std::unique_ptr<OpBackend> MakeOpBackend(std::string_view impl);

// The case with its outputs replaced by `actual`, each stored in its declared dtype, or, for an
// output the case does not declare, the first dtype of the op's spec (in the order natural,
// wider) that holds every value. Throws InputError when a declared dtype cannot hold a computed
// value ("<manifest>: outputs.y.dtype: int16 cannot hold 40000 at [2, 5]") or when `actual`
// lacks an output or has the wrong shape.
VectorCase WithOutputs(const VectorCase& c, const OpPlan& plan, const TensorMap& actual);

}  // namespace intvit::model
