// Emitter: appends instructions to a program and gives each the dependency waits it needs
// (docs/isa.md "Dependency tokens", docs/compiler.md "Dependencies").
//
// For every memory space (the four SRAMs and DRAM) it keeps the byte ranges written so far,
// each with its last writer (unit, retired count) and, per unit, the latest reader since that
// write. An instruction waits for the writers of what it reads (RAW) and for the writers and
// readers of what it writes (WAW, WAR). Waits on the instruction's own unit are dropped: a unit
// retires its instructions in program order. The ranges are kept disjoint: a write replaces
// what it overlaps (splitting ranges at its ends), which is safe because the new writer itself
// waited for the old writers and readers, so waiting for it implies them. Operands are taken as
// their bounding boxes (OperandsOf), so the tracking may be conservative, never optimistic. Waits already implied are dropped: each instruction keeps a vector clock of the
// counts guaranteed retired when it starts (its unit's previous instruction, its waits and,
// transitively, theirs), and a wait covered by the clock of the unit's previous instruction or
// of another wait is redundant. When more than three units remain, `sync` instructions on the
// same unit carry the extra waits.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "compiler/isa/isa_generated.h"
#include "compiler/isa/operands.h"

namespace intvit::compiler {

class Emitter {
 public:
  // DRAM bytes below `dram_read_only_end` are constants that no instruction writes; reads of
  // them are not tracked.
  // `nodes`, when given, receives the current node (SetNode) of every instruction appended to
  // `out`, syncs included.
  Emitter(std::vector<isa::Instr>& out, std::uint64_t dram_read_only_end,
          std::vector<std::int32_t>* nodes = nullptr)
      : out_(out), nodes_(nodes), dram_read_only_end_(dram_read_only_end) {}

  void SetLayer(int layer) { layer_ = layer; }
  // The Graph node the next instructions work for (-1: none).
  void SetNode(int node) { node_ = node; }
  int node() const { return node_; }
  // Sets the instruction's layer and waits, appends it (after any syncs it needs, which work for
  // the same node) and records its accesses. Returns its index in the program.
  std::size_t Emit(isa::Instr instr);
  // DRAM bytes the emitted loads read and stores wrote so far.
  std::uint64_t dram_read_bytes() const { return dram_read_; }
  std::uint64_t dram_write_bytes() const { return dram_write_; }

 private:
  struct Entry {
    std::uint64_t hi = 0;  // the range is [key, hi)
    int writer_unit = -1;  // -1: no writer recorded (read-only use)
    std::uint32_t writer_count = 0;
    std::array<std::uint32_t, isa::kNumUnits> readers{};  // latest reader count per unit
  };

  using Clock = std::array<std::uint32_t, isa::kNumUnits>;
  // What is retired once instruction `count` (1-based) of `unit` has retired.
  Clock Known(int unit, std::uint32_t count) const;
  // Appends an instruction of `unit` with waits `w` (already pruned), recording its clock.
  void Append(isa::Instr instr, int unit, const std::vector<std::pair<int, std::uint32_t>>& w);

  void AddNeeds(const isa::Operand& op, std::array<std::uint32_t, isa::kNumUnits>& needs) const;
  void Record(const isa::Operand& op, int unit, std::uint32_t count);
  using Ranges = std::map<std::uint64_t, Entry>;
  // Splits the range containing `addr` (if any) into two at `addr`.
  static void SplitAt(Ranges& r, std::uint64_t addr);
  bool Tracked(const isa::Operand& op) const;

  std::vector<isa::Instr>& out_;
  std::vector<std::int32_t>* nodes_ = nullptr;
  std::uint64_t dram_read_only_end_;
  int layer_ = 0;
  int node_ = -1;
  std::array<std::uint32_t, isa::kNumUnits> issued_{};
  std::array<Ranges, isa::kNumSpaces> spaces_;
  std::array<std::vector<Clock>, isa::kNumUnits> clocks_;  // per unit, per instruction
  std::uint64_t dram_read_ = 0, dram_write_ = 0;
};

}  // namespace intvit::compiler
