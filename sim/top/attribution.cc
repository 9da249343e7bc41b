#include "sim/top/attribution.h"

#include <map>

#include "model/common/error.h"
#include "model/tensor/dtype.h"

namespace intvit::sim {
namespace {

using isa::Opcode;
using model::OpKind;

struct Group {
  std::vector<int> nodes;  // graph node indices
  std::string kind;
  int gemm = -1, gelu = -1, layernorm = -1;
  std::vector<int> requants;  // in node order
  // attention, per head
  std::vector<int> scores, scores_rq, softmax, context;
  // qkv region, for the head of an attention load
  std::uint64_t qkv_addr = 0, qkv_bytes = 0, qkv_pitch = 0;
  std::int64_t head_dim = 1, heads = 1, embed = 1;
};

Group Describe(const compiler::Program& p, const compiler::LayerInfo& layer, const model::Graph& g,
               const std::map<std::string, int>& by_name) {
  Group grp;
  grp.kind = layer.kind;
  for (const std::string& name : layer.nodes) {
    auto it = by_name.find(name);
    Require(it != by_name.end(),
            "layer " + layer.name + " names node '" + name + "', which the graph does not have");
    const int n = it->second;
    grp.nodes.push_back(n);
    switch (g.nodes[n].kind) {
      case OpKind::kLinear:
      case OpKind::kConvPatch:
        grp.gemm = n;
        break;
      case OpKind::kShiftGelu:
        grp.gelu = n;
        break;
      case OpKind::kLayerNorm:
        grp.layernorm = n;
        break;
      case OpKind::kRequant:
        grp.requants.push_back(n);
        break;
      case OpKind::kAttnScores:
        grp.scores.push_back(n);
        break;
      case OpKind::kShiftmax:
        grp.softmax.push_back(n);
        break;
      case OpKind::kAttnContext:
        grp.context.push_back(n);
        break;
      default:
        break;
    }
  }
  if (!grp.scores.empty()) {
    // Per head: scores, requant, shiftmax, context; the group's last requant covers all heads.
    for (std::size_t h = 0; h < grp.scores.size(); ++h) grp.scores_rq.push_back(grp.scores[h] + 1);
    grp.heads = static_cast<std::int64_t>(grp.scores.size());
    grp.head_dim = g.config.head_dim();
    grp.embed = g.config.embed_dim;
    const model::TensorInfo& qkv = g.tensors.at(g.nodes[grp.scores[0]].inputs.at(0));
    if (const compiler::DramRegion* r = p.memory.Find(qkv.name)) {
      grp.qkv_addr = r->addr;
      grp.qkv_bytes = r->bytes;
      grp.qkv_pitch = static_cast<std::uint64_t>(qkv.shape.back() * model::DTypeSize(qkv.dtype));
    }
  }
  return grp;
}

bool IsCompute(Opcode op) {
  switch (op) {
    case Opcode::kGemm:
    case Opcode::kRequant:
    case Opcode::kShiftmax:
    case Opcode::kGelu:
    case Opcode::kLayernorm:
    case Opcode::kAdd:
      return true;
    default:
      return false;
  }
}

// The column of qkv a load reads, or -1 when it does not read qkv.
std::int64_t QkvColumn(const Group& grp, const isa::Instr& in) {
  if (grp.qkv_pitch == 0 || in.dram_addr < grp.qkv_addr ||
      in.dram_addr >= grp.qkv_addr + grp.qkv_bytes) {
    return -1;
  }
  return static_cast<std::int64_t>((in.dram_addr - grp.qkv_addr) % grp.qkv_pitch);
}

}  // namespace

std::vector<int> AttributeInstructions(const compiler::Program& p, const model::Graph& g) {
  std::map<std::string, int> by_name;
  for (std::size_t n = 0; n < g.nodes.size(); ++n) by_name[g.nodes[n].name] = static_cast<int>(n);
  std::vector<int> node(p.instrs.size(), -1);
  for (const compiler::LayerInfo& layer : p.layers) {
    const Group grp = Describe(p, layer, g, by_name);
    const std::size_t first = layer.first_instr, end = layer.first_instr + layer.num_instrs;
    Require(end <= p.instrs.size(), "layer " + layer.name + " runs past the program's end");
    const int fallback = grp.nodes.empty() ? -1 : grp.nodes.back();
    // Pass 1: compute instructions.
    std::int64_t head = 0;
    bool after_scores = true;
    for (std::size_t i = first; i < end; ++i) {
      const isa::Instr& in = p.instrs[i];
      const auto op = static_cast<Opcode>(in.opcode);
      if (op == Opcode::kLoad) {
        const std::int64_t col = QkvColumn(grp, in);
        if (col >= 0) head = (col / grp.head_dim) % grp.heads;
        continue;
      }
      if (!IsCompute(op)) continue;
      const bool attention = !grp.scores.empty();
      const auto h = static_cast<std::size_t>(head);
      int n = fallback;
      switch (op) {
        case Opcode::kGemm:
          if (attention) {
            after_scores = in.b_kn == 0;
            n = after_scores ? grp.scores.at(h) : grp.context.at(h);
          } else if (grp.gemm >= 0) {
            n = grp.gemm;
          }
          break;
        case Opcode::kRequant:
          if (attention) {
            n = after_scores ? grp.scores_rq.at(h) : grp.requants.back();
          } else if (!grp.requants.empty()) {
            if (grp.gemm < 0) {
              n = grp.requants.back();  // norm, patch-free requant groups
            } else if (in.residual) {
              n = grp.requants.back();
            } else if (in.src0_buf == static_cast<std::uint64_t>(isa::Buffer::kVec)) {
              n = grp.requants.back();  // after ShiftGELU
            } else {
              n = grp.requants.front();
            }
          }
          break;
        case Opcode::kShiftmax:
          n = attention ? grp.softmax.at(h) : fallback;
          break;
        case Opcode::kGelu:
          n = grp.gelu >= 0 ? grp.gelu : fallback;
          break;
        case Opcode::kLayernorm:
          n = grp.layernorm >= 0 ? grp.layernorm : fallback;
          break;
        default:
          break;
      }
      node[i] = n;
    }
    // Pass 2: loads take the next compute node, stores the previous, syncs the next.
    int next = -1;
    for (std::size_t i = end; i-- > first;) {
      const auto op = static_cast<Opcode>(p.instrs[i].opcode);
      if (IsCompute(op)) {
        next = node[i];
      } else if (op == Opcode::kLoad) {
        node[i] = next;
        const std::int64_t col = QkvColumn(grp, p.instrs[i]);
        if (col >= 2 * grp.embed) {
          node[i] = grp.context.at(static_cast<std::size_t>((col / grp.head_dim) % grp.heads));
        }
      } else if (op == Opcode::kSync || op == Opcode::kNop) {
        node[i] = next;
      }
    }
    int prev = -1;
    for (std::size_t i = first; i < end; ++i) {
      const auto op = static_cast<Opcode>(p.instrs[i].opcode);
      if (IsCompute(op)) {
        prev = node[i];
      } else if (op == Opcode::kStore) {
        node[i] = prev;
      }
      if (node[i] < 0 && op != Opcode::kFinish) node[i] = prev >= 0 ? prev : fallback;
    }
  }
  return node;
}

}  // namespace intvit::sim
