// The SystolicArray alone (a one-instruction program): the cycles of docs/timing.md.
#include "sim/units/systolic_array.h"

#include <gtest/gtest.h>

#include "tests/sim/instr_builders.h"
#include "tests/sim/run_program.h"

namespace intvit::sim {
namespace {

using namespace testing;

TEST(SystolicArray, WeightStationaryGemmTakesItsFormula) {
  // 48 overlapping folds: 16 + 47 * 197 + 197 + 32 (timing_model_test works it out).
  const ProgramRun r = RunProgram(compiler::ArchConfig{}, {Gemm(197, 64, 192)});
  EXPECT_EQ(r.total_cycles, 9504);
  EXPECT_EQ(r.records[0].start, 0);
  EXPECT_EQ(r.records[0].end, 9504);
  EXPECT_EQ(Stat(r.stats, "units.array.macs"), 197 * 64 * 192);
  EXPECT_EQ(Stat(r.stats, "units.array.busy_cycles"), 9504);
  EXPECT_EQ(Stat(r.stats, "units.array.folds"), 48);
  EXPECT_EQ(r.computed, (std::vector<std::size_t>{0}));
}

TEST(SystolicArray, OutputStationaryGemmTakesItsFormula) {
  compiler::ArchConfig a;
  a.dataflow = "os";
  EXPECT_EQ(RunProgram(a, {Gemm(197, 64, 192)}).total_cycles, 12428);
}

TEST(SystolicArray, TinyArray) {
  compiler::ArchConfig a;
  a.array_rows = a.array_cols = 4;
  // ws: ceil(10/4) = 3 K folds, ceil(6/4) = 2 N folds; period max(7, 4 + 4) = 8:
  // 4 + 5 * 8 + 7 + 8 = 59.
  EXPECT_EQ(RunProgram(a, {Gemm(7, 6, 10)}).total_cycles, 59);
}

TEST(SystolicArray, BackToBackGemmsSerialize) {
  const ProgramRun r = RunProgram(compiler::ArchConfig{}, {Gemm(16, 16, 16), Gemm(16, 16, 16)});
  // Each: 1 fold, 16 + 16 + 32 = 64 (one instruction's drain does not overlap the next fill).
  EXPECT_EQ(r.records[1].start, 64);
  EXPECT_EQ(r.total_cycles, 128);
}

TEST(SystolicArray, SramBoundWhenTheAccumulatorIsNarrow) {
  compiler::ArchConfig a;
  a.acc.banks = 1;
  a.acc.ports = 1;  // 16 bytes per cycle
  // Compute: 1 fold, 16 + 197 + 32 = 245 cycles. The accumulator takes 197 * 16 int32 =
  // 12608 bytes = 788 cycles, so the SRAM sets the pace.
  const ProgramRun r = RunProgram(a, {Gemm(197, 16, 16)});
  EXPECT_EQ(r.total_cycles, 788);
  EXPECT_EQ(Stat(r.stats, "units.array.sram_bound_cycles"), 788 - 245);
  EXPECT_EQ(Stat(r.stats, "sram.acc.write_bytes"), 12608);
}

}  // namespace
}  // namespace intvit::sim
