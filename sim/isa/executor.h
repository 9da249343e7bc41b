// The functional executor: runs a compiled Program instruction by instruction on a Machine and
// compares the DRAM-resident tensors with the GoldenTrace, bit for bit.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/program.h"
#include "model/exec/run_reference.h"
#include "model/graph/graph.h"
#include "model/tensor/tensor.h"
#include "sim/isa/machine.h"

namespace intvit::sim {

struct ExecOptions {
  // Without a seed, instructions run in program order. With one, the executor runs a random
  // legal schedule instead: each step picks a random unit whose next instruction's waits are
  // met. A program whose waits miss a dependency then computes wrong values (or deadlocks,
  // which is reported), so this checks the compiler's dependency tokens.
  std::optional<std::uint64_t> shuffle_seed;
};

struct ExecStats {
  std::uint64_t instructions = 0;
  std::array<std::uint64_t, isa::kNumUnits> per_unit{};
  std::uint64_t macs = 0;
};

// Copies the image into the program's input region, runs every instruction, and returns the
// final machine. Throws InputError for a bad image, an instruction error (see
// ExecuteInstruction), a wait on a count the unit never reaches, or a deadlock.
Machine RunProgram(const compiler::Program& p, const model::Tensor& image,
                   const ExecOptions& options = {}, ExecStats* stats = nullptr);

// Runs a program on a given DRAM image (no input copy); for hand-made programs.
Machine RunInstructions(const compiler::ArchConfig& arch, const std::vector<isa::Instr>& instrs,
                        std::vector<std::uint8_t> dram, const ExecOptions& options = {},
                        ExecStats* stats = nullptr);

struct TensorCheck {
  std::string tensor;
  std::string layer;
  std::int64_t elements = 0;
  std::int64_t mismatches = 0;
  // The first mismatch (row-major order).
  std::int64_t row = -1, col = -1;
  std::int64_t expected = 0, actual = 0;
  bool pass() const { return mismatches == 0; }
};

struct CheckReport {
  std::vector<TensorCheck> tensors;
  bool pass() const;
  const TensorCheck* FirstFailure() const;
  // "layer L, tensor T[r, c]: expected E, got A (N of M elements differ)".
  std::string FirstMismatchText() const;
  // One line per layer: "PASS blocks.0.attn.qkv (1 tensor)".
  std::string PerLayerText(const compiler::Program& p) const;
};

// Compares every checked tensor of `p` in the machine's DRAM with the trace.
CheckReport CheckAgainstTrace(const compiler::Program& p, const Machine& m,
                              const model::Graph& g, const model::GoldenTrace& trace);

}  // namespace intvit::sim
