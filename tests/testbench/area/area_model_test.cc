// The area model: yosys `stat` parsing, the cells-to-mm2 conversion and lane extrapolation with
// counts of our own (no yosys), and with yosys itself the cache and a monotonic check on small
// arrays (skipped where yosys is missing). The synthesized counts are cached in the build tree,
// so a second ctest run pays nothing.
#include "testbench/area/area_model.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "model/common/error.h"
#include "testbench/dynamic/subprocess.h"

namespace intvit::tb::area {
namespace {

namespace fs = std::filesystem;

constexpr double kNand2Um2 = 0.798, kUtilization = 0.7;

// Counts of our own: the array 1000 NAND2 per PE plus 50 flip-flops; a lane unit 100 + 50 per
// lane; row units also a memory cell (priced as SRAM, not as logic).
CellCounts FakeCounts(const SynthSpec& s) {
  auto param = [&](const std::string& name) {
    for (const std::string& p : s.params) {
      if (p.rfind(name + "=", 0) == 0) return std::stoll(p.substr(name.size() + 1));
    }
    return 0LL;
  };
  CellCounts c;
  if (s.kind == "array") {
    c.cells = {{"$_NAND_", 1000 * param("R") * param("C")}, {"$_DFF_P_", 50}};
  } else {
    c.cells = {{"$_NAND_", 100 + 50 * param("Lanes")}};
    if (s.keep_memory) c.cells["$mem_v2"] = 1;
  }
  return c;
}

TEST(AreaModel, ComponentsSumToTheTotalWithHandWorkedLogic) {
  const compiler::ArchConfig a = compiler::LoadArchConfig("tiny4");
  const AreaReport r = EstimateArea(a, FakeCounts);
  EXPECT_EQ(r.table, "45nm");
  double sum = 0;
  for (const auto& [c, mm2] : r.by_component_mm2) sum += mm2;
  EXPECT_NEAR(sum, r.total_mm2, 1e-12);
  EXPECT_EQ(r.by_component_mm2.size(), 10u);
  // array 4x4: 16000 NAND2 (1 GE) + 50 DFF (5.67 GE) = 16283.5 GE.
  EXPECT_NEAR(r.by_component_mm2.at("array"), 16283.5 * kNand2Um2 / kUtilization / 1e6, 1e-12);
  // requant, 4 lanes > 2: synthesized at 1 and 2 lanes (150, 200 cells), extrapolated to 300.
  EXPECT_EQ(r.units[1].component, "requant");
  EXPECT_DOUBLE_EQ(r.units[1].cells, 300);
  EXPECT_EQ(r.units[1].synthesized, "lanes 1, 2 extrapolated to 4");
  // add: always exact (4 lanes: 300 cells).
  EXPECT_EQ(r.units[5].synthesized, "exact");
  EXPECT_DOUBLE_EQ(r.units[5].cells, 300);
  // layernorm's row buffer: ceil(4096 / 4) * 4 lanes * 16 bits, one 8 KiB bank: efficiency 0.5.
  EXPECT_EQ(r.units[4].memory_bits, 65536);
  EXPECT_NEAR(r.units[4].memory_mm2, 65536 * 0.346 / 0.5 / 1e6, 1e-12);
  const nlohmann::json j = AreaJson(r);
  EXPECT_DOUBLE_EQ(j.at("total_mm2").get<double>(), r.total_mm2);
  EXPECT_EQ(j.at("by_component").size(), 10u);
}

TEST(AreaModel, MoreSramNeverLessAreaAndABiggerArrayMoreLogic) {
  double last = 0;
  for (int kib : {16, 32, 64, 128, 256}) {
    const compiler::ArchConfig a =
        compiler::LoadArchConfig("tiny4", {"sram.act.kib=" + std::to_string(kib)});
    const double t = EstimateArea(a, FakeCounts).total_mm2;
    EXPECT_GT(t, last) << kib;
    last = t;
  }
  const double small = EstimateArea(compiler::LoadArchConfig("tiny4"), FakeCounts)
                           .by_component_mm2.at("array");
  const double big = EstimateArea(compiler::LoadArchConfig("tiny4", {"array.rows=8"}), FakeCounts)
                         .by_component_mm2.at("array");
  EXPECT_GT(big, small);
}

TEST(AreaModel, AnUnknownCellTypeNamesTheTable) {
  auto odd = [](const SynthSpec&) {
    CellCounts c;
    c.cells = {{"$_FANCY_", 3}};
    return c;
  };
  try {
    EstimateArea(compiler::LoadArchConfig("tiny4"), odd);
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("45nm.json: area.gate_equivalents has no entry for the "
                                         "yosys cell type $_FANCY_"),
              std::string::npos)
        << e.what();
  }
}

TEST(YosysStat, HierarchyTotalsWinOverModuleCounts) {
  const std::string text =
      "=== ivit_pe ===\n   Number of cells:  3\n     $_AND_   2\n     $_DFF_P_ 1\n\n"
      "=== ivit_array ===\n   Number of cells:  2\n     ivit_pe  2\n\n"
      "=== design hierarchy ===\n   ivit_array  1\n     ivit_pe  2\n\n"
      "   Number of wires:  9\n   Number of cells:  6\n     $_AND_   4\n     $_DFF_P_ 2\n\n";
  const auto c = ParseYosysStat(text);
  EXPECT_EQ(c.size(), 2u);
  EXPECT_EQ(c.at("$_AND_"), 4);
  EXPECT_EQ(c.at("$_DFF_P_"), 2);
  EXPECT_EQ(ParseYosysStat("=== ivit_add ===\n   Number of cells:  5\n     $_XOR_  5\n")
                .at("$_XOR_"),
            5);
  EXPECT_THROW(ParseYosysStat("nothing here\n"), std::runtime_error);
}

// ---- with yosys -------------------------------------------------------------------------------
bool HaveYosys() { return !dynamic::FindOnPath("yosys").empty(); }

class WithYosys : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveYosys()) GTEST_SKIP() << "yosys is not installed";
    setenv("INTVIT_RTL_CACHE", INTVIT_AREA_TEST_CACHE, 1);
  }
};

TEST_F(WithYosys, TheSecondSynthesisHitsTheCache) {
  const fs::path dir = fs::temp_directory_path() / ("intvit_area_" + std::to_string(getpid()));
  setenv("INTVIT_RTL_CACHE", dir.c_str(), 1);
  const SynthSpec add{"add", "ivit_add", {"Lanes=1"}, false};
  const CellCounts first = SynthesizeCounts(add);
  const CellCounts second = SynthesizeCounts(add);
  EXPECT_FALSE(first.from_cache);
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(first.cells, second.cells);
  EXPECT_GT(first.cells.size(), 2u);
  EXPECT_EQ(second.cache_file, first.cache_file);
  fs::remove_all(dir);
}

TEST_F(WithYosys, ABiggerArrayHasMoreLogic) {
  double last = 0;
  for (const char* rc : {"2", "3"}) {
    const CellCounts c = SynthesizeCounts(
        {"array", "ivit_array", {std::string("R=") + rc, std::string("C=") + rc, "TR=1", "TC=1"}});
    double cells = 0;
    for (const auto& [t, n] : c.cells) cells += static_cast<double>(n);
    EXPECT_GT(cells, last) << rc;
    last = cells;
  }
}

TEST(AreaSynth, MissingYosysIsAnInputError) {
  setenv("INTVIT_YOSYS", "/nonexistent/yosys", 1);
  try {
    SynthesizeCounts({"add", "ivit_add", {"Lanes=1"}, false});
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("yosys is not installed"), std::string::npos);
  }
  unsetenv("INTVIT_YOSYS");
}

}  // namespace
}  // namespace intvit::tb::area
