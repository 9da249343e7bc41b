#include "compiler/program.h"

#include <cstdio>
#include <map>

#include "compiler/isa/codec.h"

namespace intvit::compiler {
namespace {

std::string Kib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  return buf;
}

const isa::Buffer kBuffers[] = {isa::Buffer::kAct, isa::Buffer::kWgt, isa::Buffer::kAcc,
                                isa::Buffer::kVec};

}  // namespace

const DramRegion* MemoryMap::Find(const std::string& name) const {
  for (const auto& r : dram) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

std::uint64_t MemoryMap::BytesOfKind(const std::string& kind) const {
  std::uint64_t n = 0;
  for (const auto& r : dram) {
    if (r.kind == kind) n += r.bytes;
  }
  return n;
}

std::vector<std::pair<std::string, std::uint64_t>> Program::OpcodeCounts() const {
  std::map<std::uint64_t, std::uint64_t> counts;
  for (const auto& i : instrs) ++counts[i.opcode];
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const auto& [op, n] : counts) out.emplace_back(std::string(isa::OpcodeName(op)), n);
  return out;
}

std::string Program::LayerName(std::size_t instr_index) const {
  if (instr_index >= instrs.size()) return "";
  const std::uint64_t l = instrs[instr_index].layer;
  return l < layers.size() ? layers[l].name : "";
}

std::string Program::NodeName(std::size_t instr_index) const {
  if (instr_index >= instr_node.size() || instr_node[instr_index] < 0) return "";
  const auto n = static_cast<std::size_t>(instr_node[instr_index]);
  return n < node_names.size() ? node_names[n] : "";
}

nlohmann::json MemoryMapJson(const Program& p) {
  using nlohmann::json;
  json j;
  j["arch"] = p.arch.name;
  j["model"] = p.model_name;
  j["dram_bytes"] = p.memory.dram_bytes;
  j["dram"] = json::array();
  for (const auto& r : p.memory.dram) {
    j["dram"].push_back({{"name", r.name}, {"kind", r.kind}, {"addr", r.addr}, {"bytes", r.bytes},
                         {"dtype", std::string(model::DTypeName(r.dtype))}, {"shape", r.shape}});
  }
  json peak;
  for (auto b : kBuffers) {
    peak[std::string(isa::BufferName(b))] = {{"peak_bytes", p.memory.sram_peak[static_cast<int>(b)]},
                                             {"size_bytes", p.arch.SramBytes(b)}};
  }
  j["sram"] = peak;
  j["sram_slots"] = json::array();
  for (const auto& s : p.memory.sram) {
    j["sram_slots"].push_back({{"layer", p.layers.at(s.layer).name},
                               {"buffer", std::string(isa::BufferName(s.buffer))},
                               {"name", s.name}, {"addr", s.addr}, {"bytes", s.bytes}});
  }
  j["layers"] = json::array();
  for (const auto& l : p.layers) {
    j["layers"].push_back({{"name", l.name}, {"kind", l.kind}, {"nodes", l.nodes},
                           {"tiling", l.tiling}, {"first_instr", l.first_instr},
                           {"num_instrs", l.num_instrs}, {"macs", l.macs},
                           {"dram_read_bytes", l.dram_read_bytes},
                           {"dram_write_bytes", l.dram_write_bytes}});
  }
  j["checks"] = json::array();
  for (const auto& c : p.checks) {
    j["checks"].push_back({{"tensor", c.tensor}, {"layer", p.layers.at(c.layer).name},
                           {"dram_addr", c.dram_addr},
                           {"dtype", std::string(model::DTypeName(c.dtype))},
                           {"shape", {c.rows, c.cols}}, {"row_pitch", c.row_pitch}});
  }
  return j;
}

std::string ProgramListing(const Program& p) {
  const ArchConfig& a = p.arch;
  std::string s;
  s += "; intvit program: model " + p.model_name + " on arch " + a.name + " (" +
       std::string(isa::kIsaName) + ")\n";
  s += "; array " + std::to_string(a.array_rows) + "x" + std::to_string(a.array_cols) + " " +
       a.dataflow + ", " + std::to_string(a.clock_mhz) + " MHz; SRAM act " + Kib(a.act.bytes()) +
       ", wgt " + Kib(a.wgt.bytes()) + ", acc " + Kib(a.acc.bytes()) + ", vec " +
       Kib(a.vec.bytes()) + "; DRAM " + std::to_string(a.dram_bytes_per_cycle) + " B/cycle, " +
       std::to_string(a.dram_latency_cycles) + " cycles latency\n";
  s += "; " + std::to_string(p.instrs.size()) + " instructions, " + std::to_string(p.layers.size()) +
       " layers, DRAM image " + Kib(p.memory.dram_bytes) + "\n";
  s += "; waits: 'waits U>=n' = start after unit U has retired n instructions\n";
  for (std::size_t l = 0; l < p.layers.size(); ++l) {
    const LayerInfo& info = p.layers[l];
    s += ";\n; ---- layer " + std::to_string(l) + ": " + info.name + " (" + info.kind + ")";
    if (!info.nodes.empty()) {
      s += " nodes";
      for (const auto& n : info.nodes) s += " " + n;
    }
    s += "\n";
    if (!info.tiling.empty()) s += ";      " + info.tiling + "\n";
    for (std::size_t i = info.first_instr; i < info.first_instr + info.num_instrs; ++i) {
      char idx[32];
      std::snprintf(idx, sizeof idx, "%7zu  ", i);
      s += idx + isa::Disassemble(p.instrs[i]);
      const std::string node = p.NodeName(i);
      if (!node.empty()) s += "  ; " + node;
      s += "\n";
    }
  }
  return s;
}

std::string ProgramSummary(const Program& p) {
  std::string s = "program: " + std::to_string(p.instrs.size()) + " instructions, " +
                  std::to_string(p.layers.size()) + " layers (model " + p.model_name +
                  ", arch " + p.arch.name + ")\n  instructions by opcode:";
  for (const auto& [name, n] : p.OpcodeCounts()) s += " " + name + "=" + std::to_string(n);
  s += "\n  DRAM " + Kib(p.memory.dram_bytes) + " by kind:";
  for (const char* kind :
       {"weight", "bias", "requant", "layernorm", "constant", "input", "activation"}) {
    const std::uint64_t n = p.memory.BytesOfKind(kind);
    if (n) s += std::string(" ") + kind + "=" + std::to_string(n);
  }
  std::uint64_t rd = 0, wr = 0;
  for (const auto& l : p.layers) rd += l.dram_read_bytes, wr += l.dram_write_bytes;
  s += "\n  DRAM traffic: read " + std::to_string(rd) + " B, write " + std::to_string(wr) + " B\n";
  s += "  SRAM peak:";
  for (auto b : kBuffers) {
    s += " " + std::string(isa::BufferName(b)) + " " +
         Kib(p.memory.sram_peak[static_cast<int>(b)]) + "/" + Kib(p.arch.SramBytes(b));
  }
  s += "\n";
  if (p.arch.DataflowIsScalesimOnly()) {
    s += "  note: dataflow 'is' is modelled only by the scalesim timing mode\n";
  }
  return s;
}

}  // namespace intvit::compiler
