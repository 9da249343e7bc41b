// The DMA queues alone and together: bursts, bytes in flight, the shared DRAM channel.
#include "sim/units/dma.h"

#include <gtest/gtest.h>

#include "model/common/error.h"
#include "tests/sim/instr_builders.h"
#include "tests/sim/run_program.h"

namespace intvit::sim {
namespace {

using namespace testing;

TEST(Dma, LoadIsBandwidthBoundWithEnoughBurstsInFlight) {
  // 16 bursts of 256 B: 16 * 16 transfer + 100 latency + 1 SRAM cycle.
  const ProgramRun r = RunProgram(compiler::ArchConfig{}, {Load(isa::Buffer::kAct, 16, 256)});
  EXPECT_EQ(r.total_cycles, 357);
  EXPECT_EQ(Stat(r.stats, "units.load.bursts"), 16);
  EXPECT_EQ(Stat(r.stats, "dram.read_bytes"), 4096);
  EXPECT_EQ(Stat(r.stats, "sram.act.dma_write_bytes"), 4096);
  EXPECT_EQ(Stat(r.stats, "dram.busy_cycles"), 256);
}

TEST(Dma, LoadIsLatencyBoundWithOneBurstInFlight) {
  compiler::ArchConfig a;
  a.dma_queue_depth = 1;
  EXPECT_EQ(RunProgram(a, {Load(isa::Buffer::kAct, 16, 256)}).total_cycles, 16 * 117);
}

TEST(Dma, MatchesTheIsolatedFormulaForStridedTiles) {
  compiler::ArchConfig a;
  const isa::Instr in = Load(isa::Buffer::kWgt, 24, 100, 700, 128);
  EXPECT_EQ(RunProgram(a, {in}).total_cycles, IsolatedDmaCycles(a, in));
}

TEST(Dma, QuantumSmallerThanTheInstructionGivesTheSameCycles) {
  compiler::ArchConfig a;
  const isa::Instr in = Load(isa::Buffer::kAct, 64, 1024);  // 256 bursts, 4197 cycles
  TopOptions o;
  o.quantum_cycles = 10;
  EXPECT_EQ(RunProgram(a, {in}, o).total_cycles, IsolatedDmaCycles(a, in));
}

TEST(Dma, StoreMovesBytesFromSramToDram) {
  const ProgramRun r = RunProgram(compiler::ArchConfig{}, {Store(isa::Buffer::kVec, 16, 256)});
  // vec moves 4 * 2 * 16 = 128 bytes per cycle: 2 SRAM cycles before the first transfer.
  EXPECT_EQ(r.total_cycles, 2 + 256 + 100);
  EXPECT_EQ(Stat(r.stats, "dram.write_bytes"), 4096);
  EXPECT_EQ(Stat(r.stats, "sram.vec.dma_read_bytes"), 4096);
}

TEST(Dma, LoadAndStoreShareTheDramChannel) {
  compiler::ArchConfig a;
  const isa::Instr ld = Load(isa::Buffer::kAct, 16, 256, 0, 0, 0, 0);
  const isa::Instr st = Store(isa::Buffer::kAcc, 16, 256, 8192, 0);
  const std::int64_t alone = IsolatedDmaCycles(a, ld);
  const ProgramRun r = RunProgram(a, {ld, st});
  // Both start at once (different queues); the channel carries 512 cycles of transfers.
  EXPECT_GE(r.total_cycles, 512 + 100);
  EXPECT_GT(r.total_cycles, alone);
  EXPECT_EQ(Stat(r.stats, "dram.busy_cycles"), 512);
}

TEST(Dma, OutOfRangeDramAddressNamesTheInstruction) {
  compiler::ArchConfig a;
  isa::Instr ld = Load(isa::Buffer::kAct, 1, 64);
  ld.dram_addr = (1 << 20) - 32;  // the fake DRAM is 1 MiB
  try {
    RunProgram(a, {ld});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("instruction 0 (load): DRAM"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace intvit::sim
