#include "sim/isa/executor.h"

#include <cstring>
#include <map>
#include <random>

#include "compiler/isa/codec.h"
#include "model/common/error.h"

namespace intvit::sim {
namespace {

using isa::Instr;

struct Wait {
  std::uint64_t unit, count;
};

std::array<Wait, 3> WaitsOf(const Instr& i) {
  return {{{i.wait0_unit, i.wait0_count}, {i.wait1_unit, i.wait1_count},
           {i.wait2_unit, i.wait2_count}}};
}

bool WaitsMet(const Instr& i, const std::array<std::uint64_t, isa::kNumUnits>& retired) {
  for (const Wait& w : WaitsOf(i)) {
    if (w.unit != isa::kNoWaitUnit && retired.at(w.unit) < w.count) return false;
  }
  return true;
}

void Count(const Instr& i, ExecStats* stats) {
  if (stats == nullptr) return;
  ++stats->instructions;
  ++stats->per_unit[static_cast<int>(isa::UnitOf(i))];
}

void RunInOrder(const std::vector<Instr>& instrs, Machine& m, ExecStats* stats) {
  std::array<std::uint64_t, isa::kNumUnits> retired{};
  for (std::size_t k = 0; k < instrs.size(); ++k) {
    const Instr& i = instrs[k];
    for (const Wait& w : WaitsOf(i)) {
      if (w.unit == isa::kNoWaitUnit) continue;
      Require(w.unit < isa::kNumUnits && retired[w.unit] >= w.count,
              "instruction " + std::to_string(k) + " (" + std::string(isa::OpcodeName(i.opcode)) +
                  ") waits for unit " + std::to_string(w.unit) + " to retire " +
                  std::to_string(w.count) + " instructions, but only " +
                  std::to_string(w.unit < isa::kNumUnits ? retired[w.unit] : 0) +
                  " come before it: the program deadlocks");
    }
    ExecuteInstruction(i, m, k);
    ++retired[static_cast<int>(isa::UnitOf(i))];
    Count(i, stats);
  }
}

void RunShuffled(const std::vector<Instr>& instrs, Machine& m, std::uint64_t seed,
                 ExecStats* stats) {
  std::array<std::vector<std::size_t>, isa::kNumUnits> queues;
  for (std::size_t k = 0; k < instrs.size(); ++k) {
    queues[static_cast<int>(isa::UnitOf(instrs[k]))].push_back(k);
  }
  std::array<std::size_t, isa::kNumUnits> head{};
  std::array<std::uint64_t, isa::kNumUnits> retired{};
  std::mt19937_64 rng(seed);
  std::vector<int> ready;
  for (std::size_t done = 0; done < instrs.size(); ++done) {
    ready.clear();
    for (int u = 0; u < isa::kNumUnits; ++u) {
      if (head[u] == queues[u].size()) continue;
      const Instr& i = instrs[queues[u][head[u]]];
      if (!WaitsMet(i, retired)) continue;
      if (i.opcode == static_cast<std::uint64_t>(isa::Opcode::kFinish)) {
        bool drained = true;
        for (int v = 0; v < isa::kNumUnits; ++v) drained &= v == u || head[v] == queues[v].size();
        if (!drained) continue;
      }
      ready.push_back(u);
    }
    if (ready.empty()) {
      std::string heads;
      for (int u = 0; u < isa::kNumUnits; ++u) {
        if (head[u] < queues[u].size()) heads += " " + std::to_string(queues[u][head[u]]);
      }
      throw InputError("the program deadlocks after " + std::to_string(done) +
                       " instructions; blocked instructions:" + heads);
    }
    const int u = ready[std::uniform_int_distribution<std::size_t>(0, ready.size() - 1)(rng)];
    const std::size_t k = queues[u][head[u]++];
    ExecuteInstruction(instrs[k], m, k);
    ++retired[u];
    Count(instrs[k], stats);
  }
}

template <typename T>
void Compare(const compiler::CheckedTensor& c, const std::uint8_t* dram, std::span<const T> want,
             TensorCheck& out) {
  const auto row_bytes = static_cast<std::size_t>(c.cols) * sizeof(T);
  for (std::int64_t r = 0; r < c.rows; ++r) {
    const std::uint8_t* row = dram + c.dram_addr + static_cast<std::uint64_t>(r) * c.row_pitch;
    const T* w = want.data() + r * c.cols;
    if (std::memcmp(row, w, row_bytes) == 0) continue;
    for (std::int64_t col = 0; col < c.cols; ++col) {
      T got;
      std::memcpy(&got, row + col * sizeof(T), sizeof(T));
      if (got == w[col]) continue;
      if (out.mismatches++ == 0) {
        out.row = r, out.col = col;
        out.expected = static_cast<std::int64_t>(w[col]);
        out.actual = static_cast<std::int64_t>(got);
      }
    }
  }
}

}  // namespace

Machine RunInstructions(const compiler::ArchConfig& arch, const std::vector<Instr>& instrs,
                        std::vector<std::uint8_t> dram, const ExecOptions& options,
                        ExecStats* stats) {
  Machine m(arch, std::move(dram));
  if (options.shuffle_seed) {
    RunShuffled(instrs, m, *options.shuffle_seed, stats);
  } else {
    RunInOrder(instrs, m, stats);
  }
  if (stats != nullptr) stats->macs = m.macs;
  return m;
}

Machine RunProgram(const compiler::Program& p, const model::Tensor& image,
                   const ExecOptions& options, ExecStats* stats) {
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
  return RunInstructions(p.arch, p.instrs, std::move(dram), options, stats);
}

CheckReport CheckAgainstTrace(const compiler::Program& p, const Machine& m,
                              const model::Graph& g, const model::GoldenTrace& trace) {
  CheckReport report;
  const std::uint8_t* dram = m.dram().data();
  for (const compiler::CheckedTensor& c : p.checks) {
    TensorCheck tc;
    tc.tensor = c.tensor;
    tc.layer = p.layers.at(c.layer).name;
    tc.elements = c.rows * c.cols;
    const model::Tensor& want = trace.Get(g, c.tensor);
    Require(want.numel() == tc.elements && want.dtype() == c.dtype,
            "checked tensor " + c.tensor + " does not match the trace's dtype or size");
    Require(c.dram_addr + (c.rows - 1) * c.row_pitch + c.cols * model::DTypeSize(c.dtype) <=
                m.dram().size(),
            "checked tensor " + c.tensor + " lies outside DRAM");
    switch (c.dtype) {
      case model::DType::kInt8: Compare(c, dram, want.Span<std::int8_t>(), tc); break;
      case model::DType::kUint8: Compare(c, dram, want.Span<std::uint8_t>(), tc); break;
      case model::DType::kInt16: Compare(c, dram, want.Span<std::int16_t>(), tc); break;
      case model::DType::kUint16: Compare(c, dram, want.Span<std::uint16_t>(), tc); break;
      case model::DType::kInt32: Compare(c, dram, want.Span<std::int32_t>(), tc); break;
      case model::DType::kInt64: Compare(c, dram, want.Span<std::int64_t>(), tc); break;
      case model::DType::kFloat32: throw InputError("float32 tensors cannot be checked");
    }
    report.tensors.push_back(tc);
  }
  return report;
}

bool CheckReport::pass() const { return FirstFailure() == nullptr; }

const TensorCheck* CheckReport::FirstFailure() const {
  for (const auto& t : tensors) {
    if (!t.pass()) return &t;
  }
  return nullptr;
}

std::string CheckReport::FirstMismatchText() const {
  const TensorCheck* t = FirstFailure();
  if (t == nullptr) return "";
  return "layer " + t->layer + ", tensor " + t->tensor + "[" + std::to_string(t->row) + ", " +
         std::to_string(t->col) + "]: expected " + std::to_string(t->expected) + ", got " +
         std::to_string(t->actual) + " (" + std::to_string(t->mismatches) + " of " +
         std::to_string(t->elements) + " elements differ)";
}

std::string CheckReport::PerLayerText(const compiler::Program& p) const {
  std::string s;
  for (const auto& layer : p.layers) {
    int n = 0, bad = 0;
    for (const auto& t : tensors) {
      if (t.layer != layer.name) continue;
      ++n;
      bad += t.pass() ? 0 : 1;
    }
    if (n == 0) continue;
    s += std::string(bad ? "FAIL " : "PASS ") + layer.name + " (" + std::to_string(n) +
         (n == 1 ? " tensor" : " tensors") + (bad ? ", " + std::to_string(bad) + " differ" : "") +
         ")\n";
  }
  return s;
}

}  // namespace intvit::sim
