// Program: what the compiler produces for one model on one ArchConfig. Instructions, the DRAM
// image with its MemoryMap, per-layer annotations, and the DRAM tensors that the functional
// executor and the TLM model compare with the GoldenTrace. docs/compiler.md describes it.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "compiler/arch_config.h"
#include "compiler/isa/isa_generated.h"
#include "model/tensor/dtype.h"

namespace intvit::compiler {

// One named range of DRAM. kind: "weight", "bias", "requant" (16-byte (int64 m, int64 e)
// pairs), "layernorm" (int64 bias_int), "constant" (pos_embed), "input" (the image, written
// before a run), "activation" (written by the program; cls_concat's row 0 is preloaded).
struct DramRegion {
  std::string name;
  std::string kind;
  std::uint64_t addr = 0;
  std::uint64_t bytes = 0;
  model::DType dtype = model::DType::kInt8;
  std::vector<std::int64_t> shape;
};

// One SRAM allocation of a layer (each layer allocates from address 0 of every buffer).
struct SramSlot {
  int layer = 0;
  isa::Buffer buffer = isa::Buffer::kAct;
  std::string name;
  std::uint64_t addr = 0;
  std::uint64_t bytes = 0;
};

struct MemoryMap {
  std::vector<DramRegion> dram;
  std::uint64_t dram_bytes = 0;
  std::vector<SramSlot> sram;
  std::array<std::uint64_t, isa::kNumBuffers> sram_peak{};  // largest layer footprint

  const DramRegion* Find(const std::string& name) const;  // nullptr if absent
  std::uint64_t BytesOfKind(const std::string& kind) const;
};

// A node group lowered together; its instructions are [first_instr, first_instr + num_instrs).
struct LayerInfo {
  std::string name;                // "blocks.0.attn.qkv"
  std::string kind;                // "patch_embed", "linear", "attention", "norm", "requant"
  std::vector<std::string> nodes;  // graph nodes it covers
  std::string tiling;              // one line: the tile sizes and buffering chosen
  std::size_t first_instr = 0;
  std::size_t num_instrs = 0;
  std::int64_t macs = 0;
  std::uint64_t dram_read_bytes = 0;
  std::uint64_t dram_write_bytes = 0;
};

// A DRAM-resident tensor the golden trace also holds: rows x cols elements of `dtype`, row r at
// dram_addr + r * row_pitch. Some are views: patch_embed.qact is rows 1.. of cls_concat.
struct CheckedTensor {
  std::string tensor;  // GoldenTrace tensor name
  int layer = 0;       // the layer that writes it
  std::uint64_t dram_addr = 0;
  model::DType dtype = model::DType::kInt8;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::uint64_t row_pitch = 0;  // bytes
};

struct Program {
  ArchConfig arch;
  std::string model_name;
  std::vector<isa::Instr> instrs;
  // The Graph node each instruction works for (its index in Graph::nodes), -1 for none (finish).
  // The lowering records it at emission time, for every instruction of a group: the compute
  // instructions, the loads of their operands, the stores of their results and the syncs that
  // carry extra waits of an instruction. Reports (layers.csv, traces) use it.
  std::vector<std::int32_t> instr_node;
  // Graph::nodes[n].name, so that listings name instr_node without the graph.
  std::vector<std::string> node_names;
  std::vector<LayerInfo> layers;
  MemoryMap memory;
  std::vector<std::uint8_t> dram_image;  // memory.dram_bytes bytes, constants filled in
  std::vector<CheckedTensor> checks;
  std::string input_tensor = "input";    // the image's region in memory.dram
  std::string output_tensor;             // the logits' region

  // Instructions per opcode name, in opcode order.
  std::vector<std::pair<std::string, std::uint64_t>> OpcodeCounts() const;
  // The layer an instruction belongs to (its `layer` field), or "" when out of range.
  std::string LayerName(std::size_t instr_index) const;
  // The name of the Graph node an instruction works for (instr_node), or "" when it has none.
  std::string NodeName(std::size_t instr_index) const;
};

// memory_map.json: regions, SRAM slots and peaks, layers, checked tensors.
nlohmann::json MemoryMapJson(const Program& p);
// program.asm: a header with the config summary, then per layer a comment line and its
// instructions, each with its index and, as a trailing comment, the Graph node it works for.
std::string ProgramListing(const Program& p);
// The compile summary: instructions by opcode, DRAM bytes by region kind, SRAM peaks.
std::string ProgramSummary(const Program& p);

}  // namespace intvit::compiler
