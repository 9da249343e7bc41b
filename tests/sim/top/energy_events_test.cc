// The TLM counts each instruction's energy events (sim/energy/energy_model.h), and the energy of
// a one-GEMM program on tiny4 at the 45nm table equals the figures worked by hand below.
#include <gtest/gtest.h>

#include "compiler/arch_config.h"
#include "sim/energy/energy_model.h"
#include "tests/sim/instr_builders.h"
#include "tests/sim/run_program.h"

namespace intvit::sim {
namespace {

using testing::Gemm;
using testing::Load;
using testing::RunProgram;
using testing::Stat;
using testing::Store;
using testing::Vector;
using testing::Wait;
constexpr int kAct = 0, kWgt = 1, kAcc = 2, kVec = 3;

// load A (8x8 int8), load B (8x4), gemm 8x4x8, requant 8x4 (acc -> act), store 8x4.
std::vector<isa::Instr> OneGemmProgram() {
  return {Load(isa::Buffer::kAct, 8, 8), Load(isa::Buffer::kWgt, 8, 4),
          Wait(Gemm(8, 4, 8), isa::Unit::kLoad, 2),
          Wait(Vector(isa::Opcode::kRequant, 8, 4), isa::Unit::kArray, 1),
          Wait(Store(isa::Buffer::kAct, 8, 4), isa::Unit::kRequant, 1)};
}

TEST(EnergyEvents, OneGemmProgramCountsWhatEachInstructionDoes) {
  const compiler::ArchConfig a = compiler::LoadArchConfig("tiny4");
  const testing::ProgramRun r = RunProgram(a, OneGemmProgram());
  ASSERT_EQ(r.events.size(), 5u);
  // Loads: DRAM bytes read, SRAM bytes written.
  EXPECT_EQ(r.events[0].dram_read, 64);
  EXPECT_EQ(r.events[0].sram_write[kAct], 64);
  EXPECT_EQ(r.events[1].dram_read, 32);
  EXPECT_EQ(r.events[1].sram_write[kWgt], 32);
  // gemm 8x4x8 on 4x4 ws: 256 MACs; A read ceil(4/4) = 1 time (64 B), B once (32 B); two K
  // folds: acc written 2 * 8*4*4 = 256 B and read back once (128 B).
  const InstrEvents& g = r.events[2];
  EXPECT_EQ(g.macs, 256);
  EXPECT_EQ(g.sram_read[kAct], 64);
  EXPECT_EQ(g.sram_read[kWgt], 32);
  EXPECT_EQ(g.sram_read[kAcc], 128);
  EXPECT_EQ(g.sram_write[kAcc], 256);
  EXPECT_EQ(g.dram_read + g.dram_write + g.elements, 0);
  // requant 8x4: 32 elements in 8 rows; int32 in (128 B), one 16 B parameter, int8 out.
  const InstrEvents& q = r.events[3];
  EXPECT_EQ(q.elements, 32);
  EXPECT_EQ(q.rows, 8);
  EXPECT_EQ(q.residual_elements, 0);
  EXPECT_EQ(q.sram_read[kAcc], 128);
  EXPECT_EQ(q.sram_read[kVec], 16);
  EXPECT_EQ(q.sram_write[kAct], 32);
  EXPECT_EQ(r.events[4].dram_write, 32);
  EXPECT_EQ(r.events[4].sram_read[kAct], 32);
  // The events add up to the SRAM and DRAM counters of the stats.
  for (int b = 0; b < isa::kNumBuffers; ++b) {
    std::int64_t rd = 0, wr = 0;
    for (const InstrEvents& e : r.events) rd += e.sram_read[b], wr += e.sram_write[b];
    const std::string name(isa::BufferName(static_cast<isa::Buffer>(b)));
    EXPECT_EQ(rd, Stat(r.stats, "sram." + name + ".read_bytes")) << name;
    EXPECT_EQ(wr, Stat(r.stats, "sram." + name + ".write_bytes")) << name;
  }
  EXPECT_EQ(Stat(r.stats, "units.array.macs"), 256);
}

TEST(EnergyEvents, OneGemmProgramEnergyMatchesTheHandWorkedFigures) {
  const compiler::ArchConfig a = compiler::LoadArchConfig("tiny4");
  const testing::ProgramRun r = RunProgram(a, OneGemmProgram());
  const std::vector<isa::Instr> program = OneGemmProgram();
  // Instructions 0-3 belong to node "fc", the store to node "out".
  const EnergyReport e = ComputeEnergy(LoadTechTable("45nm"), a, program, r.events,
                                       {0, 0, 0, 0, 1}, {"fc", "out"});
  // 45nm per byte (docs/energy.md): E(bank KiB) = 1.25 * sqrt(bank / 8) below 8 KiB, times
  // (1 + 0.05 log2 banks) (1 + 0.25 (ports - 1)). tiny4: act 32 KiB / 8 banks, 2 ports:
  // 1.25 * sqrt(1/2) * 1.15 * 1.25 = 1.270582; wgt 16/8, 1 port: 1.25 * 0.5 * 1.15 = 0.71875;
  // acc 16/8, 2 ports: 0.8984375; vec 16/4, 2 ports: 1.25 * sqrt(1/2) * 1.1 * 1.25 = 1.215340.
  const double pj[] = {
      256 * 0.3,                // mac: 76.8
      256 * 0.29,               // accumulator: 74.24
      192 * 1.2705824974445776,  // sram_act: 96 B read + 96 B written = 243.95
      64 * 0.71875,             // sram_wgt: 46
      16 * 1.2153397801643786,  // sram_vec: 19.45
      512 * 0.8984375,          // sram_acc: 256 read + 256 written = 460
      128 * 162.5,              // dram: 20800
      32 * 8.7};                // requant: 278.4
  const char* names[] = {"mac",      "accumulator", "sram_act", "sram_wgt",
                         "sram_vec", "sram_acc",    "dram",     "requant"};
  double total = 0;
  for (int i = 0; i < 8; ++i) {
    EXPECT_NEAR(e.by_component_uj.at(names[i]), pj[i] * 1e-6, 1e-15) << names[i];
    total += pj[i];
  }
  EXPECT_NEAR(total, 21998.837276, 1e-6);
  EXPECT_NEAR(e.total_uj, 0.021998837276, 1e-12);
  for (const char* unused : {"shiftmax", "gelu", "layernorm", "add"}) {
    EXPECT_EQ(e.by_component_uj.at(unused), 0.0) << unused;
  }
  // By layer: the store's DRAM write and act read are "out"'s; the rest is "fc"'s.
  ASSERT_EQ(e.by_layer.size(), 2u);
  EXPECT_EQ(e.by_layer[1].layer, "out");
  EXPECT_NEAR(e.by_layer[1].uj, (32 * 162.5 + 32 * 1.2705824974445776) * 1e-6, 1e-15);
  EXPECT_NEAR(e.by_layer[0].uj + e.by_layer[1].uj, e.total_uj, 1e-15);
  double sum = 0;
  for (const auto& [c, uj] : e.by_component_uj) sum += uj;
  EXPECT_NEAR(sum, e.total_uj, 1e-15);
}

}  // namespace
}  // namespace intvit::sim
