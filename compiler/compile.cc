#include "compiler/compile.h"

#include "compiler/isa/codec.h"
#include "compiler/lower/dram_layout.h"
#include "compiler/lower/groups.h"
#include "compiler/lower/lower_attention.h"
#include "compiler/lower/lower_linear.h"
#include "compiler/lower/lower_vector.h"
#include "model/common/error.h"

namespace intvit::compiler {
namespace {

using model::OpKind;

// Checks the model-wide knobs the ISA can express.
void CheckEncodable(const model::Graph& g) {
  const model::ModelConfig& c = g.config;
  Require(c.div == model::kDivDefault || c.div == model::kDivFloat32,
          "compiler: div = " + std::to_string(c.div) +
              " cannot be encoded; the accelerator supports 2^31 - 1 and 2^31 (div_pow2)");
  constexpr std::int64_t kImmMin = -(std::int64_t{1} << 23);
  for (const auto& [name, p] : g.params.shiftmaxes) {
    Require(p.x0 >= kImmMin, "compiler: " + name + " x0 = " + std::to_string(p.x0) +
                                 " does not fit the 24-bit immediate (input scale too small)");
  }
  for (const auto& [name, p] : g.params.gelus) {
    Require(p.x0 >= kImmMin, "compiler: " + name + " x0 = " + std::to_string(p.x0) +
                                 " does not fit the 24-bit immediate (input scale too small)");
  }
}

class Compiler {
 public:
  Compiler(const model::Graph& g, const DramLayout& L) : g_(g), L_(L) {}

  void Lower(Lowering& lw, const Group& grp) {
    std::vector<std::string> names;
    for (int i : grp.nodes) names.push_back(g_.nodes[i].name);
    switch (grp.kind) {
      case GroupKind::kPatchEmbed: return PatchEmbed(lw, grp, names);
      case GroupKind::kRequantResidual: return ResidualRequant(lw, grp, names);
      case GroupKind::kNorm: return Norm(lw, grp, names);
      case GroupKind::kLinear: return Linear(lw, grp, names);
      case GroupKind::kAttention: return Attention(lw, grp, names);
    }
  }

 private:
  const model::Node& N(const Group& grp, std::size_t k) const { return g_.nodes[grp.nodes.at(k)]; }
  const DramTensor& T(int id) const { return L_.Of(g_, id); }
  RequantRef Rq(const model::Node& n) const { return L_.requants.at(n.params_key); }

  void PatchEmbed(Lowering& lw, const Group& grp, std::vector<std::string> names) {
    const model::Node& conv = N(grp, 0);
    const model::Node& rq = N(grp, 1);
    const model::ModelConfig& c = g_.config;
    LinearSpec s;
    s.name = grp.name;
    s.nodes = std::move(names);
    s.node.gemm = grp.nodes.at(0), s.node.rq1 = grp.nodes.at(1);
    s.m = c.num_patches(), s.n = c.embed_dim, s.k = c.patch_dim();
    s.a = T(conv.inputs.at(0));
    s.im2col = true;
    s.conv = {c.in_channels, c.image_size, c.image_size, c.patch_size, c.embed_dim};
    s.w = T(conv.inputs.at(1));
    s.has_bias = true;
    s.bias_addr = T(conv.inputs.at(2)).addr;
    s.epilogue = LinearSpec::Epilogue::kRequant;
    s.rq1 = Rq(rq);
    s.mid_dtype = g_.tensors[rq.output].dtype;
    s.out = T(rq.output);  // the view: rows 1.. of cls_concat
    LowerLinear(lw, s);
  }

  void ResidualRequant(Lowering& lw, const Group& grp, std::vector<std::string> names) {
    const model::Node& n = N(grp, 0);
    ResidualRequantSpec s{grp.name, std::move(names), T(n.inputs.at(0)), T(n.inputs.at(1)),
                          T(n.output), Rq(n), grp.nodes.at(0)};
    Require(s.x.dtype == model::DType::kInt16 && s.res.dtype == model::DType::kInt16 &&
                s.out.dtype == model::DType::kInt16,
            "compiler: " + n.name + ": a residual requant over DRAM must be int16 + int16 -> int16");
    LowerResidualRequant(lw, s);
  }

  void Norm(Lowering& lw, const Group& grp, std::vector<std::string> names) {
    const std::size_t first = N(grp, 0).kind == OpKind::kTakeClsRow ? 1 : 0;
    const model::Node& ln = N(grp, first);
    const model::Node& rq = N(grp, first + 1);
    NormSpec s;
    s.name = grp.name;
    s.nodes = std::move(names);
    s.x = T(ln.inputs.at(0));
    s.out = T(rq.output);
    s.ln = &g_.params.layernorms.at(ln.params_key);
    s.bias_int_addr = L_.ln_bias_int.at(ln.params_key);
    s.rq = Rq(rq);
    s.ln_node = grp.nodes.at(first), s.rq_node = grp.nodes.at(first + 1);
    LowerNorm(lw, s);
  }

  void Linear(Lowering& lw, const Group& grp, std::vector<std::string> names) {
    const model::Node& lin = N(grp, 0);
    const model::Graph::GemmDims dims = g_.Dims(lin);
    LinearSpec s;
    s.name = grp.name;
    s.nodes = std::move(names);
    s.node.gemm = grp.nodes.at(0);
    s.m = dims.m, s.n = dims.n, s.k = dims.k;
    s.a = T(lin.inputs.at(0));
    s.w = T(lin.inputs.at(1));
    s.has_bias = lin.inputs.size() > 2;
    if (s.has_bias) s.bias_addr = T(lin.inputs[2]).addr;
    s.out = T(grp.output);
    using Epi = LinearSpec::Epilogue;
    if (grp.nodes.size() == 1) {
      s.epilogue = Epi::kStoreInt32;
    } else {
      s.rq1 = Rq(N(grp, 1));
      s.node.rq1 = grp.nodes.at(1);
      s.mid_dtype = g_.tensors[N(grp, 1).output].dtype;
      if (grp.nodes.size() == 2) {
        s.epilogue = Epi::kRequant;
      } else if (grp.nodes.size() == 3) {
        const model::Node& r2 = N(grp, 2);
        s.epilogue = Epi::kResidual;
        s.rq2 = Rq(r2);
        s.node.rq2 = grp.nodes.at(2);
        s.residual = T(r2.inputs.at(1));
        Require(s.mid_dtype == model::DType::kInt16 && s.residual.dtype == model::DType::kInt16,
                "compiler: " + r2.name + ": the residual requant must add int16 to int16");
      } else {
        s.epilogue = Epi::kGelu;
        s.gelu = &g_.params.gelus.at(N(grp, 2).params_key);
        s.rq2 = Rq(N(grp, 3));
        s.node.gelu = grp.nodes.at(2), s.node.rq2 = grp.nodes.at(3);
        Require(s.mid_dtype == model::DType::kInt8, "compiler: ShiftGELU needs int8 inputs");
      }
    }
    LowerLinear(lw, s);
  }

  void Attention(Lowering& lw, const Group& grp, std::vector<std::string> names) {
    const model::ModelConfig& c = g_.config;
    const model::Node& scores = N(grp, 0);
    AttentionSpec s;
    s.name = grp.name;
    s.nodes = std::move(names);
    s.tokens = c.tokens(), s.heads = c.num_heads, s.head_dim = c.head_dim();
    s.qkv = T(scores.inputs.at(0));
    s.ctx = T(grp.output);
    s.scores_rq = Rq(N(grp, 1));
    s.shiftmax = &g_.params.shiftmaxes.at(N(grp, 2).params_key);
    s.ctx_rq = Rq(N(grp, grp.nodes.size() - 1));
    // Per head: scores, requant, shiftmax, context (FindGroups checked the order).
    for (std::size_t k = 0; k + 4 < grp.nodes.size(); k += 4) {
      s.head_nodes.push_back(
          {grp.nodes[k], grp.nodes[k + 1], grp.nodes[k + 2], grp.nodes[k + 3]});
    }
    s.ctx_rq_node = grp.nodes.back();
    LowerAttention(lw, s);
  }

  const model::Graph& g_;
  const DramLayout& L_;
};

// The row units hold a whole row in their row buffer: a row longer than <unit>.max_cols cannot
// run on this accelerator (the lowering never splits a Shiftmax, ShiftGELU or LayerNorm row).
void CheckRowLengths(const Program& p) {
  for (std::size_t k = 0; k < p.instrs.size(); ++k) {
    const isa::Instr& in = p.instrs[k];
    const isa::Unit unit = isa::UnitOf(in);
    const RowUnitConfig* u = p.arch.RowUnit(unit);
    if (u == nullptr || static_cast<std::int64_t>(in.cols) <= u->max_cols) continue;
    const std::string name(isa::UnitName(unit));
    throw InputError("compiler: layer " + p.LayerName(k) + " needs " + name + " rows of " +
                     std::to_string(in.cols) + " columns, more than " + name +
                     ".max_cols = " + std::to_string(u->max_cols) + " of arch config " +
                     p.arch.name);
  }
}

}  // namespace

Program Compile(const model::Graph& g, const ArchConfig& arch, const std::string& model_name) {
  CheckEncodable(g);
  Program p;
  p.arch = arch;
  p.model_name = model_name.empty() ? g.config.arch : model_name;
  for (const model::Node& n : g.nodes) p.node_names.push_back(n.name);
  const std::vector<Group> groups = FindGroups(g);
  const DramLayout L = LayOutDram(g, groups, p);
  Require(p.memory.dram_bytes <= (std::uint64_t{1} << 32),
          "compiler: the DRAM image (" + std::to_string(p.memory.dram_bytes) +
              " bytes) exceeds the 32-bit DRAM address space");
  Lowering lw(p, L.read_only_end);
  Compiler c(g, L);
  for (const Group& grp : groups) c.Lower(lw, grp);
  // finish belongs to the last layer.
  isa::Instr fin;
  fin.opcode = static_cast<std::uint64_t>(isa::Opcode::kFinish);
  fin.layer = p.layers.empty() ? 0 : p.layers.size() - 1;
  p.instrs.push_back(fin);
  p.instr_node.push_back(-1);
  if (!p.layers.empty()) ++p.layers.back().num_instrs;
  CheckRowLengths(p);
  return p;
}

}  // namespace intvit::compiler
