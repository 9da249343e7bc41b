#include "compiler/lower/lower_attention.h"

#include <optional>

#include "compiler/tiler/tile_search.h"
#include "model/common/error.h"

namespace intvit::compiler {
namespace {

using isa::Buffer;
using isa::Instr;
using isa::Opcode;

constexpr std::uint64_t U(std::int64_t v) { return static_cast<std::uint64_t>(v); }
constexpr std::uint64_t Op(Opcode o) { return static_cast<std::uint64_t>(o); }
std::uint64_t Ty(model::DType t) { return static_cast<std::uint64_t>(ElemTypeOf(t)); }

struct Slots {
  Ring q, logits, probs, out, k, v, scores, ctx;
  RequantTables scores_rq, ctx_rq;
};

Slots Allocate(const AttentionSpec& s, const AttentionTiling& t, SramAllocator& al) {
  const std::int64_t T = s.tokens, d = s.head_dim;
  Slots sl;
  sl.q = Ring::Make(al, Buffer::kAct, U(t.mb * d), t.bufs, "q");
  sl.logits = Ring::Make(al, Buffer::kAct, U(t.mb * T), t.bufs, "logits");
  sl.probs = Ring::Make(al, Buffer::kAct, U(t.mb * T * 2), t.bufs, "probs");
  sl.out = Ring::Make(al, Buffer::kAct, U(t.mb * d), t.bufs, "ctx_out");
  sl.k = Ring::Make(al, Buffer::kWgt, U(t.tk * d), t.bufs, "k");
  sl.v = Ring::Make(al, Buffer::kWgt, U(t.tk * d), t.bufs, "v");
  sl.scores = Ring::Make(al, Buffer::kAcc, U(t.mb * T * 4), t.bufs, "scores");
  sl.ctx = Ring::Make(al, Buffer::kAcc, U(t.mb * d * 4), t.bufs, "ctx");
  sl.scores_rq = RequantTables(al, s.scores_rq, 0, "qact_attn1.me", "qact_attn1.res_me");
  sl.ctx_rq = RequantTables(al, s.ctx_rq, t.tables_resident ? 0 : d, "qact2.me", "qact2.res_me");
  return sl;
}

bool Fits(const AttentionSpec& s, const AttentionTiling& t, const ArchConfig& arch) {
  SramAllocator al;
  Allocate(s, t, al);
  return al.Fits(arch);
}

double Cost(const AttentionSpec& s, const AttentionTiling& t) {
  const double T = static_cast<double>(s.tokens), d = static_cast<double>(s.head_dim),
               h = static_cast<double>(s.heads);
  const double mblocks = static_cast<double>(CeilDiv(s.tokens, t.mb));
  const double chunks = static_cast<double>(CeilDiv(s.tokens, t.tk));
  double bytes = h * T * d * 2.0;  // q in, context out
  bytes += h * 2.0 * T * d * (t.kv_resident ? 1.0 : mblocks);
  double instrs = h * mblocks * (6.0 + 2.0 * chunks * (t.kv_resident ? 1.0 : 2.0));
  return TilingCost(bytes, instrs, t.bufs == 2);
}

}  // namespace

std::string AttentionTiling::ToString() const {
  std::string s = "tiles: query rows " + std::to_string(mb) + ", keys per chunk " +
                  std::to_string(tk) + (bufs == 2 ? ", double-buffered" : ", single-buffered");
  s += kv_resident ? ", K/V resident per head" : ", K/V streamed per row block";
  if (!tables_resident) s += ", params per head";
  return s;
}

AttentionTiling PlanAttention(const AttentionSpec& s, const ArchConfig& arch) {
  const std::int64_t T = s.tokens;
  CheckLimit(s.name, "tokens", U(T), kMaxStride);
  std::vector<std::int64_t> mc = TileCandidates(T, 1, 1, 24);
  std::vector<std::int64_t> kc = TileCandidates(T, arch.array_cols, 1, 12);
  std::optional<AttentionTiling> best;
  double best_cost = 0;
  for (int bufs : {2, 1}) {
    for (bool tables : {true, false}) {
      for (std::int64_t tk : kc) {
        AttentionTiling t{0, tk, bufs, tk == T, tables};
        const auto mb = LargestFitting(mc, [&](std::int64_t m) {
          t.mb = m;
          return Fits(s, t, arch);
        });
        if (!mb) continue;
        t.mb = *mb;
        const double cost = Cost(s, t);
        if (!best || cost < best_cost) best = t, best_cost = cost;
      }
    }
  }
  if (!best) {
    AttentionTiling t{1, kc.back(), 1, false, false};
    SramAllocator al;
    Allocate(s, t, al);
    throw InputError("layer " + s.name + " does not fit the SRAMs of arch '" + arch.name +
                     "' even with the smallest tiles (1 query row, " + std::to_string(t.tk) +
                     " keys per chunk, single-buffered; a Shiftmax row needs all " +
                     std::to_string(T) + " scores): " + al.Overflow(arch));
  }
  return *best;
}

void LowerAttention(Lowering& lw, const AttentionSpec& s) {
  const AttentionTiling t = PlanAttention(s, lw.arch());
  const std::int64_t T = s.tokens, d = s.head_dim, C = s.heads * d;
  SramAllocator& al = lw.BeginLayer(s.name, "attention", s.nodes, 2 * s.heads * T * T * d,
                                    t.ToString());
  Slots sl = Allocate(s, t, al);
  const model::ShiftmaxParams& sp = *s.shiftmax;
  auto load_rows = [&](Ring& ring, std::int64_t col0, std::int64_t r0, std::int64_t rows) {
    const std::uint64_t addr = ring.Next();
    lw.Load(Buffer::kWgt, addr, U(d), s.qkv.At(r0, col0), s.qkv.pitch, U(rows), U(d));
    return addr;
  };
  for (std::int64_t h = 0; h < s.heads; ++h) {
    const std::int64_t qcol = h * d, kcol = C + h * d, vcol = 2 * C + h * d;
    // The head's nodes: Q and K work for its scores, V for its context.
    const auto hi = static_cast<std::size_t>(h);
    const AttentionSpec::HeadNodes hn =
        hi < s.head_nodes.size() ? s.head_nodes[hi] : AttentionSpec::HeadNodes{};
    std::uint64_t k_all = 0, v_all = 0;
    if (t.kv_resident) {
      lw.SetNode(hn.scores);
      k_all = load_rows(sl.k, kcol, 0, T);
      lw.SetNode(hn.context);
      v_all = load_rows(sl.v, vcol, 0, T);
    }
    for (std::int64_t m0 = 0; m0 < T; m0 += t.mb) {
      const std::int64_t mr = std::min(t.mb, T - m0);
      lw.SetNode(hn.scores);
      const std::uint64_t q = sl.q.Next();
      lw.Load(Buffer::kAct, q, U(d), s.qkv.At(m0, qcol), s.qkv.pitch, U(mr), U(d));
      // scores[m, j] = q[m] . k[j]: K_h rows are the [n][k] operand.
      const std::uint64_t sc = sl.scores.Next();
      for (std::int64_t j0 = 0; j0 < T; j0 += t.tk) {
        const std::int64_t jr = std::min(t.tk, T - j0);
        const std::uint64_t k = t.kv_resident ? k_all + U(j0 * d) : load_rows(sl.k, kcol, j0, jr);
        Instr g;
        g.opcode = Op(Opcode::kGemm);
        g.src0_addr = q, g.src0_type = Ty(model::DType::kInt8), g.src0_stride = U(d);
        g.src1_addr = k, g.src1_stride = U(d);
        g.dst_addr = sc + U(j0 * 4), g.dst_stride = U(T);
        g.rows = U(mr), g.cols = U(jr), g.depth = U(d);
        lw.Emit(g);
      }
      lw.SetNode(hn.scores_rq);
      const std::uint64_t lg = sl.logits.Next();
      Instr r;
      r.opcode = Op(Opcode::kRequant);
      r.src0_buf = static_cast<std::uint64_t>(Buffer::kAcc), r.src0_addr = sc;
      r.src0_type = Ty(model::DType::kInt32), r.src0_stride = U(T);
      r.dst_buf = static_cast<std::uint64_t>(Buffer::kAct), r.dst_addr = lg;
      r.dst_type = Ty(model::DType::kInt8), r.dst_stride = U(T);
      r.rows = U(mr), r.cols = U(T);
      sl.scores_rq.Fill(lw, r, 0, T);
      lw.Emit(r);
      lw.SetNode(hn.shiftmax);
      const std::uint64_t pr = sl.probs.Next();
      Instr sm;
      sm.opcode = Op(Opcode::kShiftmax);
      sm.src0_addr = lg, sm.src0_stride = U(T);
      sm.dst_addr = pr, sm.dst_stride = U(T);
      sm.rows = U(mr), sm.cols = U(T);
      sm.imm = sp.x0, sm.exp_n = U(sp.n), sm.out_bits = U(sp.out_bits);
      sm.div_pow2 = sp.div == model::kDivFloat32 ? 1 : 0;
      lw.Emit(sm);
      // ctx[m, :] = sum_j probs[m, j] * v[j, :]: V_h rows are the [k][n] operand.
      lw.SetNode(hn.context);
      const std::uint64_t cx = sl.ctx.Next();
      for (std::int64_t j0 = 0; j0 < T; j0 += t.tk) {
        const std::int64_t jr = std::min(t.tk, T - j0);
        const std::uint64_t v = t.kv_resident ? v_all + U(j0 * d) : load_rows(sl.v, vcol, j0, jr);
        Instr g;
        g.opcode = Op(Opcode::kGemm);
        g.src0_addr = pr + U(j0 * 2), g.src0_type = Ty(model::DType::kUint16), g.src0_stride = U(T);
        g.src1_addr = v, g.src1_stride = U(d), g.b_kn = 1;
        g.dst_addr = cx, g.dst_stride = U(d);
        g.rows = U(mr), g.cols = U(d), g.depth = U(jr);
        g.accumulate = j0 > 0 ? 1 : 0;
        lw.Emit(g);
      }
      lw.SetNode(s.ctx_rq_node);  // the requant into the context tensor and its store
      const std::uint64_t o = sl.out.Next();
      Instr c;
      c.opcode = Op(Opcode::kRequant);
      c.src0_buf = static_cast<std::uint64_t>(Buffer::kAcc), c.src0_addr = cx;
      c.src0_type = Ty(model::DType::kInt32), c.src0_stride = U(d);
      c.dst_buf = static_cast<std::uint64_t>(Buffer::kAct), c.dst_addr = o;
      c.dst_type = Ty(model::DType::kInt8), c.dst_stride = U(d);
      c.rows = U(mr), c.cols = U(d);
      sl.ctx_rq.Fill(lw, c, qcol, d);
      lw.Emit(c);
      lw.Store(Buffer::kAct, o, U(d), s.ctx.At(m0, qcol), s.ctx.pitch, U(mr), U(d));
    }
  }
  lw.EndLayer();
}

}  // namespace intvit::compiler
