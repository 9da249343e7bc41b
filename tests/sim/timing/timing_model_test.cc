// The detailed formulas of docs/timing.md, checked against numbers worked out by hand.
#include "sim/timing/timing_model.h"

#include <gtest/gtest.h>

#include <vector>

#include "model/common/error.h"
#include "tests/sim/instr_builders.h"

namespace intvit::sim {
namespace {

using testing::Gemm;
using testing::Load;
using testing::Store;
using testing::Vector;

compiler::ArchConfig Base16() { return compiler::ArchConfig{}; }

TEST(DetailedGemm, WeightStationaryFoldsAndFillDrain) {
  // K=192 over R=16: 12 row folds; N=64 over C=16: 4 column folds -> 48 folds of
  // R + M + (R + C - 1) = 16 + 197 + 31 = 244 cycles.
  const GemmTiming t = DetailedGemm("ws", 16, 16, 197, 64, 192, 1);
  EXPECT_EQ(t.folds, 48);
  EXPECT_EQ(t.fold_cycles, 244);
  EXPECT_EQ(t.cycles, 11712);
}

TEST(DetailedGemm, OutputStationaryFoldsAndFillDrain) {
  // M=197 over R=16: 13 folds; N=64 over C=16: 4 -> 52 folds of K + (R + C - 1) + R =
  // 192 + 31 + 16 = 239.
  const GemmTiming t = DetailedGemm("os", 16, 16, 197, 64, 192, 1);
  EXPECT_EQ(t.folds, 52);
  EXPECT_EQ(t.fold_cycles, 239);
  EXPECT_EQ(t.cycles, 12428);
}

TEST(DetailedGemm, NonSquareArray) {
  // ws on 8 x 32: K=20 -> 3 row folds, N=70 -> 3 column folds; fold = 8 + 5 + 39 = 52.
  EXPECT_EQ(DetailedGemm("ws", 8, 32, 5, 70, 20, 1).cycles, 9 * 52);
  // os on 8 x 32: M=5 -> 1, N=70 -> 3; fold = 20 + 39 + 8 = 67.
  EXPECT_EQ(DetailedGemm("os", 8, 32, 5, 70, 20, 1).cycles, 3 * 67);
}

TEST(DetailedGemm, Uint16OperandStreamsTwoPlanes) {
  // Attention context: A is uint16 probabilities [197 x 197], B is V [197 x 64].
  const GemmTiming t = DetailedGemm(Base16(), Gemm(197, 64, 197, /*u16=*/true));
  EXPECT_EQ(t.a_passes, 2);
  EXPECT_EQ(t.folds, 13 * 4 * 2);
  EXPECT_EQ(t.cycles, 104 * 244);
}

TEST(DetailedGemm, IsIsOnlyForScalesim) {
  EXPECT_THROW(DetailedGemm("is", 16, 16, 4, 4, 4, 1), InputError);
}

TEST(GemmSramTraffic, WeightStationaryRereads) {
  const SramTraffic t = GemmSramTraffic(Base16(), Gemm(197, 64, 192));
  EXPECT_EQ(t.read[0], 4 * 197 * 192);       // A once per column fold
  EXPECT_EQ(t.read[1], 192 * 64);            // B once
  EXPECT_EQ(t.write[2], 12 * 197 * 64 * 4);  // partial sums once per K fold
  EXPECT_EQ(t.read[2], 11 * 197 * 64 * 4);   // read back by every fold but the first
}

TEST(VectorTiming, RequantOnePassPlusLatency) {
  // 197 rows of 64 on 16 lanes: 4 beats per row.
  const VectorTiming t = DetailedVector(Base16(), Vector(isa::Opcode::kRequant, 197, 64));
  EXPECT_EQ(t.beats, 788);
  EXPECT_EQ(t.cycles, 788 + 4);
}

TEST(VectorTiming, AddOnePassPlusLatency) {
  EXPECT_EQ(DetailedVector(Base16(), Vector(isa::Opcode::kAdd, 197, 192)).cycles, 197 * 12 + 1);
}

TEST(VectorTiming, ShiftmaxThreePassesAndOneDividePerRow) {
  // beats = 197 * ceil(197/16) = 2561; 3 passes; 6 latency; ceil(197/16) = 13 divider rounds
  // of 16 cycles.
  const VectorTiming t = DetailedVector(Base16(), Vector(isa::Opcode::kShiftmax, 197, 197));
  EXPECT_EQ(t.beats, 2561);
  EXPECT_EQ(t.divide_cycles, 208);
  EXPECT_EQ(t.cycles, 3 * 2561 + 6 + 208);
}

TEST(VectorTiming, GeluTwoPassesAndOneDividePerElement) {
  const VectorTiming t = DetailedVector(Base16(), Vector(isa::Opcode::kGelu, 197, 768));
  EXPECT_EQ(t.beats, 9456);
  EXPECT_EQ(t.divide_cycles, 9456 * 16);
  EXPECT_EQ(t.cycles, 2 * 9456 + 6 + 151296);
}

TEST(VectorTiming, LayerNormNewtonChainPerRow) {
  // 10 Newton steps + the final DIV / k = 11 divides per row, 13 rounds of 16 rows.
  const VectorTiming t = DetailedVector(Base16(), Vector(isa::Opcode::kLayernorm, 197, 192, 10));
  EXPECT_EQ(t.beats, 197 * 12);
  EXPECT_EQ(t.divide_cycles, 13 * 11 * 16);
  EXPECT_EQ(t.cycles, 3 * 2364 + 6 + 2288);
}

TEST(VectorTiming, LanesFromTheUnitsOwnConfig) {
  compiler::ArchConfig a;
  a.add.lanes = 4;
  a.add.latency_cycles = 3;
  EXPECT_EQ(DetailedVector(a, Vector(isa::Opcode::kAdd, 2, 10)).cycles, 2 * 3 + 3);
}

TEST(DetailedCompute, SramBoundWhenPortsAreScarce) {
  compiler::ArchConfig a;
  a.act.banks = 1;
  a.act.ports = 1;  // 16 bytes per cycle
  // add of 16 x 256 int16: reads 2 * 8192 and writes 8192 bytes of act = 1536 cycles, more
  // than the 16 * 16 + 1 = 257 compute cycles.
  const ComputeTiming t = DetailedCompute(a, Vector(isa::Opcode::kAdd, 16, 256));
  EXPECT_EQ(t.compute_cycles, 257);
  EXPECT_EQ(t.sram_cycles, 1536);
  EXPECT_EQ(t.cycles, 1536);
}

TEST(DetailedCompute, ComputeBoundOnBase16) {
  const ComputeTiming t = DetailedCompute(Base16(), Gemm(197, 64, 192));
  EXPECT_EQ(t.cycles, 11712);
  EXPECT_LT(t.sram_cycles, t.cycles);
}

TEST(ForEachBurst, ContiguousBlockIsOneSpanCutIntoBursts) {
  std::vector<std::uint64_t> sizes;
  ForEachBurst(Load(isa::Buffer::kAct, 3, 200), 256,
               [&](const Burst& b) { sizes.push_back(b.bytes); });
  EXPECT_EQ(sizes, (std::vector<std::uint64_t>{256, 256, 88}));
}

TEST(ForEachBurst, StridedRowsAreSeparateSpans) {
  std::vector<Burst> bursts;
  ForEachBurst(Load(isa::Buffer::kAct, 2, 300, /*dram_stride=*/1000, /*dst_stride=*/300,
                    /*dram_addr=*/64, /*dst_addr=*/8),
               256, [&](const Burst& b) { bursts.push_back(b); });
  ASSERT_EQ(bursts.size(), 4u);
  EXPECT_EQ(bursts[1].dram_addr, 64u + 256);
  EXPECT_EQ(bursts[1].bytes, 44u);
  EXPECT_EQ(bursts[2].dram_addr, 1064u);
  EXPECT_EQ(bursts[2].sram_addr, 308u);
}

TEST(IsolatedDmaCycles, BandwidthBoundWithEnoughBurstsInFlight) {
  // 16 bursts of 256 B at 16 B/cycle: 16 cycles each back to back; the last completes after
  // 100 cycles of latency and 1 SRAM cycle: 16 * 16 + 100 + 1.
  EXPECT_EQ(IsolatedDmaCycles(Base16(), Load(isa::Buffer::kAct, 16, 256)), 357);
  EXPECT_EQ(IsolatedDmaCycles(Base16(), Store(isa::Buffer::kAct, 16, 256)), 357);
}

TEST(IsolatedDmaCycles, LatencyBoundWithOneBurstInFlight) {
  compiler::ArchConfig a;
  a.dma_queue_depth = 1;
  EXPECT_EQ(IsolatedDmaCycles(a, Load(isa::Buffer::kAct, 16, 256)), 16 * (16 + 100 + 1));
}

TEST(IsolatedDmaCycles, StridedRows) {
  // 4 rows of 100 B: ceil(100/16) = 7 cycles each; last completes at 4*7 + 100 + 1.
  EXPECT_EQ(IsolatedDmaCycles(Base16(), Load(isa::Buffer::kAct, 4, 100, 192, 100)), 129);
}

TEST(TimingMode, ParsesBothNames) {
  EXPECT_EQ(ParseTimingMode("detailed"), TimingMode::kDetailed);
  EXPECT_EQ(ParseTimingMode("scalesim"), TimingMode::kScalesim);
  EXPECT_THROW(ParseTimingMode("fast"), InputError);
}

}  // namespace
}  // namespace intvit::sim
