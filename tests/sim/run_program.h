// Runs a hand-written program on a fresh AccelTop with a FakeDataPath. Call once per test:
// each test runs in its own process (gtest_discover_tests), so each gets a fresh kernel.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "sim/top/accel_top.h"
#include "tests/sim/fake_datapath.h"

namespace intvit::sim::testing {

struct ProgramRun {
  std::int64_t total_cycles = 0;
  std::vector<InstrRecord> records;
  nlohmann::json stats;
  std::vector<std::size_t> computed;
  std::vector<InstrEvents> events;
};

inline ProgramRun RunProgram(const compiler::ArchConfig& arch,
                             const std::vector<isa::Instr>& program, TopOptions options = {}) {
  FakeDataPath data(arch);
  AccelTop top("top", arch, program, data, options);
  top.Run();
  return {top.total_cycles(), top.records(), top.stats().ToJson(), data.computed, top.events()};
}

inline std::int64_t Stat(const nlohmann::json& stats, const std::string& dotted) {
  const nlohmann::json* j = &stats;
  std::size_t start = 0;
  while (true) {
    const auto dot = dotted.find('.', start);
    j = &(*j).at(dotted.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return j->at("value").get<std::int64_t>();
}

}  // namespace intvit::sim::testing
