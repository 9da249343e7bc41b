#include "compiler/lower/emitter.h"

#include <gtest/gtest.h>

#include "compiler/isa/codec.h"

namespace intvit::compiler {
namespace {

using isa::Buffer;
using isa::Instr;
using isa::Opcode;
using isa::Unit;

constexpr std::uint64_t U(Unit u) { return static_cast<std::uint64_t>(u); }

Instr Load(Buffer dst, std::uint64_t addr, std::uint64_t bytes) {
  Instr i{.opcode = static_cast<std::uint64_t>(Opcode::kLoad)};
  i.dst_buf = static_cast<std::uint64_t>(dst), i.dst_addr = addr;
  i.rows = 1, i.cols = bytes, i.dst_stride = bytes, i.dram_stride = bytes;
  i.dram_addr = 0x1000;
  return i;
}

Instr Store(Buffer src, std::uint64_t addr, std::uint64_t bytes, std::uint64_t dram) {
  Instr i{.opcode = static_cast<std::uint64_t>(Opcode::kStore)};
  i.src0_buf = static_cast<std::uint64_t>(src), i.src0_addr = addr;
  i.rows = 1, i.cols = bytes, i.src0_stride = bytes, i.dram_stride = bytes, i.dram_addr = dram;
  return i;
}

// A 1 x n gelu from act[src] to vec[dst].
Instr Gelu(std::uint64_t src, std::uint64_t dst, std::uint64_t n) {
  Instr i{.opcode = static_cast<std::uint64_t>(Opcode::kGelu)};
  i.src0_addr = src, i.dst_addr = dst, i.rows = 1, i.cols = n, i.src0_stride = n, i.dst_stride = n;
  i.imm = -10, i.exp_n = 23, i.out_bits = 8;
  return i;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> Waits(const Instr& i) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> w;
  for (auto [u, c] : {std::pair{i.wait0_unit, i.wait0_count}, std::pair{i.wait1_unit, i.wait1_count},
                      std::pair{i.wait2_unit, i.wait2_count}}) {
    if (u != isa::kNoWaitUnit) w.emplace_back(u, c);
  }
  return w;
}

TEST(Emitter, ReadAfterWriteWaitsForTheWriter) {
  std::vector<Instr> prog;
  Emitter e(prog, 0);
  e.Emit(Load(Buffer::kAct, 0, 64));
  e.Emit(Gelu(0, 0, 64));
  ASSERT_EQ(prog.size(), 2u);
  EXPECT_EQ(Waits(prog[1]), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{U(Unit::kLoad), 1}}));
}

TEST(Emitter, WriteAfterReadWaitsForTheReaderAndDisjointRangesDoNot) {
  std::vector<Instr> prog;
  Emitter e(prog, 0);
  e.Emit(Gelu(0, 0, 64));              // reads act[0, 64)
  e.Emit(Load(Buffer::kAct, 64, 64));  // disjoint
  e.Emit(Load(Buffer::kAct, 32, 64));  // overlaps the gelu's input
  EXPECT_TRUE(Waits(prog[1]).empty());
  EXPECT_EQ(Waits(prog[2]), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{U(Unit::kGelu), 1}}));
}

TEST(Emitter, SameUnitNeedsNoWaitAndImpliedWaitsAreDropped) {
  std::vector<Instr> prog;
  Emitter e(prog, 0);
  e.Emit(Load(Buffer::kAct, 0, 64));
  e.Emit(Gelu(0, 0, 64));                    // waits load>=1
  e.Emit(Load(Buffer::kAct, 0, 64));         // waits gelu>=1 (WAR)
  e.Emit(Store(Buffer::kVec, 0, 64, 0x2000));  // waits gelu>=1; load>=2 is not needed
  e.Emit(Gelu(0, 256, 64));                  // RAW on load 2; own-unit order implies nothing more
  EXPECT_EQ(Waits(prog[3]), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{U(Unit::kGelu), 1}}));
  EXPECT_EQ(Waits(prog[4]), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{U(Unit::kLoad), 2}}));
}

// The LayerNorm and requant of the four-producer tests: each writes its own part of vec.
Instr LayerNormAtVec128() {
  Instr ln{.opcode = static_cast<std::uint64_t>(Opcode::kLayernorm)};
  ln.src0_addr = 0x200, ln.dst_addr = 128, ln.aux_addr = 0x1000, ln.rows = 1, ln.cols = 8;
  ln.src0_stride = 8, ln.dst_stride = 8, ln.exp_n = 10, ln.imm = 65536;
  return ln;
}

Instr RequantToVec192() {
  Instr rq{.opcode = static_cast<std::uint64_t>(Opcode::kRequant)};
  rq.src0_buf = static_cast<std::uint64_t>(Buffer::kAcc), rq.dst_buf = static_cast<std::uint64_t>(Buffer::kVec);
  rq.dst_addr = 192, rq.rows = 1, rq.cols = 32, rq.src0_stride = 32, rq.dst_stride = 32;
  rq.src0_type = static_cast<std::uint64_t>(isa::ElemType::kI32);
  rq.dst_type = static_cast<std::uint64_t>(isa::ElemType::kI16);
  rq.aux_addr = 0x2000, rq.out_bits = 16;
  return rq;
}

TEST(Emitter, MoreThanThreeUnitsGetASyncOnTheSameUnit) {
  std::vector<Instr> prog;
  Emitter e(prog, 0);
  // Four independent producers write four parts of vec; one store reads all of them.
  e.Emit(Load(Buffer::kVec, 0, 64));
  e.Emit(Gelu(0x100, 64, 16));  // 64 bytes of i32
  const Instr ln = LayerNormAtVec128();
  e.Emit(ln);
  const Instr rq = RequantToVec192();
  e.Emit(rq);
  const std::size_t at = e.Emit(Store(Buffer::kVec, 0, 256, 0x4000));
  ASSERT_EQ(prog.size(), 6u);
  EXPECT_EQ(at, 5u);
  EXPECT_EQ(prog[4].opcode, static_cast<std::uint64_t>(Opcode::kSync));
  EXPECT_EQ(prog[4].target_unit, U(Unit::kStore));
  EXPECT_EQ(Waits(prog[4]).size() + Waits(prog[5]).size(), 4u);
  for (const Instr& i : prog) EXPECT_NO_THROW(isa::Encode(i));
}

TEST(Emitter, RecordsTheCurrentNodeOfEveryInstructionSyncsIncluded) {
  std::vector<Instr> prog;
  std::vector<std::int32_t> nodes;
  Emitter e(prog, 0, &nodes);
  // As above: the store needs a sync; both work for the store's node.
  e.SetNode(3);
  e.Emit(Load(Buffer::kVec, 0, 64));
  e.SetNode(4);
  e.Emit(Gelu(0x100, 64, 16));
  const Instr ln = LayerNormAtVec128();
  e.SetNode(5);
  e.Emit(ln);
  const Instr rq = RequantToVec192();
  e.SetNode(-1);
  e.Emit(rq);
  e.SetNode(7);
  e.Emit(Store(Buffer::kVec, 0, 256, 0x4000));
  ASSERT_EQ(prog.size(), 6u);
  ASSERT_EQ(prog[4].opcode, static_cast<std::uint64_t>(Opcode::kSync));
  EXPECT_EQ(nodes, (std::vector<std::int32_t>{3, 4, 5, -1, 7, 7}));
}

TEST(Emitter, ReadOnlyDramIsNotTracked) {
  std::vector<Instr> prog;
  Emitter e(prog, 0x10000);
  e.Emit(Load(Buffer::kAct, 0, 64));               // reads dram 0x1000: constant
  e.Emit(Store(Buffer::kAct, 0, 64, 0x20000));     // writes activation DRAM
  Instr again = Load(Buffer::kWgt, 0, 64);
  again.dram_addr = 0x20000;
  e.Emit(again);                                   // RAW through DRAM
  EXPECT_EQ(Waits(prog[2]), (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{U(Unit::kStore), 1}}));
  EXPECT_EQ(e.dram_read_bytes(), 128u);
  EXPECT_EQ(e.dram_write_bytes(), 64u);
}

}  // namespace
}  // namespace intvit::compiler
