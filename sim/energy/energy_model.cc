#include "sim/energy/energy_model.h"

namespace intvit::sim {
namespace {

constexpr double kPjPerUj = 1e6;

// Index of each component in EnergyComponents().
constexpr int kMac = 0, kAccumulator = 1, kSram0 = 2, kDram = kSram0 + isa::kNumBuffers,
              kUnit0 = kDram + 1;
// The vector units, in component order after dram.
constexpr std::array<isa::Unit, 5> kVectorUnits = {isa::Unit::kRequant, isa::Unit::kShiftmax,
                                                   isa::Unit::kGelu, isa::Unit::kLayernorm,
                                                   isa::Unit::kAdd};

std::map<std::string, double> Named(const std::vector<double>& pj) {
  std::map<std::string, double> m;
  for (std::size_t c = 0; c < pj.size(); ++c) m[EnergyComponents()[c]] = pj[c] / kPjPerUj;
  return m;
}

double Sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

}  // namespace

const std::vector<std::string>& EnergyComponents() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n = {"mac", "accumulator"};
    for (int b = 0; b < isa::kNumBuffers; ++b) {
      n.push_back("sram_" + std::string(isa::BufferName(static_cast<isa::Buffer>(b))));
    }
    n.push_back("dram");
    for (isa::Unit u : kVectorUnits) n.emplace_back(isa::UnitName(u));
    return n;
  }();
  return names;
}

std::vector<double> InstrEnergyPj(const TechTable& t, const compiler::ArchConfig& arch,
                                  const isa::Instr& instr, const InstrEvents& e) {
  std::vector<double> pj(EnergyComponents().size(), 0.0);
  const auto macs = static_cast<double>(e.macs);
  pj[kMac] = macs * t.mac_pj;
  pj[kAccumulator] = macs * t.accumulator_pj;
  for (int b = 0; b < isa::kNumBuffers; ++b) {
    if (e.sram_read[b] == 0 && e.sram_write[b] == 0) continue;
    const compiler::SramConfig& s = arch.Sram(static_cast<isa::Buffer>(b));
    pj[kSram0 + b] = static_cast<double>(e.sram_read[b]) * SramReadPjPerByte(t, s) +
                     static_cast<double>(e.sram_write[b]) * SramWritePjPerByte(t, s);
  }
  pj[kDram] = static_cast<double>(e.dram_read + e.dram_write) * t.dram_pj_per_byte;
  if (e.elements != 0 || e.rows != 0 || e.residual_elements != 0) {
    const isa::OpcodeInfo* info = isa::FindOpcode(instr.opcode);
    for (std::size_t k = 0; k < kVectorUnits.size(); ++k) {
      if (info == nullptr || info->unit != kVectorUnits[k]) continue;
      const UnitEnergy& u = t.units.at(std::string(isa::UnitName(kVectorUnits[k])));
      pj[kUnit0 + k] = static_cast<double>(e.elements) * u.pj_per_element +
                       static_cast<double>(e.rows) * u.pj_per_row +
                       static_cast<double>(e.residual_elements) * u.pj_per_residual_element;
    }
  }
  return pj;
}

EnergyReport ComputeEnergy(const TechTable& t, const compiler::ArchConfig& arch,
                           const std::vector<isa::Instr>& instrs,
                           const std::vector<InstrEvents>& events,
                           const std::vector<int>& instr_node,
                           const std::vector<std::string>& node_names) {
  const std::size_t nc = EnergyComponents().size();
  std::vector<double> total(nc, 0.0);
  // by node; the last slot collects instructions without a node.
  std::vector<std::vector<double>> layer(node_names.size() + 1, std::vector<double>(nc, 0.0));
  for (std::size_t i = 0; i < instrs.size() && i < events.size(); ++i) {
    const std::vector<double> pj = InstrEnergyPj(t, arch, instrs[i], events[i]);
    const int n = i < instr_node.size() ? instr_node[i] : -1;
    std::vector<double>& l =
        layer[n >= 0 && static_cast<std::size_t>(n) < node_names.size() ? n : node_names.size()];
    for (std::size_t c = 0; c < nc; ++c) {
      total[c] += pj[c];
      l[c] += pj[c];
    }
  }
  EnergyReport r;
  r.table = t.name;
  r.by_component_uj = Named(total);
  r.total_uj = Sum(total) / kPjPerUj;
  for (std::size_t n = 0; n < layer.size(); ++n) {
    const double uj = Sum(layer[n]) / kPjPerUj;
    if (n == node_names.size() && uj == 0) break;
    r.by_layer.push_back({n < node_names.size() ? node_names[n] : "(none)", uj, Named(layer[n])});
  }
  return r;
}

nlohmann::json EnergyJson(const EnergyReport& r) {
  nlohmann::json layers = nlohmann::json::array();
  for (const LayerEnergy& l : r.by_layer) {
    layers.push_back({{"layer", l.layer}, {"uj", l.uj}, {"by_component", l.by_component_uj}});
  }
  return {{"table", r.table},
          {"total_uj", r.total_uj},
          {"by_component", r.by_component_uj},
          {"by_layer", layers}};
}

std::string EnergyCsvRows(const EnergyReport& r) {
  // Doubles in nlohmann's shortest round-trip form, as stats.json has them.
  std::string out = "energy.total_uj," + nlohmann::json(r.total_uj).dump() +
                    ",energy per inference at table " + r.table + " (uJ)\n";
  for (const std::string& c : EnergyComponents()) {
    out += "energy." + c + "_uj," + nlohmann::json(r.by_component_uj.at(c)).dump() +
           ",energy of component " + c + " (uJ)\n";
  }
  return out;
}

}  // namespace intvit::sim
