// The Verilated vector units (rtl/nonlinear/ivit_requant.sv, ivit_add.sv) behind C++ drivers
// (vector_driver.h; made by testbench/rtl_units.h).
// Each Run streams a whole tensor through the unit as fast as its handshakes allow (or with
// random bubbles and stalls, for tests) and returns the outputs and the RTL cycle count.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/ops/requant.h"
#include "sim/timing/unit_cycles.h"
#include "testbench/common/flow_control.h"

namespace intvit::tb {

struct VectorRun {
  std::vector<std::int64_t> y;
  std::int64_t cycles = 0;  // first input beat to last output beat, inclusive
};

inline constexpr int kRequantLatency = static_cast<int>(sim::kRequantPipeline);
inline constexpr int kAddLatency = static_cast<int>(sim::kAddPipeline);

// ivit_requant with Lanes() lanes (a build parameter). One beat is one row's `lanes`
// consecutive channels (a row of C channels takes ceil(C / lanes) beats); unused lanes carry
// zeros. One Verilated model for the unit's lifetime, reset once; see ArrayUnit for the time
// line.
class RequantUnit {
 public:
  virtual ~RequantUnit() = default;
  virtual int Lanes() const = 0;
  virtual void SetTimeBase(std::int64_t cycle, std::int64_t instr_index) = 0;
  // y as model::Requant computes it. Requires CheckRequantParams(p, channels) (checked here,
  // so that the model's code stays outside units built at run time), x.size() a multiple of
  // channels, res empty or x.size(), and res empty exactly when p has no residual.
  VectorRun Run(const model::RequantParams& p, std::int64_t channels,
                std::span<const std::int64_t> x, std::span<const std::int64_t> res,
                FlowControl flow = {}) {
    model::CheckRequantParams(p, channels);
    return RunChecked(p, channels, x, res, flow);
  }

 protected:
  virtual VectorRun RunChecked(const model::RequantParams& p, std::int64_t channels,
                               std::span<const std::int64_t> x, std::span<const std::int64_t> res,
                               FlowControl flow) = 0;
};
// rows * ceil(channels / lanes) + latency, without stalls.
std::int64_t RequantCyclesFormula(std::int64_t elements, std::int64_t channels, int lanes);

// ivit_add with Lanes() lanes: y = SaturateToInt16(a + b), elements in order, `lanes` per beat.
class AddUnit {
 public:
  virtual ~AddUnit() = default;
  virtual int Lanes() const = 0;
  virtual void SetTimeBase(std::int64_t cycle, std::int64_t instr_index) = 0;
  // a and b hold int16 values and have the same size.
  virtual VectorRun Run(std::span<const std::int64_t> a, std::span<const std::int64_t> b,
                        FlowControl flow = {}) = 0;
};
// ceil(elements / lanes) + latency.
std::int64_t AddCyclesFormula(std::int64_t elements, int lanes);

}  // namespace intvit::tb
