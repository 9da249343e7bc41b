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
//   ws: folds = ceil(K/R) * ceil(N/C) * a_passes
//       fold  = R (weight load) + M (stream A rows) + (R + C - 1) (fill/drain)
//   os: folds = ceil(M/R) * ceil(N/C) * a_passes
//       fold  = K (stream A and B) + (R + C - 1) (fill/drain) + R (drain the R result rows)
//   cycles = folds * fold
// a_passes is 1 for int8 A and 2 for uint16 A (the low and high bytes stream as two int8 planes
// and the partial products are shifted and added in the accumulator).
struct GemmTiming {
  std::int64_t folds = 0, fold_cycles = 0, a_passes = 1, cycles = 0;
};
GemmTiming DetailedGemm(const std::string& dataflow, std::int64_t rows_r, std::int64_t cols_c,
                        std::int64_t m, std::int64_t n, std::int64_t k, std::int64_t a_passes);
GemmTiming DetailedGemm(const compiler::ArchConfig& a, const isa::Instr& gemm);
// SRAM traffic of a gemm, with the re-reads each dataflow needs:
//   ws: A read ceil(N/C) times; B once; acc written once per K fold and read back for every
//       fold but the first (and by the first too when accumulate is set); a bias row adds N*4.
//   os: A read ceil(N/C) times, B read ceil(M/R) times; acc written once (read if accumulate).
SramTraffic GemmSramTraffic(const compiler::ArchConfig& a, const isa::Instr& gemm);

// ---- Vector units ----------------------------------------------------------------------------
// Lanes never span two rows (tile rows are strided in SRAM), so one pass over a tile takes
// beats = rows * ceil(cols / lanes). Each lane owns one iterative divider (dividers = lanes)
// that takes divider.latency_cycles (D) per divide.
//   requant:   1 pass                                         + latency
//   add:       1 pass                                         + latency
//   gelu:      2 passes (row max; exp, sigmoid, multiply)     + latency + rows * ceil(cols/lanes) *
//   D
//              (one divide per element)
//   shiftmax:  3 passes (max; exp and sum; normalize)         + latency + ceil(rows/lanes) * D
//              (one divide per row)
//   layernorm: 3 passes (mean; variance; normalize)           + latency
//              + ceil(rows/lanes) * (steps + 1) * D   (steps Newton divides, then DIV / k, one
//              chain per row; rows spread over the dividers)
// sync, nop and finish take 0 cycles.
struct VectorTiming {
  std::int64_t beats = 0, passes = 0, latency = 0, divide_cycles = 0, cycles = 0;
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
