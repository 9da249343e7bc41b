#include "compiler/lower/lower_vector.h"

#include <functional>
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

// Chooses rows per block, buffering and parameter chunking for a row-wise group whose SRAM
// use `allocate` describes; prefers double buffering, resident parameters, then more rows.
RowTiling PlanRows(const std::string& name, const ArchConfig& arch, std::int64_t total_rows,
                   std::int64_t cols, const std::function<void(const RowTiling&, SramAllocator&)>& allocate) {
  const std::vector<std::int64_t> rc = TileCandidates(total_rows, 1, 1, 24);
  std::vector<std::int64_t> chunks = {0};
  for (std::int64_t c : TileCandidates(cols, arch.array_cols, 1, 8)) {
    if (c < cols) chunks.push_back(c);
  }
  for (int bufs : {2, 1}) {
    for (std::int64_t chunk : chunks) {
      RowTiling t{0, bufs, chunk};
      const auto rows = LargestFitting(rc, [&](std::int64_t r) {
        t.rows = r;
        SramAllocator al;
        allocate(t, al);
        return al.Fits(arch);
      });
      if (rows) {
        t.rows = *rows;
        return t;
      }
    }
  }
  RowTiling t{1, 1, chunks.back()};
  SramAllocator al;
  allocate(t, al);
  throw InputError("layer " + name + " does not fit the SRAMs of arch '" + arch.name +
                   "' even with one row of " + std::to_string(cols) +
                   " channels, single-buffered: " + al.Overflow(arch));
}

Instr RequantInstr(Buffer src_buf, std::uint64_t src, model::DType src_t, Buffer dst_buf,
                   std::uint64_t dst, model::DType dst_t, std::int64_t rows, std::int64_t cols,
                   std::int64_t stride) {
  Instr r;
  r.opcode = Op(Opcode::kRequant);
  r.src0_buf = static_cast<std::uint64_t>(src_buf), r.src0_addr = src;
  r.src0_type = Ty(src_t), r.src0_stride = U(stride);
  r.dst_buf = static_cast<std::uint64_t>(dst_buf), r.dst_addr = dst;
  r.dst_type = Ty(dst_t), r.dst_stride = U(stride);
  r.rows = U(rows), r.cols = U(cols);
  return r;
}

}  // namespace

std::string RowTiling::ToString() const {
  return "tiles: rows " + std::to_string(rows) +
         (bufs == 2 ? ", double-buffered" : ", single-buffered") +
         (chunk ? ", params per " + std::to_string(chunk) + " channels" : "");
}

void LowerNorm(Lowering& lw, const NormSpec& s) {
  const std::int64_t R = s.x.rows, C = s.x.cols;
  CheckLimit(s.name, "channels", U(C), kMaxStride);
  const model::LayerNormParams& ln = *s.ln;
  Require(ln.sqrt_init <= (std::int64_t{1} << 23) - 1,
          "layer " + s.name + ": the LayerNorm Newton start " + std::to_string(ln.sqrt_init) +
              " does not fit the 24-bit immediate");
  struct Slots {
    Ring x, y, out;
    ChannelTable bias;
    RequantTables rq;
  };
  auto allocate = [&](const RowTiling& t, SramAllocator& al) {
    Slots sl;
    sl.x = Ring::Make(al, Buffer::kAct, U(t.rows * C * 2), t.bufs, "x");
    sl.out = Ring::Make(al, Buffer::kAct, U(t.rows * C), t.bufs, "out");
    sl.y = Ring::Make(al, Buffer::kVec, U(t.rows * C * 8), t.bufs, "ln_out");
    sl.bias = ChannelTable(al, Buffer::kVec, s.bias_int_addr, C, 8, 0, "bias_int");
    sl.rq = RequantTables(al, s.rq, t.chunk, "rq.me", "rq.res_me");
    return sl;
  };
  const RowTiling t = PlanRows(s.name, lw.arch(), R, C,
                               [&](const RowTiling& t, SramAllocator& al) { allocate(t, al); });
  SramAllocator& al = lw.BeginLayer(s.name, "norm", s.nodes, 0, t.ToString());
  Slots sl = allocate(t, al);
  for (std::int64_t r0 = 0; r0 < R; r0 += t.rows) {
    const std::int64_t rr = std::min(t.rows, R - r0);
    lw.SetNode(s.ln_node);
    const std::uint64_t x = sl.x.Next();
    lw.Load(Buffer::kAct, x, U(C * 2), s.x.At(r0, 0), s.x.pitch, U(rr), U(C * 2));
    const std::uint64_t y = sl.y.Next();
    Instr n;
    n.opcode = Op(Opcode::kLayernorm);
    n.src0_addr = x, n.src0_stride = U(C);
    n.dst_addr = y, n.dst_stride = U(C);
    n.aux_addr = sl.bias.Use(lw, 0, C).base;
    n.rows = U(rr), n.cols = U(C);
    n.exp_n = U(ln.sqrt_iters);
    n.imm = ln.sqrt_init;
    n.div_pow2 = ln.div == model::kDivFloat32 ? 1 : 0;
    lw.Emit(n);
    lw.SetNode(s.rq_node);  // the requant, its parameters and the store
    const std::uint64_t o = sl.out.Next();
    const std::int64_t chunk = t.chunk ? t.chunk : C;
    for (std::int64_t c0 = 0; c0 < C; c0 += chunk) {
      const std::int64_t cr = std::min(chunk, C - c0);
      Instr r = RequantInstr(Buffer::kVec, y + U(c0 * 8), model::DType::kInt64, Buffer::kAct,
                             o + U(c0), s.out.dtype, rr, cr, C);
      sl.rq.Fill(lw, r, c0, cr);
      lw.Emit(r);
    }
    lw.Store(Buffer::kAct, o, U(C), s.out.At(r0, 0), s.out.pitch, U(rr), U(C));
  }
  lw.EndLayer();
}

void LowerResidualRequant(Lowering& lw, const ResidualRequantSpec& s) {
  const std::int64_t R = s.x.rows, C = s.x.cols;
  CheckLimit(s.name, "channels", U(C), kMaxStride);
  struct Slots {
    Ring x, res;
    RequantTables rq;
  };
  auto allocate = [&](const RowTiling& t, SramAllocator& al) {
    Slots sl;
    sl.x = Ring::Make(al, Buffer::kAct, U(t.rows * C * 2), t.bufs, "x");
    sl.res = Ring::Make(al, Buffer::kAct, U(t.rows * C * 2), t.bufs, "residual");
    sl.rq = RequantTables(al, s.rq, t.chunk, "rq.me", "rq.res_me");
    return sl;
  };
  const RowTiling t = PlanRows(s.name, lw.arch(), R, C,
                               [&](const RowTiling& t, SramAllocator& al) { allocate(t, al); });
  SramAllocator& al = lw.BeginLayer(s.name, "requant", s.nodes, 0, t.ToString());
  lw.SetNode(s.node);  // every instruction of the group works for the requant
  Slots sl = allocate(t, al);
  for (std::int64_t r0 = 0; r0 < R; r0 += t.rows) {
    const std::int64_t rr = std::min(t.rows, R - r0);
    const std::uint64_t x = sl.x.Next(), res = sl.res.Next();
    lw.Load(Buffer::kAct, x, U(C * 2), s.x.At(r0, 0), s.x.pitch, U(rr), U(C * 2));
    lw.Load(Buffer::kAct, res, U(C * 2), s.res.At(r0, 0), s.res.pitch, U(rr), U(C * 2));
    const std::int64_t chunk = t.chunk ? t.chunk : C;
    for (std::int64_t c0 = 0; c0 < C; c0 += chunk) {
      const std::int64_t cr = std::min(chunk, C - c0);
      Instr r = RequantInstr(Buffer::kAct, x + U(c0 * 2), model::DType::kInt16, Buffer::kAct,
                             x + U(c0 * 2), s.out.dtype, rr, cr, C);
      r.src1_buf = static_cast<std::uint64_t>(Buffer::kAct);
      r.src1_addr = res + U(c0 * 2);
      r.src1_type = Ty(model::DType::kInt16);
      r.src1_stride = U(C);
      sl.rq.Fill(lw, r, c0, cr);
      lw.Emit(r);
    }
    lw.Store(Buffer::kAct, x, U(C * 2), s.out.At(r0, 0), s.out.pitch, U(rr), U(C * 2));
  }
  lw.EndLayer();
}

}  // namespace intvit::compiler
