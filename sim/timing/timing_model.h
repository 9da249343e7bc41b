// The timing formulas of the detailed model (docs/timing.md states each one; this file is
// their only implementation). Pure functions of the ArchConfig and one instruction: no SystemC,
// so tests can check them by hand, and the sc_modules in sim/units call them to know how long
// an instruction occupies its unit. Everything is in cycles.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "compiler/arch_config.h"
#include "compiler/isa/isa_generated.h"
#include "sim/timing/unit_cycles.h"

namespace intvit::sim {

enum class TimingMode { kDetailed, kScalesim };
// "detailed" or "scalesim"; throws InputError otherwise.
TimingMode ParseTimingMode(const std::string& name);
std::string_view TimingModeName(TimingMode m);

constexpr std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// ---- SRAM ------------------------------------------------------------------------------------
// Each port of each bank moves one word of kSramWordBytes per cycle, so a buffer moves
// banks * ports * kSramWordBytes bytes per cycle (256 for act in base16). Accesses are assumed
// spread evenly over the banks (no conflicts).
inline constexpr std::int64_t kSramWordBytes = 16;
std::int64_t SramBytesPerCycle(const compiler::SramConfig& s);
// Cycles the buffer needs to move `bytes` (0 for 0 bytes).
std::int64_t SramCycles(std::int64_t bytes, const compiler::SramConfig& s);

// Bytes an instruction reads and writes in each SRAM buffer (index: isa::Buffer).
struct SramTraffic {
  std::array<std::int64_t, isa::kNumBuffers> read{}, write{};
  std::int64_t total(int b) const { return read[b] + write[b]; }
};

// ---- Systolic array --------------------------------------------------------------------------
// A gemm instruction (M = rows, N = cols, K = depth) on an R x C array:
//   ws: the RTL's (unit_cycles.h, ArrayGemmCycles): folds = ceil(K/R) * ceil(N/C), and
//       cycles = R + (folds - 1) * max(M, R/TR + R) + M + R/TR + C/TC
//       (double-buffered weights: the next fold's tile loads while the current one streams).
//   os: folds = ceil(M/R) * ceil(N/C)
//       cycles = folds * (K (stream A and B) + (R + C - 1) (fill/drain) + R (drain the results))
//       (the TLM's own estimate: the RTL array is weight-stationary only)
// A uint16 A (the Shiftmax probabilities) streams in one pass: the array's A lanes are 17 bits.
// The array and row-unit parameters of `a` (ArchConfig is their one description).
ArrayShape ArrayShapeOf(const compiler::ArchConfig& a);
RowShape RowShapeOf(const compiler::ArchConfig& a, isa::Unit unit);  // shiftmax, gelu, layernorm
struct GemmTiming {
  std::int64_t folds = 0, cycles = 0;
};
GemmTiming DetailedGemm(const compiler::ArchConfig& a, const isa::Instr& gemm);
// SRAM traffic of a gemm, with the re-reads each dataflow needs:
//   ws: A read ceil(N/C) times; B once; acc written once per K fold and read back for every
//       fold but the first (and by the first too when accumulate is set); a bias row adds N*4.
//   os: A read ceil(N/C) times, B read ceil(M/R) times; acc written once (read if accumulate).
SramTraffic GemmSramTraffic(const compiler::ArchConfig& a, const isa::Instr& gemm);

// ---- Vector units ----------------------------------------------------------------------------
// The RTL's formulas (unit_cycles.h), with B = ceil(cols / lanes) and D = ceil(32 / S) for
// S = divider.bits_per_cycle:
//   requant:   rows * B + 3                         (3-stage pipeline, one beat per cycle)
//   add:       ceil(rows * cols / lanes) + 1
//   shiftmax:  rows * (3B + D + 7)                  (one row at a time, one divide per row)
//   gelu:      rows * (B (D + 2) + 3)               (lanes dividers, one divide per element)
//   layernorm: rows * (3B + Dm + steps (Dv + 1) + D + 9), Dm = ceil((16 + Lg) / S),
//              Dv = ceil((32 + Lg) / S), Lg = clog2(layernorm.max_cols)
// sync, nop and finish take 0 cycles.
struct VectorTiming {
  std::int64_t beats = 0, row_latency = 0, cycles = 0;
};
VectorTiming DetailedVector(const compiler::ArchConfig& a, const isa::Instr& instr);
// SRAM traffic of a non-gemm compute instruction: each operand once (isa::OperandsOf).
SramTraffic OperandSramTraffic(const isa::Instr& instr);

// The cycles a compute instruction occupies its unit in detailed mode: the larger of its
// compute cycles and, for each SRAM buffer it touches, SramCycles(read + write bytes).
struct ComputeTiming {
  std::int64_t compute_cycles = 0, sram_cycles = 0, cycles = 0;
  SramTraffic traffic;
};
ComputeTiming DetailedCompute(const compiler::ArchConfig& a, const isa::Instr& instr);

// ---- DMA and DRAM ----------------------------------------------------------------------------
// A load or store moves rows x cols bytes. When both sides are contiguous (strides == cols) the
// block is one span; otherwise each row is a span. Spans are cut into bursts of at most
// dma.max_burst_bytes. One burst holds the DRAM channel for ceil(bytes / dram.bytes_per_cycle)
// cycles and completes dram.latency_cycles later; the SRAM side then takes SramCycles(bytes).
// The DMA keeps up to dma.queue_depth bursts in flight.
struct Burst {
  std::uint64_t dram_addr = 0, sram_addr = 0, bytes = 0;
};
// Calls `f` for each burst of a load or store, in order.
void ForEachBurst(const isa::Instr& instr, std::int64_t max_burst_bytes,
                  const std::function<void(const Burst&)>& f);
std::int64_t DramTransferCycles(std::int64_t bytes, std::int64_t bytes_per_cycle);
// Cycles of a load or store that has the DRAM channel to itself (what the TLM model gives when
// nothing else runs): burst i is issued when burst i - queue_depth has completed, takes the
// channel for its transfer time after the previous one, and completes latency + SRAM cycles
// later; the result is the last completion.
std::int64_t IsolatedDmaCycles(const compiler::ArchConfig& a, const isa::Instr& instr);

}  // namespace intvit::sim
