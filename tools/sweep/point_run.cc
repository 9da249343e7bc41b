#include "tools/sweep/point_run.h"

#include <fstream>

#include "compiler/compile.h"
#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "sim/top/report.h"
#include "tools/stopwatch.h"
#include "tools/sweep/point_area.h"

namespace intvit::tools::sweep {
namespace {

namespace fs = std::filesystem;

// The "energy" or "area" object of the point's stats.json, if the simulator wrote one.
nlohmann::ordered_json StatsObject(const fs::path& stats_json, const char* key) {
  std::ifstream in(stats_json);
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(in, nullptr, false);
  if (j.is_object() && j.contains(key) && j[key].is_object()) return j[key];
  return nullptr;
}

}  // namespace

Row BaseRow(const SweepSpec& spec, const SweepPoint& p, const std::string& error) {
  const nlohmann::json arch =
      compiler::ArchConfigToJson(compiler::LoadArchConfig(spec.arch, p.overrides));
  Row axes = Row::object();
  for (const std::string& key : spec.axis_keys) {
    if (p.axes.contains(key)) {
      axes[key] = p.axes[key];
      continue;
    }
    std::string ptr = "/" + key;
    for (char& c : ptr) c = c == '.' ? '/' : c;
    axes[key] = arch.value(nlohmann::json::json_pointer(ptr), nlohmann::json());
  }
  Row r = Row::object();
  r["id"] = p.id;
  r["axes"] = axes;
  r["model"] = p.model;
  r["status"] = "failed";
  r["error"] = error;
  for (const char* k : {"cycles", "latency_us", "throughput_ips", "mac_util"}) r[k] = nullptr;
  for (int u = 0; u < isa::kNumUnits; ++u) {
    r["busy_" + std::string(isa::UnitName(static_cast<isa::Unit>(u)))] = nullptr;
  }
  r["dram_read_bytes"] = nullptr;
  r["dram_write_bytes"] = nullptr;
  r["energy"] = nullptr;
  r["area"] = nullptr;
  r["bit_exact"] = false;
  r["dir"] = "points/" + p.id;
  return r;
}

Row RunPoint(const SweepSpec& spec, const SweepPoint& p, ModelRun&& run, const fs::path& dir) {
  Row r = BaseRow(spec, p, "");
  Stopwatch wall;
  SimSetup s;
  s.model = std::move(run.model);
  s.input = std::move(run.input);
  s.golden = std::move(run.golden);
  s.out = dir.string();
  s.arch = LoadEffectiveArch(spec.arch, p.overrides);
  try {
    Stopwatch sw;
    s.program = compiler::Compile(s.model.graph, s.arch, s.model.name);
    s.compile_ms = sw.WallMs();
  } catch (const InputError& e) {
    r["error"] = std::string("compile: ") + e.what();
    r["wall_s"] = wall.WallMs() / 1e3;
    return r;
  }
  WriteEffectiveConfig(s, {{"command", "sweep"},
                           {"spec", spec.path.string()},
                           {"point", p.id},
                           {"model", p.model},
                           {"arch", spec.arch},
                           {"overrides", p.overrides},
                           {"timing", "detailed"},
                           {"image", s.input.what},
                           {"out", s.out}});
  const sim::SimResult res = SimulateAndReport(s, sim::SimOptions{});
  WriteFileAtomically(dir / "summary.txt", sim::SummaryText(s.program, s.model.graph, res));

  const nlohmann::json& st = res.stats_json;
  const double latency_us =
      static_cast<double>(res.total_cycles) / static_cast<double>(res.clock_mhz);
  r["status"] = res.check.pass() ? "ok" : "failed";
  r["error"] = res.check.pass() ? "" : "bit mismatch: " + res.check.FirstMismatchText();
  r["cycles"] = res.total_cycles;
  r["latency_us"] = latency_us;
  r["throughput_ips"] = latency_us > 0 ? 1e6 / latency_us : 0.0;
  r["mac_util"] = sim::StatValue(st, "units.array.mac_utilization");
  for (int u = 0; u < isa::kNumUnits; ++u) {
    const std::string name(isa::UnitName(static_cast<isa::Unit>(u)));
    r["busy_" + name] = sim::StatValue(st, "units." + name + ".utilization");
  }
  r["dram_read_bytes"] = sim::StatValue(st, "dram.read_bytes");
  r["dram_write_bytes"] = sim::StatValue(st, "dram.write_bytes");
  r["energy"] = StatsObject(dir / "stats.json", "energy");
  r["area"] = StatsObject(dir / "stats.json", "area");
  if (r["area"].is_null()) {
    if (const auto area = PointArea(s.arch)) r["area"] = *area;
  }
  r["bit_exact"] = res.check.pass();
  r["wall_s"] = wall.WallMs() / 1e3;
  r["compile_s"] = s.compile_ms / 1e3;
  r["sim_s"] = res.sim_seconds;
  r["check_s"] = res.check_seconds;
  return r;
}

}  // namespace intvit::tools::sweep
