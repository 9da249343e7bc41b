#include "sim/top/report.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "compiler/isa/codec.h"
#include "model/common/atomic_file.h"
#include "model/common/error.h"

namespace intvit::sim {
namespace {

void WriteText(const std::string& path, const std::string& text) {
  WriteFileAtomically(path, text);
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Bytes(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB"};
  int u = 0;
  while (b >= 1024 && u < 3) b /= 1024, ++u;
  return Fixed(b, u == 0 ? 0 : 2) + " " + units[u];
}

// "energy        123.456 uJ per inference (45nm): dram 40.1 %, sram_act 12.0 %, ..." with the
// three largest components, and the average power over the latency.
std::string EnergyLine(const EnergyReport& e, double seconds) {
  std::vector<std::pair<double, std::string>> parts;
  for (const auto& [c, uj] : e.by_component_uj) parts.emplace_back(uj, c);
  std::sort(parts.rbegin(), parts.rend());
  std::string out = "energy        " + Fixed(e.total_uj, 3) + " uJ per inference (table " +
                    e.table + ")";
  if (seconds > 0) out += ", " + Fixed(e.total_uj * 1e-6 / seconds * 1e3, 1) + " mW average";
  for (std::size_t i = 0; i < parts.size() && i < 3 && e.total_uj > 0; ++i) {
    out += (i == 0 ? ": " : ", ") + parts[i].second + " " +
           Fixed(100.0 * parts[i].first / e.total_uj, 1) + " %";
  }
  return out + "\n";
}

}  // namespace

nlohmann::json StatValue(const nlohmann::json& stats, const std::string& dotted) {
  const nlohmann::json* j = &stats;
  std::size_t start = 0;
  while (true) {
    const auto dot = dotted.find('.', start);
    j = &j->at(dotted.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return j->at("value");
}

std::vector<LayerRow> LayerRows(const compiler::Program& p, const model::Graph& g,
                                const SimResult& r) {
  std::vector<LayerRow> rows(g.nodes.size());
  for (std::size_t n = 0; n < g.nodes.size(); ++n) {
    const model::Node& node = g.nodes[n];
    LayerRow& row = rows[n];
    row.layer = node.name;
    row.op = std::string(model::OpKindName(node.kind));
    const model::Graph::GemmDims d = g.Dims(node);
    row.m = d.m, row.n = d.n, row.k = d.k;
    row.macs = g.Macs(node);
    if (n < r.energy.by_layer.size() && r.energy.by_layer[n].layer == node.name) {
      row.energy_uj = r.energy.by_layer[n].uj;
    }
  }
  for (std::size_t i = 0; i < p.instrs.size(); ++i) {
    const int n = i < r.instr_node.size() ? r.instr_node[i] : -1;
    if (n < 0) continue;
    LayerRow& row = rows[static_cast<std::size_t>(n)];
    const isa::Instr& in = p.instrs[i];
    const InstrRecord& rec = r.records[i];
    ++row.instructions;
    if (rec.start >= 0) {
      row.busy_cycles += rec.end - rec.start;
      row.unit_cycles[static_cast<std::size_t>(isa::UnitOf(in))] += rec.end - rec.start;
      row.start_cycle = row.start_cycle < 0 ? rec.start : std::min(row.start_cycle, rec.start);
      row.end_cycle = std::max(row.end_cycle, rec.end);
    }
    const auto bytes = static_cast<std::int64_t>(in.rows * in.cols);
    switch (static_cast<isa::Opcode>(in.opcode)) {
      case isa::Opcode::kLoad:
        row.dram_read_bytes += bytes;
        break;
      case isa::Opcode::kStore:
        row.dram_write_bytes += bytes;
        break;
      case isa::Opcode::kGemm:
        row.instr_macs += static_cast<std::int64_t>(in.rows * in.cols * in.depth);
        break;
      default:
        break;
    }
  }
  const double pes = static_cast<double>(p.arch.array_rows * p.arch.array_cols);
  const bool scalesim = StatValue(r.stats_json, "timing_mode").get<std::string>() == "scalesim";
  for (LayerRow& row : rows) {
    if (row.start_cycle >= 0)
      row.cycles = scalesim ? row.busy_cycles : row.end_cycle - row.start_cycle;
    if (row.macs > 0 && row.cycles > 0) {
      row.util_pct =
          100.0 * static_cast<double>(row.macs) / (pes * static_cast<double>(row.cycles));
    }
  }
  return rows;
}

std::string LayersCsv(const std::vector<LayerRow>& rows) {
  std::string out =
      "layer,op,M,N,K,cycles,start_cycle,end_cycle,macs,util_pct,dram_read_bytes,"
      "dram_write_bytes";
  for (int u = 0; u < isa::kNumUnits; ++u) {
    out += ",cycles_" + std::string(isa::UnitName(static_cast<isa::Unit>(u)));
  }
  out += ",energy_uj\n";
  auto opt = [](std::int64_t v, bool present) { return present ? std::to_string(v) : ""; };
  for (const LayerRow& r : rows) {
    const bool gemm = r.macs > 0;
    const bool ran = r.start_cycle >= 0;
    out += r.layer + "," + r.op + "," + opt(r.m, gemm) + "," + opt(r.n, gemm) + "," +
           opt(r.k, gemm) + "," + std::to_string(r.cycles) + "," + opt(r.start_cycle, ran) + "," +
           opt(r.end_cycle, ran) + "," + std::to_string(r.macs) + "," +
           (gemm ? Fixed(r.util_pct, 2) : "") + "," + std::to_string(r.dram_read_bytes) + "," +
           std::to_string(r.dram_write_bytes);
    for (std::int64_t c : r.unit_cycles) out += "," + std::to_string(c);
    out += "," + Fixed(r.energy_uj, 6) + "\n";
  }
  return out;
}

std::string SummaryText(const compiler::Program& p, const model::Graph& g, const SimResult& r) {
  const nlohmann::json& s = r.stats_json;
  const double seconds =
      static_cast<double>(r.total_cycles) / (static_cast<double>(r.clock_mhz) * 1e6);
  std::string out;
  out += "timing        " + StatValue(s, "timing_mode").get<std::string>() + ", " + p.arch.name +
         " (" + std::to_string(p.arch.array_rows) + "x" + std::to_string(p.arch.array_cols) + " " +
         p.arch.dataflow + ", " + std::to_string(r.clock_mhz) + " MHz)\n";
  out += "total cycles  " + std::to_string(r.total_cycles) + "\n";
  out += "latency       " + Fixed(seconds * 1e3, 3) + " ms at " + std::to_string(r.clock_mhz) +
         " MHz\n";
  out += "throughput    " + (seconds > 0 ? Fixed(1.0 / seconds, 1) : std::string("inf")) +
         " images/s (one image at a time)\n";
  const double macs = static_cast<double>(g.TotalMacs());
  out += "array         " +
         Fixed(100.0 * StatValue(s, "units.array.mac_utilization").get<double>(), 1) +
         " % of peak MACs over the run (" + Fixed(macs / 1e9, 3) + " GMAC), " +
         Fixed(100.0 * StatValue(s, "units.array.busy_mac_utilization").get<double>(), 1) +
         " % while busy\n";
  out += "units busy   ";
  for (int u = 0; u < isa::kNumUnits; ++u) {
    const std::string name(isa::UnitName(static_cast<isa::Unit>(u)));
    out += " " + name + " " +
           Fixed(100.0 * StatValue(s, "units." + name + ".utilization").get<double>(), 1) + "%";
  }
  out += "\n";
  const auto rd = StatValue(s, "dram.read_bytes").get<std::int64_t>();
  const auto wr = StatValue(s, "dram.write_bytes").get<std::int64_t>();
  out += "DRAM          read " + Bytes(static_cast<double>(rd)) + ", written " +
         Bytes(static_cast<double>(wr)) + ", channel busy " +
         Fixed(100.0 * StatValue(s, "dram.utilization").get<double>(), 1) + " %";
  if (seconds > 0) {
    out += ", " + Fixed(static_cast<double>(rd + wr) / seconds / 1e9, 2) + " GB/s average";
  }
  out += "\n";
  out += EnergyLine(r.energy, seconds);
  const std::size_t n = r.check.tensors.size();
  if (r.check.pass()) {
    out += "bit-exact     PASS: " + std::to_string(n) + " DRAM tensors equal the golden model's\n";
  } else {
    out += "bit-exact     FAIL: " + r.check.FirstMismatchText() + "\n";
  }
  out += "wall time     " + Fixed(r.sim_seconds, 3) + " s simulation, " +
         Fixed(r.check_seconds, 3) + " s check; " +
         (r.sim_seconds > 0 ? Fixed(static_cast<double>(r.total_cycles) / r.sim_seconds / 1e6, 2)
                            : std::string("-")) +
         " M simulated cycles/s\n";
  return out;
}

void WriteReports(const std::string& dir, const compiler::Program& p, const model::Graph& g,
                  const SimResult& r) {
  WriteText(dir + "/layers.csv", LayersCsv(LayerRows(p, g, r)));
  WriteText(dir + "/stats.json", r.stats_json.dump(2) + "\n");
  WriteText(dir + "/stats.csv", r.stats_csv);
  if (r.trace.enabled()) r.trace.Write(dir + "/trace.json");
}

}  // namespace intvit::sim
