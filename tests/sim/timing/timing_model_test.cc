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

compiler::ArchConfig Array(std::int64_t r, std::int64_t c, const char* dataflow = "ws",
                           std::int64_t tr = 1, std::int64_t tc = 1) {
  compiler::ArchConfig a;
  a.array_rows = r;
  a.array_cols = c;
  a.array_tile_rows = tr;
  a.array_tile_cols = tc;
  a.dataflow = dataflow;
  return a;
}

TEST(DetailedGemm, WeightStationaryFoldsOverlap) {
  // K=192 over R=16: 12 K folds; N=64 over C=16: 4 N folds -> F = 48 folds. Each fold after the
  // first starts max(M, MR + R) = max(197, 32) = 197 cycles after the previous one:
  // R + (F - 1) * 197 + M + MR + MC = 16 + 47 * 197 + 197 + 32 = 9504.
  const GemmTiming t = DetailedGemm(Base16(), Gemm(197, 64, 192));
  EXPECT_EQ(t.folds, 48);
  EXPECT_EQ(t.cycles, 9504);
}

TEST(DetailedGemm, OutputStationaryFoldsAndFillDrain) {
  // M=197 over R=16: 13 folds; N=64 over C=16: 4 -> 52 folds of K + (R + C - 1) + R =
  // 192 + 31 + 16 = 239.
  const GemmTiming t = DetailedGemm(Array(16, 16, "os"), Gemm(197, 64, 192));
  EXPECT_EQ(t.folds, 52);
  EXPECT_EQ(t.cycles, 52 * 239);
}

TEST(DetailedGemm, NonSquareArray) {
  // ws on 8 x 32: K=20 -> 3 K folds, N=70 -> 3 N folds; short folds (M = 5) are paced by the
  // weight load, MR + R = 16: 8 + 8 * 16 + 5 + (8 + 32) = 181.
  EXPECT_EQ(DetailedGemm(Array(8, 32), Gemm(5, 70, 20)).cycles, 181);
  // os on 8 x 32: M=5 -> 1, N=70 -> 3; fold = 20 + 39 + 8 = 67.
  EXPECT_EQ(DetailedGemm(Array(8, 32, "os"), Gemm(5, 70, 20)).cycles, 3 * 67);
}

TEST(DetailedGemm, TilesShortenThePipeline) {
  // 8 x 8 in 2 x 2 tiles: MR = MC = 4. K=20 -> 3, N=70 -> 9: 27 folds, period max(5, 4 + 8):
  // 8 + 26 * 12 + 5 + 8 = 333.
  EXPECT_EQ(DetailedGemm(Array(8, 8, "ws", 2, 2), Gemm(5, 70, 20)).cycles, 333);
}

TEST(DetailedGemm, Uint16OperandStreamsInOnePass) {
  // Attention context: A is uint16 probabilities [197 x 197], B is V [197 x 64]. The array's A
  // lanes are 17 bits wide, so the folds are as for int8: 13 * 4 = 52;
  // 16 + 51 * 197 + 197 + 32 = 10292.
  const GemmTiming t = DetailedGemm(Base16(), Gemm(197, 64, 197, /*u16=*/true));
  EXPECT_EQ(t.folds, 52);
  EXPECT_EQ(t.cycles, 10292);
}

TEST(DetailedGemm, EmptyReductionTakesOneFoldOfZeroWeights) {
  // K = 0: the bias still flows through one fold per N block: 16 + 32 + 4 + 32 = 84.
  const GemmTiming t = DetailedGemm(Base16(), Gemm(4, 20, 0));
  EXPECT_EQ(t.folds, 2);
  EXPECT_EQ(t.cycles, 84);
}

TEST(DetailedGemm, IsIsOnlyForScalesim) {
  EXPECT_THROW(DetailedGemm(Array(16, 16, "is"), Gemm(4, 4, 4)), InputError);
}

TEST(GemmSramTraffic, WeightStationaryRereads) {
  const SramTraffic t = GemmSramTraffic(Base16(), Gemm(197, 64, 192));
  EXPECT_EQ(t.read[0], 4 * 197 * 192);       // A once per column fold
  EXPECT_EQ(t.read[1], 192 * 64);            // B once
  EXPECT_EQ(t.write[2], 12 * 197 * 64 * 4);  // partial sums once per K fold
  EXPECT_EQ(t.read[2], 11 * 197 * 64 * 4);   // read back by every fold but the first
}

TEST(VectorTiming, RequantOneBeatPerCyclePlusPipeline) {
  // 197 rows of 64 on 16 lanes: 4 beats per row, then the 3-stage pipeline.
  const VectorTiming t = DetailedVector(Base16(), Vector(isa::Opcode::kRequant, 197, 64));
  EXPECT_EQ(t.beats, 788);
  EXPECT_EQ(t.cycles, 788 + 3);
}

TEST(VectorTiming, AddStreamsTheElementsInOrder) {
  // 197 * 192 = 37824 elements, 16 per beat, one register stage.
  EXPECT_EQ(DetailedVector(Base16(), Vector(isa::Opcode::kAdd, 197, 192)).cycles, 2364 + 1);
}

TEST(VectorTiming, ShiftmaxOneRowAtATime) {
  // base16's row units: 8 lanes, 4 quotient bits per cycle. B = ceil(197/8) = 25 beats,
  // D = ceil(32/4) = 8: latency 3 * 25 + 8 + 6 = 89 per row, rows every 90 cycles.
  const VectorTiming t = DetailedVector(Base16(), Vector(isa::Opcode::kShiftmax, 197, 197));
  EXPECT_EQ(t.beats, 197 * 25);
  EXPECT_EQ(t.row_latency, 89);
  EXPECT_EQ(t.cycles, 197 * 90);
}

TEST(VectorTiming, GeluOneDividePerElement) {
  // B = 96 beats, each D + 2 = 10 cycles in the dividers, + 2: 962 per row.
  const VectorTiming t = DetailedVector(Base16(), Vector(isa::Opcode::kGelu, 197, 768));
  EXPECT_EQ(t.row_latency, 962);
  EXPECT_EQ(t.cycles, 197 * 963);
}

TEST(VectorTiming, LayerNormNewtonChainPerRow) {
  // max_cols 4096: Lg = 12. B = 24; mean divide ceil(28/4) = 7; 10 Newton divides of
  // ceil(44/4) + 1 = 12; div / k 8; + 8: 3 * 24 + 7 + 120 + 8 + 8 = 215 per row.
  const VectorTiming t = DetailedVector(Base16(), Vector(isa::Opcode::kLayernorm, 197, 192, 10));
  EXPECT_EQ(t.beats, 197 * 24);
  EXPECT_EQ(t.row_latency, 215);
  EXPECT_EQ(t.cycles, 197 * 216);
}

TEST(VectorTiming, RowUnitParametersComeFromTheConfig) {
  compiler::ArchConfig a;
  a.layernorm.lanes = 3;
  a.layernorm.max_cols = 800;       // Lg = 10
  a.divider_bits_per_cycle = 3;     // D = 11
  // B = 64; mean ceil(26/3) = 9; Newton ceil(42/3) + 1 = 15; 3 * 64 + 9 + 10 * 15 + 11 + 8.
  EXPECT_EQ(DetailedVector(a, Vector(isa::Opcode::kLayernorm, 2, 192, 10)).row_latency, 370);
  EXPECT_EQ(DetailedVector(a, Vector(isa::Opcode::kLayernorm, 2, 192, 10)).cycles, 2 * 371);
}

TEST(VectorTiming, LanesFromTheUnitsOwnConfig) {
  compiler::ArchConfig a;
  a.add.lanes = 4;
  EXPECT_EQ(DetailedVector(a, Vector(isa::Opcode::kAdd, 2, 10)).cycles, 5 + 1);
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
  EXPECT_EQ(t.cycles, 9504);
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
