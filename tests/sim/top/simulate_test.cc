// End to end: compiled ViTs through the TLM model, bit-exact against the golden model, with
// sanity properties of the timing (monotone in array size and DRAM bandwidth, utilization at
// most 100 %, layers.csv accounts for every MAC).
#include "sim/top/simulate.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <sstream>

#include "compiler/compile.h"
#include "model/common/error.h"
#include "model/graph/random_params.h"
#include "model/graph/vit_builder.h"
#include "sim/timing/scalesim.h"
#include "sim/top/report.h"
#include "sim/common/run_in_child.h"

namespace intvit::sim {
namespace {

std::string ArchPath(const std::string& name) {
  return std::string(INTVIT_SOURCE_DIR) + "/configs/arch/" + name + ".json";
}

struct Case {
  model::Graph graph;
  model::Tensor image;
  model::RunResult golden;
};

Case MakeCase(const std::string& preset, std::uint64_t seed) {
  const model::ModelConfig c = model::ModelPreset(preset);
  Case k{model::BuildVitGraph(c, model::RandomModelParams(c, seed)),
         model::RandomImage(c, seed + 1),
         {}};
  k.golden = model::RunReference(k.graph, k.image);
  return k;
}

struct SimRun {
  compiler::Program program;
  SimResult result;
};

SimRun SimulateOn(const Case& k, const compiler::ArchConfig& arch, SimOptions o = {}) {
  SimRun r{compiler::Compile(k.graph, arch), {}};
  r.result = Simulate(r.program, k.graph, k.image, k.golden.trace, o);
  return r;
}

void ExpectSane(const SimRun& run, const model::Graph& g) {
  const SimResult& r = run.result;
  EXPECT_TRUE(r.check.pass()) << r.check.FirstMismatchText();
  EXPECT_GT(r.total_cycles, 0);
  EXPECT_LE(StatValue(r.stats_json, "units.array.mac_utilization").get<double>(), 1.0);
  EXPECT_LE(StatValue(r.stats_json, "units.array.busy_mac_utilization").get<double>(), 1.0);
  for (int u = 0; u < isa::kNumUnits; ++u) {
    const std::string name(isa::UnitName(static_cast<isa::Unit>(u)));
    const double util = StatValue(r.stats_json, "units." + name + ".utilization").get<double>();
    EXPECT_GE(util, 0.0) << name;
    EXPECT_LE(util, 1.0) << name;
    EXPECT_GE(StatValue(r.stats_json, "units." + name + ".idle_cycles").get<std::int64_t>(), 0)
        << name;
  }
  EXPECT_LE(StatValue(r.stats_json, "dram.utilization").get<double>(), 1.0);
  const std::vector<LayerRow> rows = LayerRows(run.program, g, r);
  ASSERT_EQ(rows.size(), g.nodes.size());
  std::int64_t macs = 0;
  std::array<std::int64_t, isa::kNumUnits> unit_cycles{};
  for (const LayerRow& row : rows) {
    macs += row.macs;
    std::int64_t split = 0;
    for (int u = 0; u < isa::kNumUnits; ++u) {
      split += row.unit_cycles[static_cast<std::size_t>(u)];
      unit_cycles[static_cast<std::size_t>(u)] += row.unit_cycles[static_cast<std::size_t>(u)];
    }
    EXPECT_EQ(split, row.busy_cycles) << row.layer << ": cycles_<unit> do not add up";
    EXPECT_EQ(row.instr_macs, row.macs) << row.layer << ": gemm instructions attributed wrongly";
    EXPECT_LE(row.util_pct, 100.0) << row.layer;
    EXPECT_LE(row.end_cycle, r.total_cycles) << row.layer;
  }
  EXPECT_EQ(macs, g.TotalMacs());
  EXPECT_EQ(StatValue(r.stats_json, "units.array.macs").get<std::int64_t>(), g.TotalMacs());
  // layers.csv's cycles_<unit> columns account for every busy cycle of every unit (the finish
  // instruction, which works for no node, takes none).
  for (int u = 0; u < isa::kNumUnits; ++u) {
    const std::string name(isa::UnitName(static_cast<isa::Unit>(u)));
    EXPECT_EQ(unit_cycles[static_cast<std::size_t>(u)],
              StatValue(r.stats_json, "units." + name + ".busy_cycles").get<std::int64_t>())
        << name;
  }
}

TEST(Simulate, TinyTestModelIsBitExactOnBase16) {
  const Case k = MakeCase("vit-tiny-test", 1);
  SimOptions o;
  o.trace = true;
  const SimRun r = SimulateOn(k, compiler::LoadArchConfig(ArchPath("base16")), o);
  ExpectSane(r, k.graph);
  EXPECT_GT(r.result.trace.size(), r.program.instrs.size() / 2);
  // Every instruction ran and retired in order within its unit.
  for (const InstrRecord& rec : r.result.records) {
    EXPECT_GE(rec.start, rec.head);
    EXPECT_GE(rec.end, rec.start);
  }
}

TEST(Simulate, TinyTestModelIsBitExactOnEveryShippedConfig) {
  const Case k = MakeCase("vit-tiny-test", 2);
  for (const char* arch : {"tiny4", "wide8x32", "big32", "small_sram"}) {
    const std::string out = RunInChild([&] {
      const SimRun r = SimulateOn(k, compiler::LoadArchConfig(ArchPath(arch)));
      ExpectSane(r, k.graph);
      return std::string(r.result.check.pass() ? "pass" : r.result.check.FirstMismatchText());
    });
    EXPECT_EQ(out, "pass") << arch;
  }
}

TEST(Simulate, DeitTinyIsBitExactOnBase16) {
  const Case k = MakeCase("deit-tiny", 7);
  const SimRun r = SimulateOn(k, compiler::LoadArchConfig(ArchPath("base16")));
  ExpectSane(r, k.graph);
}

TEST(Simulate, DeitTinyIsBitExactOnTiny4) {
  const Case k = MakeCase("deit-tiny", 8);
  const SimRun r = SimulateOn(k, compiler::LoadArchConfig(ArchPath("tiny4")));
  ExpectSane(r, k.graph);
}

std::int64_t CyclesInChild(const Case& k, const compiler::ArchConfig& arch, SimOptions o = {}) {
  return std::stoll(RunInChild([&] {
    const SimRun r = SimulateOn(k, arch, o);
    if (!r.result.check.pass()) throw std::runtime_error(r.result.check.FirstMismatchText());
    return std::to_string(r.result.total_cycles);
  }));
}

TEST(Simulate, SmallerArrayNeverFinishesSooner) {
  const Case k = MakeCase("vit-tiny-test", 3);
  std::int64_t previous = 0;
  for (std::int64_t size : {32, 16, 8, 4}) {
    compiler::ArchConfig a = compiler::LoadArchConfig(ArchPath("base16"));
    a.array_rows = a.array_cols = size;
    const std::int64_t cycles = CyclesInChild(k, a);
    EXPECT_GE(cycles, previous) << size << "x" << size;
    previous = cycles;
  }
}

TEST(Simulate, HalvingDramBandwidthNeverSpeedsItUp) {
  const Case k = MakeCase("vit-tiny-test", 4);
  std::int64_t previous = 0;
  for (std::int64_t bpc : {64, 32, 16, 8, 4, 2, 1}) {
    compiler::ArchConfig a = compiler::LoadArchConfig(ArchPath("base16"));
    a.dram_bytes_per_cycle = bpc;
    const std::int64_t cycles = CyclesInChild(k, a);
    EXPECT_GE(cycles, previous) << bpc << " bytes/cycle";
    previous = cycles;
  }
}

TEST(Simulate, DeitTinyIsSlowerOnASmallerArrayAndWithHalfTheBandwidth) {
  const Case k = MakeCase("deit-tiny", 9);
  const compiler::ArchConfig base = compiler::LoadArchConfig(ArchPath("base16"));
  compiler::ArchConfig small = base, narrow = base;
  small.array_rows = small.array_cols = 8;
  narrow.dram_bytes_per_cycle = base.dram_bytes_per_cycle / 2;
  const std::int64_t cycles = CyclesInChild(k, base);
  EXPECT_GE(CyclesInChild(k, small), cycles);
  EXPECT_GE(CyclesInChild(k, narrow), cycles);
}

TEST(Simulate, QuantumOfOneCycleIsCloseToTheDefault) {
  const Case k = MakeCase("vit-tiny-test", 6);
  const compiler::ArchConfig a = compiler::LoadArchConfig(ArchPath("base16"));
  SimOptions exact;
  exact.quantum_cycles = 1;
  const auto ref = static_cast<double>(CyclesInChild(k, a, exact));
  const auto got = static_cast<double>(CyclesInChild(k, a));
  EXPECT_NEAR(got, ref, 0.01 * ref);
}

TEST(Simulate, ScalesimModeIsTheSumOfScalesimLayerCycles) {
  const Case k = MakeCase("vit-tiny-test", 5);
  for (const char* df : {"ws", "os", "is"}) {
    compiler::ArchConfig a = compiler::LoadArchConfig(ArchPath("base16"));
    a.dataflow = df;
    const std::string out = RunInChild([&] {
      SimOptions o;
      o.mode = TimingMode::kScalesim;
      const SimRun r = SimulateOn(k, a, o);
      std::int64_t expect = 0;
      for (const model::Node& n : k.graph.nodes) {
        const model::Graph::GemmDims d = k.graph.Dims(n);
        if (d.m > 0) expect += ScalesimCompute(df, 16, 16, d.m, d.n, d.k).total_cycles;
      }
      // layers.csv gives each GEMM node its SCALE-Sim cycles.
      for (const LayerRow& row : LayerRows(r.program, k.graph, r.result)) {
        if (row.macs == 0) continue;
        const ScalesimGemm sg = ScalesimCompute(df, 16, 16, row.m, row.n, row.k);
        if (row.cycles != sg.total_cycles) return row.layer + " has " + std::to_string(row.cycles);
        if (std::abs(row.util_pct - sg.overall_util_pct) > 1e-9) return row.layer + " util";
      }
      std::ostringstream os;
      os << r.result.total_cycles << " " << expect << " " << r.result.check.pass();
      return os.str();
    });
    std::istringstream is(out);
    std::int64_t got = 0, expect = 0;
    int pass = 0;
    is >> got >> expect >> pass;
    EXPECT_EQ(got, expect) << df;
    EXPECT_EQ(pass, 1) << df;
  }
}

TEST(Simulate, InstructionNodesComeFromTheProgramAndAreChecked) {
  const model::ModelConfig c = model::ModelPreset("vit-tiny-test");
  const model::Graph g = model::BuildVitGraph(c, model::RandomModelParams(c, 1));
  compiler::Program p = compiler::Compile(g, compiler::LoadArchConfig(ArchPath("tiny4")));
  const std::vector<int> nodes = InstructionNodes(p, g);
  EXPECT_EQ(nodes, std::vector<int>(p.instr_node.begin(), p.instr_node.end()));
  p.instr_node.back() = static_cast<std::int32_t>(g.nodes.size());
  EXPECT_THROW(InstructionNodes(p, g), InputError);
  p.instr_node.pop_back();
  EXPECT_THROW(InstructionNodes(p, g), InputError);
}

}  // namespace
}  // namespace intvit::sim
