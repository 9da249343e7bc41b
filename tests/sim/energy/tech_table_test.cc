// configs/energy tables: the shipped ones load with the figures docs/energy.md quotes, the SRAM
// formulas give the hand-worked values, and bad tables are refused naming the file and key.
#include "sim/energy/tech_table.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "model/common/error.h"

namespace intvit::sim {
namespace {

namespace fs = std::filesystem;

compiler::SramConfig Sram(std::int64_t kib, std::int64_t banks, std::int64_t ports) {
  return {kib, banks, ports};
}

TEST(TechTable, Shipped45nmHasHorowitzFigures) {
  const TechTable& t = LoadTechTable("45nm");
  EXPECT_EQ(t.name, "45nm");
  EXPECT_DOUBLE_EQ(t.mac_pj, 0.3);
  EXPECT_DOUBLE_EQ(t.accumulator_pj, 0.29);
  EXPECT_DOUBLE_EQ(t.dram_pj_per_byte, 162.5);
  EXPECT_DOUBLE_EQ(t.units.at("requant").pj_per_element, 8.7);
  EXPECT_DOUBLE_EQ(t.units.at("layernorm").pj_per_row, 169);
  EXPECT_DOUBLE_EQ(t.gate_equivalents.at("$_NAND_"), 1.0);
}

TEST(TechTable, SramEnergyInterpolatesHorowitzByBankSize) {
  const TechTable& t = LoadTechTable("45nm");
  // One bank, one port: the table's points exactly, log-log between them.
  EXPECT_DOUBLE_EQ(SramReadPjPerByte(t, Sram(8, 1, 1)), 1.25);
  EXPECT_DOUBLE_EQ(SramReadPjPerByte(t, Sram(32, 1, 1)), 2.5);
  EXPECT_NEAR(SramReadPjPerByte(t, Sram(16, 1, 1)), 1.25 * std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(SramReadPjPerByte(t, Sram(1024, 1, 1)), 12.5, 1e-12);
  // base16's act: 256 KiB in 8 banks of 32 KiB, 2 ports: 2.5 * 1.15 * 1.25.
  EXPECT_NEAR(SramReadPjPerByte(t, Sram(256, 8, 2)), 3.59375, 1e-12);
  EXPECT_NEAR(SramWritePjPerByte(t, Sram(256, 8, 2)), 3.59375, 1e-12);
  // Below 8 KiB the first segment's slope (a square root) continues: 2 KiB -> 0.625.
  EXPECT_NEAR(SramReadPjPerByte(t, Sram(2, 1, 1)), 0.625, 1e-12);
}

TEST(TechTable, SramAreaIsCellsOverEfficiency) {
  const TechTable& t = LoadTechTable("45nm");
  // 64 KiB, one bank, one port: 524288 bits * 0.346 um2 / 0.65 = 0.27908 mm2.
  EXPECT_NEAR(SramAreaMm2(t, Sram(64, 1, 1)), 524288 * 0.346 / 0.65 / 1e6, 1e-12);
  // Two ports: cells 1.8x larger.
  EXPECT_NEAR(SramAreaMm2(t, Sram(64, 1, 2)), 1.8 * 524288 * 0.346 / 0.65 / 1e6, 1e-12);
  // More SRAM is never less area, whatever the banking.
  for (std::int64_t banks : {1, 2, 8, 64}) {
    double last = 0;
    for (std::int64_t kib = 1; kib <= 4096; kib *= 2) {
      const double a = SramAreaMm2(t, Sram(kib, banks, 2));
      EXPECT_GT(a, last) << kib << " KiB, " << banks << " banks";
      last = a;
    }
  }
}

TEST(TechTable, Derived16nmScalesOnChipFiguresOnly) {
  const TechTable& b = LoadTechTable("45nm");
  const TechTable& t = LoadTechTable("16nm");
  EXPECT_EQ(t.name, "16nm");
  EXPECT_DOUBLE_EQ(t.mac_pj, 0.3 * 0.1425);
  EXPECT_DOUBLE_EQ(t.units.at("gelu").pj_per_element, 16.8 * 0.1425);
  EXPECT_DOUBLE_EQ(SramReadPjPerByte(t, Sram(8, 1, 1)), 1.25 * 0.1425);
  EXPECT_DOUBLE_EQ(t.dram_pj_per_byte, b.dram_pj_per_byte);  // another chip
  EXPECT_DOUBLE_EQ(t.nand2_um2, 0.798 * 0.19);
  EXPECT_DOUBLE_EQ(t.sram_bitcell_um2, 0.346 * 0.19);
}

// A copy of 45nm.json with `edit` applied, written to a temporary folder.
std::string EditedTable(const std::string& file, const std::function<void(nlohmann::json&)>& edit) {
  std::ifstream in(std::string(INTVIT_SOURCE_DIR) + "/configs/energy/45nm.json");
  nlohmann::json j = nlohmann::json::parse(in);
  edit(j);
  const fs::path dir = fs::temp_directory_path() / ("intvit_tech_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / file;
  std::ofstream(p) << j.dump(1);
  return p.string();
}

void ExpectRefused(const std::string& path, const std::string& needle) {
  try {
    LoadTechTable(path);
    ADD_FAILURE() << "accepted " << path;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(TechTable, BadTablesAreRefusedNamingFileAndKey) {
  ExpectRefused(EditedTable("unknown.json", [](auto& j) { j["energy"]["macs"] = 1; }),
                "energy: unknown key 'macs'");
  ExpectRefused(EditedTable("negative.json", [](auto& j) { j["energy"]["mac"]["pj"] = -1; }),
                "energy.mac.pj must be a number in [0, 1e+06]");
  ExpectRefused(EditedTable("nosource.json", [](auto& j) { j["energy"]["dram"].erase("source"); }),
                "energy.dram: missing key 'source'");
  ExpectRefused(EditedTable("order.json",
                            [](auto& j) {
                              j["energy"]["sram"]["read_pj_per_byte"] = {{32, 2.5}, {8, 1.25}};
                            }),
                "energy.sram.read_pj_per_byte[1]: x must increase");
  ExpectRefused(EditedTable("badname.json", [](auto& j) { j["name"] = "a,b"; }), "name must be");
  EXPECT_THROW(LoadTechTable("no_such_table"), InputError);
  EXPECT_THROW(LoadTechTable("/no/such/file.json"), InputError);
}

TEST(TechTable, ArchConfigNamesItsTable) {
  EXPECT_EQ(compiler::ArchConfig{}.energy_table, "45nm");
  const compiler::ArchConfig a = compiler::LoadArchConfig("tiny4", {"energy.table=16nm"});
  EXPECT_EQ(TechTableOf(a).name, "16nm");
  try {
    TechTableOf(compiler::LoadArchConfig("tiny4", {"energy.table=7nm"}));
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("energy.table '7nm'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace intvit::sim
