#include "sim/top/simulate.h"

#include <chrono>
#include <cstring>
#include <map>

#include "model/common/error.h"
#include "sim/isa/machine.h"
#include "sim/timing/scalesim.h"
#include "sim/top/accel_top.h"
#include "sim/top/machine_datapath.h"

namespace intvit::sim {

std::vector<std::int64_t> ScalesimGemmCycles(const compiler::Program& p, const model::Graph& g,
                                             const std::vector<int>& instr_node) {
  std::vector<std::int64_t> cycles(p.instrs.size(), 0);
  // GEMM instructions of each node, and their MACs.
  std::map<int, std::vector<std::size_t>> gemms;
  for (std::size_t i = 0; i < p.instrs.size(); ++i) {
    if (static_cast<isa::Opcode>(p.instrs[i].opcode) == isa::Opcode::kGemm) {
      gemms[instr_node[i]].push_back(i);
    }
  }
  for (const auto& [node, list] : gemms) {
    std::int64_t total = 0;
    if (node >= 0) {
      const model::Graph::GemmDims d = g.Dims(g.nodes[static_cast<std::size_t>(node)]);
      if (d.m > 0 && d.n > 0 && d.k > 0) {
        total =
            ScalesimCompute(p.arch.dataflow, p.arch.array_rows, p.arch.array_cols, d.m, d.n, d.k)
                .total_cycles;
      }
    }
    std::int64_t macs = 0;
    for (std::size_t i : list) {
      const isa::Instr& in = p.instrs[i];
      macs += static_cast<std::int64_t>(in.rows * in.cols * in.depth);
    }
    // Exact apportioning: instruction j gets floor(total * cum_j / macs) - floor(... cum_{j-1}).
    std::int64_t cum = 0, given = 0;
    for (std::size_t i : list) {
      const isa::Instr& in = p.instrs[i];
      cum += static_cast<std::int64_t>(in.rows * in.cols * in.depth);
      const auto upto =
          static_cast<std::int64_t>(macs > 0 ? (static_cast<__int128>(total) * cum) / macs : 0);
      cycles[i] = upto - given;
      given = upto;
    }
    if (!list.empty()) cycles[list.back()] += total - given;
  }
  return cycles;
}

std::vector<int> InstructionNodes(const compiler::Program& p, const model::Graph& g) {
  Require(p.instr_node.size() == p.instrs.size(),
          "the program records the graph node of " + std::to_string(p.instr_node.size()) +
              " instructions but has " + std::to_string(p.instrs.size()));
  for (std::int32_t n : p.instr_node) {
    Require(n < static_cast<std::int32_t>(g.nodes.size()),
            "the program names graph node " + std::to_string(n) + ", but the graph has " +
                std::to_string(g.nodes.size()) + " nodes");
  }
  return {p.instr_node.begin(), p.instr_node.end()};
}

std::vector<std::uint8_t> DramWithInput(const compiler::Program& p, const model::Tensor& image) {
  const compiler::DramRegion* in = p.memory.Find(p.input_tensor);
  Require(in != nullptr, "the program has no input region '" + p.input_tensor + "'");
  Require(image.dtype() == in->dtype && image.shape() == in->shape,
          "the input image must be " + std::string(model::DTypeName(in->dtype)) + " " +
              model::ShapeString(in->shape) + ", got " +
              std::string(model::DTypeName(image.dtype())) + " " +
              model::ShapeString(image.shape()));
  std::vector<std::uint8_t> dram = p.dram_image;
  const auto x = image.Span<std::int8_t>();
  std::memcpy(dram.data() + in->addr, x.data(), x.size_bytes());
  return dram;
}

SimResult Simulate(const compiler::Program& p, const model::Graph& g, const model::Tensor& image,
                   const model::GoldenTrace& golden, const SimOptions& options) {
  using Clock = std::chrono::steady_clock;
  SimResult r;
  r.clock_mhz = p.arch.clock_mhz;
  r.instr_node = InstructionNodes(p, g);

  TopOptions top_options;
  top_options.mode = options.mode;
  top_options.trace = options.trace;
  top_options.quantum_cycles = options.quantum_cycles;
  for (const compiler::LayerInfo& l : p.layers) top_options.layer_names.push_back(l.name);
  if (options.trace) {
    top_options.instr_names.resize(p.instrs.size());
    for (std::size_t i = 0; i < p.instrs.size(); ++i) {
      if (r.instr_node[i] >= 0) {
        top_options.instr_names[i] = g.nodes[static_cast<std::size_t>(r.instr_node[i])].name;
      }
    }
  }
  if (options.mode == TimingMode::kScalesim) {
    top_options.gemm_cycles = ScalesimGemmCycles(p, g, r.instr_node);
  } else if (p.arch.DataflowIsScalesimOnly()) {
    throw InputError(
        "array.dataflow 'is' is only modelled by the scalesim timing mode "
        "(use --timing scalesim, or ws or os)");
  }

  // The energy table is read before the run, so a bad energy.table fails at once.
  const TechTable& tech = TechTableOf(p.arch);
  Machine machine(p.arch, DramWithInput(p, image));
  if (options.fault_instr >= 0) {
    const auto f = static_cast<std::size_t>(options.fault_instr);
    Require(f < p.instrs.size() &&
                static_cast<isa::Opcode>(p.instrs[f].opcode) != isa::Opcode::kLoad &&
                static_cast<isa::Opcode>(p.instrs[f].opcode) != isa::Opcode::kStore &&
                !isa::OperandsOf(p.instrs[f]).empty(),
            "--inject-fault " + std::to_string(f) +
                ": not the index of a compute instruction of the program");
  }
  MachineDataPath tlm_data(machine, options.fault_instr);
  DataPath& data = options.datapath ? options.datapath(machine, r.instr_node) : tlm_data;
  auto top = std::make_unique<AccelTop>("top", p.arch, p.instrs, data, top_options);
  const auto t0 = Clock::now();
  std::function<void(std::int64_t)> progress;
  if (options.progress) {
    const auto n = static_cast<std::int64_t>(p.instrs.size());
    progress = [&options, n](std::int64_t retired) { options.progress(retired, n); };
  }
  top->Run(progress);
  const auto t1 = Clock::now();
  r.total_cycles = top->total_cycles();
  r.records = top->records();
  r.events = top->events();
  std::vector<std::string> node_names;
  for (const model::Node& n : g.nodes) node_names.push_back(n.name);
  r.energy = ComputeEnergy(tech, p.arch, p.instrs, r.events, r.instr_node, node_names);
  r.stats_json = top->stats().ToJson();
  r.stats_json["energy"] = EnergyJson(r.energy);
  r.stats_csv = top->stats().ToCsv() + EnergyCsvRows(r.energy);
  r.trace = std::move(top->trace());
  r.check = CheckAgainstTrace(p, machine, g, golden);
  r.check_seconds = std::chrono::duration<double>(Clock::now() - t1).count();
  r.sim_seconds = std::chrono::duration<double>(t1 - t0).count();
  return r;
}

}  // namespace intvit::sim
