#include "compiler/lower/emitter.h"

#include <algorithm>

#include "compiler/isa/codec.h"

namespace intvit::compiler {

using isa::Operand;

bool Emitter::Tracked(const Operand& op) const {
  return !(op.space == isa::Space::kDram && !op.write && op.End() <= dram_read_only_end_);
}

void Emitter::AddNeeds(const Operand& op, std::array<std::uint32_t, isa::kNumUnits>& needs) const {
  const std::uint64_t lo = op.addr, hi = op.End();
  for (const Entry& e : spaces_[static_cast<int>(op.space)]) {
    if (e.hi <= lo || e.lo >= hi) continue;
    if (e.writer_unit >= 0) needs[e.writer_unit] = std::max(needs[e.writer_unit], e.writer_count);
    if (op.write) {
      for (int u = 0; u < isa::kNumUnits; ++u) needs[u] = std::max(needs[u], e.readers[u]);
    }
  }
}

void Emitter::Record(const Operand& op, int unit, std::uint32_t count) {
  auto& entries = spaces_[static_cast<int>(op.space)];
  const std::uint64_t lo = op.addr, hi = op.End();
  if (op.write) {
    std::erase_if(entries, [&](const Entry& e) { return e.lo >= lo && e.hi <= hi; });
    Entry e;
    e.lo = lo, e.hi = hi, e.writer_unit = unit, e.writer_count = count;
    entries.push_back(e);
    return;
  }
  bool any = false;
  for (Entry& e : entries) {
    if (e.hi <= lo || e.lo >= hi) continue;
    e.readers[unit] = std::max(e.readers[unit], count);
    any = true;
  }
  if (!any) {
    Entry e;
    e.lo = lo, e.hi = hi;
    e.readers[unit] = count;
    entries.push_back(e);
  }
}

std::size_t Emitter::Emit(isa::Instr instr) {
  instr.layer = static_cast<std::uint64_t>(layer_);
  const int unit = static_cast<int>(isa::UnitOf(instr));
  const std::vector<Operand> ops = isa::OperandsOf(instr);
  std::array<std::uint32_t, isa::kNumUnits> needs{};
  for (const Operand& op : ops) {
    if (Tracked(op)) AddNeeds(op, needs);
    if (op.space == isa::Space::kDram) {
      (op.write ? dram_write_ : dram_read_) += op.rows * op.row_bytes;
    }
  }
  needs[unit] = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> waits;
  for (int u = 0; u < isa::kNumUnits; ++u) {
    if (needs[u] > 0) waits.emplace_back(u, needs[u]);
  }
  auto set_waits = [](isa::Instr& i, const std::pair<std::uint64_t, std::uint64_t>* w, int n) {
    std::uint64_t* units[] = {&i.wait0_unit, &i.wait1_unit, &i.wait2_unit};
    std::uint64_t* counts[] = {&i.wait0_count, &i.wait1_count, &i.wait2_count};
    for (int k = 0; k < 3; ++k) {
      *units[k] = k < n ? w[k].first : isa::kNoWaitUnit;
      *counts[k] = k < n ? w[k].second : 0;
    }
  };
  std::size_t next = 0;
  while (waits.size() - next > 3) {
    isa::Instr sync;
    sync.opcode = static_cast<std::uint64_t>(isa::Opcode::kSync);
    sync.target_unit = static_cast<std::uint64_t>(unit);
    sync.layer = instr.layer;
    set_waits(sync, waits.data() + next, 3);
    next += 3;
    out_.push_back(sync);
    ++issued_[unit];
  }
  set_waits(instr, waits.data() + next, static_cast<int>(waits.size() - next));
  out_.push_back(instr);
  const std::uint32_t count = ++issued_[unit];
  for (const Operand& op : ops) {
    if (!op.write && Tracked(op)) Record(op, unit, count);
  }
  for (const Operand& op : ops) {
    if (op.write) Record(op, unit, count);
  }
  return out_.size() - 1;
}

}  // namespace intvit::compiler
