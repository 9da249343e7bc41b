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
  const Ranges& r = spaces_[static_cast<int>(op.space)];
  auto it = r.upper_bound(lo);
  if (it != r.begin()) --it;
  for (; it != r.end() && it->first < hi; ++it) {
    const Entry& e = it->second;
    if (e.hi <= lo) continue;
    if (e.writer_unit >= 0) needs[e.writer_unit] = std::max(needs[e.writer_unit], e.writer_count);
    if (op.write) {
      for (int u = 0; u < isa::kNumUnits; ++u) needs[u] = std::max(needs[u], e.readers[u]);
    }
  }
}

void Emitter::SplitAt(Ranges& r, std::uint64_t addr) {
  auto it = r.upper_bound(addr);
  if (it == r.begin()) return;
  --it;
  if (it->first < addr && addr < it->second.hi) {
    Entry right = it->second;
    it->second.hi = addr;
    r.emplace(addr, right);
  }
}

void Emitter::Record(const Operand& op, int unit, std::uint32_t count) {
  Ranges& r = spaces_[static_cast<int>(op.space)];
  const std::uint64_t lo = op.addr, hi = op.End();
  SplitAt(r, lo);
  SplitAt(r, hi);
  if (op.write) {
    r.erase(r.lower_bound(lo), r.lower_bound(hi));
    Entry e;
    e.hi = hi, e.writer_unit = unit, e.writer_count = count;
    r.emplace(lo, e);
    return;
  }
  // Mark the reader on every range inside [lo, hi); cover the gaps with reader-only ranges.
  std::uint64_t at = lo;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> gaps;
  for (auto it = r.lower_bound(lo); it != r.end() && it->first < hi; ++it) {
    if (it->first > at) gaps.emplace_back(at, it->first);
    it->second.readers[unit] = std::max(it->second.readers[unit], count);
    at = it->second.hi;
  }
  if (at < hi) gaps.emplace_back(at, hi);
  for (const auto& [glo, ghi] : gaps) {
    Entry e;
    e.hi = ghi;
    e.readers[unit] = count;
    r.emplace(glo, e);
  }
}

Emitter::Clock Emitter::Known(int unit, std::uint32_t count) const {
  if (count == 0) return Clock{};
  Clock c = clocks_[unit][count - 1];
  c[unit] = std::max(c[unit], count);
  return c;
}

void Emitter::Append(isa::Instr instr, int unit,
                     const std::vector<std::pair<int, std::uint32_t>>& w) {
  std::uint64_t* units[] = {&instr.wait0_unit, &instr.wait1_unit, &instr.wait2_unit};
  std::uint64_t* counts[] = {&instr.wait0_count, &instr.wait1_count, &instr.wait2_count};
  Clock clock = Known(unit, issued_[unit]);
  for (std::size_t k = 0; k < 3; ++k) {
    *units[k] = k < w.size() ? static_cast<std::uint64_t>(w[k].first) : isa::kNoWaitUnit;
    *counts[k] = k < w.size() ? w[k].second : 0;
    if (k < w.size()) {
      const Clock c = Known(w[k].first, w[k].second);
      for (int u = 0; u < isa::kNumUnits; ++u) clock[u] = std::max(clock[u], c[u]);
    }
  }
  out_.push_back(instr);
  if (nodes_ != nullptr) nodes_->push_back(node_);
  clocks_[unit].push_back(clock);
  ++issued_[unit];
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
  // Drop the waits that the unit's previous instruction or another wait already implies.
  const Clock base = Known(unit, issued_[unit]);
  std::vector<std::pair<int, std::uint32_t>> waits;
  for (int u = 0; u < isa::kNumUnits; ++u) {
    if (needs[u] > base[u]) waits.emplace_back(u, needs[u]);
  }
  std::erase_if(waits, [&](const std::pair<int, std::uint32_t>& w) {
    for (const auto& other : waits) {
      if (other.first != w.first && Known(other.first, other.second)[w.first] >= w.second) {
        return true;
      }
    }
    return false;
  });
  std::size_t next = 0;
  while (waits.size() - next > 3) {
    isa::Instr sync;
    sync.opcode = static_cast<std::uint64_t>(isa::Opcode::kSync);
    sync.target_unit = static_cast<std::uint64_t>(unit);
    sync.layer = instr.layer;
    Append(sync, unit, {waits.begin() + next, waits.begin() + next + 3});
    next += 3;
  }
  Append(instr, unit, {waits.begin() + next, waits.end()});
  const std::uint32_t count = issued_[unit];
  for (const Operand& op : ops) {
    if (!op.write && Tracked(op)) Record(op, unit, count);
  }
  for (const Operand& op : ops) {
    if (op.write) Record(op, unit, count);
  }
  return out_.size() - 1;
}

}  // namespace intvit::compiler
