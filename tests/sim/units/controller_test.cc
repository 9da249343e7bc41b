// The Controller: in-order queues, dependency tokens, bounded queue depth, finish.
#include "sim/units/controller.h"

#include <gtest/gtest.h>

#include "tests/sim/instr_builders.h"
#include "tests/sim/run_program.h"

namespace intvit::sim {
namespace {

using namespace testing;

TEST(Controller, IndependentUnitsOverlap) {
  // A load (357 cycles) and a gemm (64 cycles) with no waits run at the same time; the gemm is
  // issued one cycle after the load.
  const ProgramRun r =
      RunProgram(compiler::ArchConfig{}, {Load(isa::Buffer::kAct, 16, 256), Gemm(16, 16, 16)});
  EXPECT_EQ(r.records[1].start, 1);
  EXPECT_EQ(r.total_cycles, 357);
}

TEST(Controller, WaitsSerializeProducerAndConsumer) {
  // load -> gemm (waits load >= 1) -> store (waits array >= 1).
  const std::vector<isa::Instr> p = {
      Load(isa::Buffer::kAct, 16, 256),
      Wait(Gemm(16, 16, 16), isa::Unit::kLoad, 1),
      Wait(Store(isa::Buffer::kAcc, 16, 64), isa::Unit::kArray, 1),
  };
  const ProgramRun r = RunProgram(compiler::ArchConfig{}, p);
  EXPECT_EQ(r.records[1].start, 357);
  EXPECT_EQ(r.records[1].end, 357 + 64);
  EXPECT_EQ(r.records[2].start, 421);
  // 1024 bytes: 4 bursts of 256 -> 1 SRAM cycle, 4 * 16 transfer, 100 latency.
  EXPECT_EQ(r.total_cycles, 421 + 1 + 64 + 100);
  EXPECT_EQ(Stat(r.stats, "units.array.stall_cycles"), 357 - 1);
}

TEST(Controller, SyncCarriesExtraWaits) {
  const std::vector<isa::Instr> p = {
      Load(isa::Buffer::kAct, 16, 256),
      Wait(Sync(isa::Unit::kArray), isa::Unit::kLoad, 1),
      Gemm(16, 16, 16),
  };
  const ProgramRun r = RunProgram(compiler::ArchConfig{}, p);
  EXPECT_EQ(r.records[2].start, 357);
  EXPECT_EQ(Stat(r.stats, "units.array.instructions"), 2);
}

TEST(Controller, FinishRetiresAfterEveryUnitDrains) {
  const std::vector<isa::Instr> p = {Gemm(16, 16, 16), Finish()};
  const ProgramRun r = RunProgram(compiler::ArchConfig{}, p);
  EXPECT_EQ(r.records[1].end, 64);
}

TEST(Controller, FullQueueBlocksIssue) {
  compiler::ArchConfig a;
  a.controller_queue_depth = 1;
  // Three gemms of 64 cycles and then a load: with one queue slot the Controller holds the
  // third gemm until the array takes the second one at cycle 64, and issues the load after it.
  const std::vector<isa::Instr> p = {Gemm(16, 16, 16), Gemm(16, 16, 16), Gemm(16, 16, 16),
                                     Load(isa::Buffer::kAct, 1, 16)};
  const ProgramRun r = RunProgram(a, p);
  EXPECT_EQ(r.records[2].dispatch, 64);
  EXPECT_EQ(r.records[3].dispatch, 65);
  EXPECT_GT(Stat(r.stats, "controller.issue_stall_cycles"), 0);
  EXPECT_EQ(r.total_cycles, 192);
}

TEST(Controller, ReportsADeadlockedProgram) {
  // A wait on an instruction that never exists.
  const std::vector<isa::Instr> p = {Wait(Gemm(16, 16, 16), isa::Unit::kLoad, 5)};
  EXPECT_THROW(RunProgram(compiler::ArchConfig{}, p), std::runtime_error);
}

}  // namespace
}  // namespace intvit::sim
