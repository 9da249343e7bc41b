// Transactors of the co-simulation (docs/cosim.md): each runs one compute instruction of a
// Program on a Verilated RTL unit. It takes the instruction's operand tiles as the SRAM model
// holds them (TLM side: whole tiles, no bank timing), streams them into the unit's pins beat by
// beat through the unit's driver (pin side: valid/ready handshakes, one clock edge per cycle),
// and returns the tile the unit produced, packed as the instruction's destination operand holds
// it, with the unit's cycle count.
//
// The units' parameters come from the ArchConfig (array rows/cols/tiles, lanes, divider bits per
// cycle, row limits): a parameter set that is not prebuilt is Verilated on first use
// (testbench/rtl_units.h). What the RTL cannot take is an InputError naming the parameter.
//
// Not pin-level: the accumulator's add of a gemm with `accumulate` set (the array's partial sums
// are added to the accumulator tile here, modulo 2^32, as the accumulator's int32 adder does),
// the im2col of conv_patch (the DMA's job, done by the compiler's loads), and the SRAM reads and
// writes themselves.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/arch_config.h"
#include "compiler/isa/isa_generated.h"
#include "compiler/isa/operands.h"
#include "testbench/rtl_unit_options.h"

namespace intvit::tb {

// The bytes of every operand an instruction reads, packed row after row (rows x row_bytes),
// keyed by role ("A", "B", "bias", "acc", "src0", "params", ...: isa::OperandsOf).
using OperandTiles = std::map<std::string, std::vector<std::uint8_t>>;

struct TransactorResult {
  std::vector<std::uint8_t> dst;  // the destination tile, packed (rows x row_bytes)
  std::int64_t cycles = 0;        // the unit's cycles, first input beat to last output beat
};

class Transactor {
 public:
  virtual ~Transactor() = default;
  // Runs `instr` (program index `index`, starting at simulated cycle `cycle`) on the unit.
  virtual TransactorResult Run(const isa::Instr& instr, std::size_t index, std::int64_t cycle,
                               const OperandTiles& in) = 0;
  // What runs, for reports: "ivit_array 16x16", "ivit_gelu 8 lanes, 4 bits/cycle, MaxCols 4096".
  virtual std::string Description() const = 0;
};

// The transactor of `unit` (kArray, kRequant, kShiftmax, kGelu, kLayernorm, kAdd) built from
// `arch`. Throws InputError when the RTL cannot take the configuration (the array is
// weight-stationary only) or cannot be built (no Verilator, an unwritable cache).
std::unique_ptr<Transactor> MakeTransactor(const compiler::ArchConfig& arch, isa::Unit unit,
                                           const RtlUnitOptions& options = {});

// One transactor per unit on RTL (impl.<unit> = rtl in `arch`), indexed by isa::Unit; null for
// the others. `waves` gives a unit its waveform.
using RtlTransactors = std::array<std::unique_ptr<Transactor>, isa::kNumUnits>;
RtlTransactors MakeRtlTransactors(const compiler::ArchConfig& arch,
                                  const std::map<isa::Unit, RtlUnitOptions>& waves = {});

// The read operands of `instr` from the memories, packed (`memory(space)` gives their bytes).
template <class Memory>
OperandTiles ReadOperandTiles(const isa::Instr& instr, Memory&& memory) {
  OperandTiles tiles;
  for (const isa::Operand& op : isa::OperandsOf(instr)) {
    if (op.write) continue;
    const auto& mem = memory(op.space);
    std::vector<std::uint8_t>& t = tiles[op.role];
    t.resize(op.rows * op.row_bytes);
    for (std::uint64_t r = 0; r < op.rows; ++r) {
      const std::uint8_t* src = mem.data() + op.addr + r * op.pitch_bytes;
      std::copy(src, src + op.row_bytes, t.data() + r * op.row_bytes);
    }
  }
  return tiles;
}

// The written "dst" operand of an instruction.
isa::Operand DstOperand(const isa::Instr& instr);

// The element type of what `instr` writes (gemm int32, shiftmax uint16, gelu int32, layernorm
// int64, add int16, requant its dst_type).
isa::ElemType DstElemType(const isa::Instr& instr);

// Element `i` of a packed tile of `type`, sign- or zero-extended.
std::int64_t TileElement(const std::vector<std::uint8_t>& tile, isa::ElemType type, std::size_t i);

}  // namespace intvit::tb
