#include "compiler/lower/groups.h"

#include "model/common/error.h"

namespace intvit::compiler {

using model::OpKind;

std::string GroupKindName(GroupKind k) {
  switch (k) {
    case GroupKind::kPatchEmbed: return "patch_embed";
    case GroupKind::kRequantResidual: return "requant";
    case GroupKind::kNorm: return "norm";
    case GroupKind::kLinear: return "linear";
    case GroupKind::kAttention: return "attention";
  }
  return "?";
}

namespace {

class Matcher {
 public:
  explicit Matcher(const model::Graph& g) : g_(g) {}

  std::vector<Group> Run() {
    while (i_ < g_.nodes.size()) groups_.push_back(Next());
    return std::move(groups_);
  }

 private:
  const model::Node& At(std::size_t i) const {
    Require(i < g_.nodes.size(), "compiler: the graph ends inside a node group after node " +
                                     g_.nodes.back().name);
    return g_.nodes[i];
  }
  bool Is(std::size_t i, OpKind k) const { return i < g_.nodes.size() && g_.nodes[i].kind == k; }
  // Node i consumes the output of node j as its first input.
  bool Feeds(std::size_t j, std::size_t i) const {
    return i < g_.nodes.size() && !g_.nodes[i].inputs.empty() &&
           g_.nodes[i].inputs[0] == g_.nodes[j].output;
  }
  [[noreturn]] void Unsupported(const std::string& why) const {
    throw InputError("compiler: unsupported graph at node '" + At(i_).name + "' (" +
                     std::string(model::OpKindName(At(i_).kind)) + "): " + why);
  }

  Group Take(GroupKind kind, std::string name, std::size_t count) {
    Group grp{kind, std::move(name), {}, -1};
    for (std::size_t k = 0; k < count; ++k) grp.nodes.push_back(static_cast<int>(i_ + k));
    grp.output = At(i_ + count - 1).output;
    i_ += count;
    return grp;
  }

  Group Next() {
    const model::Node& n = At(i_);
    switch (n.kind) {
      case OpKind::kConvPatch:
        if (!Is(i_ + 1, OpKind::kRequant) || !Feeds(i_, i_ + 1) || !Is(i_ + 2, OpKind::kConcatCls)) {
          Unsupported("conv_patch must be followed by its requant and concat_cls");
        }
        return Take(GroupKind::kPatchEmbed, "patch_embed", 3);
      case OpKind::kRequant:
        if (n.inputs.size() != 2) Unsupported("a lone requant must have a residual input");
        return Take(GroupKind::kRequantResidual, n.name, 1);
      case OpKind::kTakeClsRow:
        if (!Is(i_ + 1, OpKind::kLayerNorm) || !Is(i_ + 2, OpKind::kRequant)) {
          Unsupported("take_cls_row must be followed by layernorm and requant");
        }
        return Take(GroupKind::kNorm, At(i_ + 1).name, 3);
      case OpKind::kLayerNorm:
        if (!Is(i_ + 1, OpKind::kRequant) || !Feeds(i_, i_ + 1)) {
          Unsupported("layernorm must be followed by its requant");
        }
        return Take(GroupKind::kNorm, n.name, 2);
      case OpKind::kLinear:
        return Linear();
      case OpKind::kAttnScores:
        return Attention();
      default:
        Unsupported("no node group starts with this kind");
    }
  }

  Group Linear() {
    const std::size_t s = i_;
    if (!Is(s + 1, OpKind::kRequant) || !Feeds(s, s + 1)) {
      return Take(GroupKind::kLinear, At(s).name, 1);
    }
    if (At(s + 1).inputs.size() != 1) Unsupported("the requant after a linear has a residual");
    if (Is(s + 2, OpKind::kRequant) && Feeds(s + 1, s + 2) && At(s + 2).inputs.size() == 2) {
      return Take(GroupKind::kLinear, At(s).name, 3);
    }
    if (Is(s + 2, OpKind::kShiftGelu) && Feeds(s + 1, s + 2)) {
      if (!Is(s + 3, OpKind::kRequant) || !Feeds(s + 2, s + 3) || At(s + 3).inputs.size() != 1) {
        Unsupported("shiftgelu must be followed by a requant without residual");
      }
      return Take(GroupKind::kLinear, At(s).name, 4);
    }
    return Take(GroupKind::kLinear, At(s).name, 2);
  }

  Group Attention() {
    const std::size_t s = i_;
    const int qkv = At(s).inputs.at(0);
    std::size_t k = s;
    int heads = 0;
    while (Is(k, OpKind::kAttnScores)) {
      if (At(k).head != heads || At(k).inputs.at(0) != qkv || !Is(k + 1, OpKind::kRequant) ||
          !Feeds(k, k + 1) || !Is(k + 2, OpKind::kShiftmax) || !Feeds(k + 1, k + 2) ||
          !Is(k + 3, OpKind::kAttnContext) || !Feeds(k + 2, k + 3) ||
          At(k + 3).inputs.at(1) != qkv) {
        Unsupported("attention heads must be scores, requant, shiftmax, context, in head order");
      }
      k += 4;
      ++heads;
    }
    if (heads != g_.config.num_heads || !Is(k, OpKind::kRequant) || !Feeds(k - 1, k) ||
        At(k).inputs.size() != 1) {
      Unsupported("attention must cover every head and end with the context requant");
    }
    std::string name = At(s).name;  // blocks.i.attn.matmul_1.h0 -> blocks.i.attn
    name = name.substr(0, name.find(".matmul_1"));
    return Take(GroupKind::kAttention, name, k - s + 1);
  }

  const model::Graph& g_;
  std::size_t i_ = 0;
  std::vector<Group> groups_;
};

}  // namespace

std::vector<Group> FindGroups(const model::Graph& g) { return Matcher(g).Run(); }

}  // namespace intvit::compiler
