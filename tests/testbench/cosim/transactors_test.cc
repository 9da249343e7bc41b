// The co-simulation's transactors, one instruction each on base16's units: the tile equals what
// the functional executor writes for the same instruction on the same SRAM contents, and the
// cycles are the hand-worked figures of docs/timing.md (sim/timing/unit_cycles.h).
#include "testbench/cosim/transactors.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "compiler/arch_config.h"
#include "compiler/isa/codec.h"
#include "model/common/error.h"
#include "sim/isa/machine.h"
#include "tests/sim/instr_builders.h"

namespace intvit::tb {
namespace {

using isa::Buffer;
using isa::ElemType;
using isa::Opcode;
using sim::testing::Gemm;
using sim::testing::Vector;

constexpr std::uint64_t kSrc = 0, kSrc1 = 0x8000, kAux = 0x10000, kDst = 0x18000;

// A base16 Machine with random bytes in every SRAM, and the requant/LayerNorm parameter tables
// made legal.
struct Bench {
  compiler::ArchConfig arch;
  sim::Machine m{arch, std::vector<std::uint8_t>(64)};
  explicit Bench(std::uint64_t seed = 1) {
    std::mt19937_64 rng(seed);
    for (int b = 0; b < isa::kNumBuffers; ++b) {
      for (auto& v : m.memory(static_cast<isa::Space>(b))) v = static_cast<std::uint8_t>(rng());
    }
  }
  template <class T>
  void Put(Buffer b, std::uint64_t addr, const std::vector<T>& v) {
    std::memcpy(m.memory(static_cast<isa::Space>(b)).data() + addr, v.data(), v.size() * sizeof(T));
  }
  // Runs `in` on its transactor; expects the executor's tile and returns the cycles.
  std::int64_t Check(const isa::Instr& in) {
    const OperandTiles tiles = ReadOperandTiles(
        in, [&](isa::Space s) -> const std::vector<std::uint8_t>& { return m.memory(s); });
    auto t = MakeTransactor(arch, isa::UnitOf(in));
    const TransactorResult got = t->Run(in, 7, 1000, tiles);
    sim::ExecuteInstruction(in, m, 7);
    const isa::Operand dst = DstOperand(in);
    std::vector<std::uint8_t> want(dst.rows * dst.row_bytes);
    for (std::uint64_t r = 0; r < dst.rows; ++r) {
      std::memcpy(want.data() + r * dst.row_bytes,
                  m.memory(dst.space).data() + dst.addr + r * dst.pitch_bytes, dst.row_bytes);
    }
    EXPECT_EQ(got.dst, want) << t->Description();
    return got.cycles;
  }
};

TEST(ArrayTransactor, LinearTileTakesTheFoldFormula) {
  // M = 5, N = 24, K = 32 on 16 x 16: 2 K folds x 2 N blocks = 4 folds, each after the first
  // max(5, 16 + 16) = 32 cycles later: 16 + 3 * 32 + 5 + 32 = 149.
  Bench b;
  isa::Instr g = Gemm(5, 24, 32);
  g.src0_addr = kSrc, g.src1_addr = kSrc1, g.dst_addr = kDst;
  g.bias = 1, g.aux_addr = kAux;
  b.Put(Buffer::kAcc, kAux, std::vector<std::int32_t>(24, -1000));
  EXPECT_EQ(b.Check(g), 149);
}

TEST(ArrayTransactor, AccumulateAddsTheAccumulatorTile) {
  // uint16 A (attention probabilities), B as [K][N], added to what the accumulator holds:
  // one fold, 16 + 3 + 32 = 51.
  Bench b;
  isa::Instr g = Gemm(3, 8, 10, /*u16=*/true);
  g.src0_addr = kSrc, g.src1_addr = kSrc1, g.dst_addr = kDst, g.b_kn = 1, g.src1_stride = 8;
  g.accumulate = 1;
  std::vector<std::uint16_t> a(30);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::uint16_t>(i * 2111);
  b.Put(Buffer::kAct, kSrc, a);
  b.Put(Buffer::kAcc, kDst, std::vector<std::int32_t>(24, 123456));
  EXPECT_EQ(b.Check(g), 51);
}

TEST(RequantTransactor, PerChannelRowsOfTwoBeats) {
  // 3 rows of 20 channels on 16 lanes: 2 beats per row, then the 3-stage pipeline: 9.
  Bench b;
  isa::Instr r = Vector(Opcode::kRequant, 3, 20);
  r.src0_addr = kSrc, r.dst_addr = kDst, r.aux_addr = kAux, r.per_channel = 1;
  std::vector<std::int64_t> pairs;
  for (int c = 0; c < 20; ++c) pairs.insert(pairs.end(), {1'500'000'000 + c * 1000, 38 + c % 3});
  b.Put(Buffer::kVec, kAux, pairs);
  EXPECT_EQ(b.Check(r), 9);
}

TEST(RowTransactors, ShiftmaxGeluLayerNormOnBase16sRowUnits) {
  // base16's row units: 8 lanes, 4 quotient bits per cycle (D = 8), MaxCols 4096 (Lg = 12).
  Bench b;
  isa::Instr sm = Vector(Opcode::kShiftmax, 2, 10, 15);
  sm.src0_addr = kSrc, sm.dst_addr = kDst, sm.imm = -47, sm.out_bits = 16;
  // B = 2: 3 * 2 + 8 + 6 = 20 per row, rows 21 apart.
  EXPECT_EQ(b.Check(sm), 2 * 21);

  isa::Instr ge = Vector(Opcode::kGelu, 1, 16, 23);
  ge.src0_addr = kSrc, ge.dst_addr = kDst, ge.imm = -60, ge.out_bits = 8;
  // B = 2 beats of D + 2 = 10 cycles, + 2: 22, and 1 for the row.
  EXPECT_EQ(b.Check(ge), 23);

  isa::Instr ln = Vector(Opcode::kLayernorm, 2, 8, 10);
  ln.src0_addr = kSrc, ln.dst_addr = kDst, ln.aux_addr = kAux, ln.imm = 65536;
  b.Put(Buffer::kVec, kAux, std::vector<std::int64_t>{-5, 0, 7, 1 << 20, -3, 2, 1, 9});
  // B = 1: 3 + 7 (mean) + 10 * 12 (Newton) + 8 (div / k) + 8 = 146 per row.
  EXPECT_EQ(b.Check(ln), 2 * 147);
}

TEST(AddTransactor, ElementsInOrderSixteenPerBeat) {
  // 40 int16 elements: 3 beats + 1 register stage.
  Bench b;
  isa::Instr a = Vector(Opcode::kAdd, 2, 20);
  a.src0_addr = kSrc, a.src1_addr = kSrc1, a.dst_addr = kDst;
  EXPECT_EQ(b.Check(a), 4);
}

TEST(Transactors, TheRtlArrayIsWeightStationaryOnly) {
  compiler::ArchConfig a;
  a.dataflow = "os";
  try {
    MakeTransactor(a, isa::Unit::kArray);
    FAIL() << "an os array was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("array.dataflow = ws"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace intvit::tb
