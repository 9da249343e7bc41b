// ComputeEnergy: events times the table's energies, summed by component and by layer.
#include "sim/energy/energy_model.h"

#include <gtest/gtest.h>

namespace intvit::sim {
namespace {

isa::Instr Op(isa::Opcode op) {
  isa::Instr in;
  in.opcode = static_cast<std::uint64_t>(op);
  return in;
}

TEST(EnergyModel, RowUnitsPayPerElementAndPerRow) {
  const TechTable& t = LoadTechTable("45nm");
  const compiler::ArchConfig a;
  InstrEvents e;
  e.elements = 197 * 197;
  e.rows = 197;
  const std::vector<double> pj = InstrEnergyPj(t, a, Op(isa::Opcode::kShiftmax), e);
  const auto& names = EnergyComponents();
  for (std::size_t c = 0; c < names.size(); ++c) {
    EXPECT_DOUBLE_EQ(pj[c], names[c] == "shiftmax" ? 197 * 197 * 6.6 + 197 * 10.7 : 0.0)
        << names[c];
  }
  // A residual requant pays both branches.
  InstrEvents r;
  r.elements = r.residual_elements = 10;
  r.rows = 1;
  EXPECT_EQ(names[7], "requant");  // mac, accumulator, sram_act/wgt/acc/vec, dram, requant
  EXPECT_DOUBLE_EQ(InstrEnergyPj(t, a, Op(isa::Opcode::kRequant), r)[7], 10 * 8.7 + 10 * 6.8);
}

TEST(EnergyModel, ComponentsAndLayersAddUpToTheTotal) {
  const TechTable& t = LoadTechTable("45nm");
  const compiler::ArchConfig a;
  std::vector<isa::Instr> instrs = {Op(isa::Opcode::kLoad), Op(isa::Opcode::kGemm),
                                    Op(isa::Opcode::kGelu), Op(isa::Opcode::kFinish)};
  std::vector<InstrEvents> ev(4);
  ev[0].dram_read = 1000, ev[0].sram_write[0] = 1000;
  ev[1].macs = 4096, ev[1].sram_read[0] = 300, ev[1].sram_read[1] = 256, ev[1].sram_write[2] = 1024;
  ev[2].elements = 512, ev[2].rows = 2, ev[2].sram_read[0] = 512, ev[2].sram_write[3] = 2048;
  const EnergyReport r = ComputeEnergy(t, a, instrs, ev, {0, 1, 1, -1}, {"x", "fc1", "unused"});
  EXPECT_EQ(r.table, "45nm");
  double sum = 0;
  for (const auto& [c, uj] : r.by_component_uj) sum += uj;
  EXPECT_NEAR(sum, r.total_uj, 1e-12);
  ASSERT_EQ(r.by_layer.size(), 3u);  // every node, none unattributed (finish spent nothing)
  EXPECT_EQ(r.by_layer[2].uj, 0.0);
  EXPECT_NEAR(r.by_layer[0].uj + r.by_layer[1].uj, r.total_uj, 1e-12);
  // x: the load alone: 1000 B of DRAM and of act writes (3.59375 pJ/B on base16).
  EXPECT_NEAR(r.by_layer[0].uj, (1000 * 162.5 + 1000 * 3.59375) * 1e-6, 1e-12);
  EXPECT_NEAR(r.by_component_uj.at("mac"), 4096 * 0.3e-6, 1e-15);
  EXPECT_NEAR(r.by_component_uj.at("gelu"), (512 * 16.8 + 2 * 0.3) * 1e-6, 1e-15);
  const nlohmann::json j = EnergyJson(r);
  EXPECT_EQ(j.at("by_layer").size(), 3u);
  EXPECT_EQ(j.at("by_component").size(), EnergyComponents().size());
  EXPECT_EQ(j.at("by_layer")[1].at("layer"), "fc1");
}

}  // namespace
}  // namespace intvit::sim
