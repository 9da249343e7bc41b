#include "compiler/lower/lower_linear.h"

#include <optional>

#include "compiler/tiler/tile_search.h"
#include "model/common/error.h"

namespace intvit::compiler {
namespace {

using isa::Buffer;
using isa::Instr;
using isa::Opcode;
using Epi = LinearSpec::Epilogue;

constexpr std::uint64_t U(std::int64_t v) { return static_cast<std::uint64_t>(v); }
constexpr std::uint64_t Op(Opcode o) { return static_cast<std::uint64_t>(o); }
std::uint64_t Ty(model::DType t) { return static_cast<std::uint64_t>(ElemTypeOf(t)); }

struct Slots {
  Ring a, w, acc, out, res, rows, gelu;
  ChannelTable bias;
  RequantTables rq1, rq2;
};

Slots Allocate(const LinearSpec& s, const GemmTiling& t, SramAllocator& al) {
  const std::int64_t nblocks = CeilDiv(s.n, t.nb), kblocks = CeilDiv(s.k, t.kb);
  const std::int64_t chunk = t.tables_resident ? 0 : t.nb;
  Slots sl;
  sl.a = Ring::Make(al, Buffer::kAct, U(t.mb * t.kb), t.bufs, "A");
  const std::int64_t tile = t.mb * t.nb;
  switch (s.epilogue) {
    case Epi::kStoreInt32:
      break;
    case Epi::kRequant:
      sl.out = Ring::Make(al, Buffer::kAct, U(tile * model::DTypeSize(s.mid_dtype)), t.bufs, "out");
      break;
    case Epi::kResidual:
      sl.out = Ring::Make(al, Buffer::kAct, U(tile * 2), t.bufs, "out");
      sl.res = Ring::Make(al, Buffer::kAct, U(tile * 2), t.bufs, "residual");
      break;
    case Epi::kGelu:
      sl.rows = Ring::Make(al, Buffer::kAct, U(t.mb * s.n), t.bufs, "gelu_in");
      break;
  }
  sl.w = Ring::Make(al, Buffer::kWgt, U(t.nb * t.kb),
                    t.w_resident ? static_cast<int>(nblocks * kblocks) : t.bufs, "W");
  sl.acc = Ring::Make(al, Buffer::kAcc, U(tile * 4), t.bufs, "acc");
  if (s.has_bias) sl.bias = ChannelTable(al, Buffer::kAcc, s.bias_addr, s.n, 4, chunk, "bias");
  if (s.epilogue != Epi::kStoreInt32) sl.rq1 = RequantTables(al, s.rq1, chunk, "rq1.me", "rq1.res_me");
  if (s.epilogue == Epi::kResidual || s.epilogue == Epi::kGelu) {
    sl.rq2 = RequantTables(al, s.rq2, chunk, "rq2.me", "rq2.res_me");
  }
  if (s.epilogue == Epi::kGelu) {
    sl.gelu = Ring::Make(al, Buffer::kVec, U(t.gelu_rows * s.n * 4), t.bufs, "gelu_out");
  }
  return sl;
}

bool Fits(const LinearSpec& s, const GemmTiling& t, const ArchConfig& arch) {
  SramAllocator al;
  Allocate(s, t, al);
  return al.Fits(arch);
}

double Cost(const LinearSpec& s, const GemmTiling& t) {
  const double mblocks = static_cast<double>(CeilDiv(s.m, t.mb));
  const double nblocks = static_cast<double>(CeilDiv(s.n, t.nb));
  const double kblocks = static_cast<double>(CeilDiv(s.k, t.kb));
  const double m = static_cast<double>(s.m), n = static_cast<double>(s.n),
               k = static_cast<double>(s.k);
  double bytes = m * k * (t.kb == s.k ? 1.0 : nblocks);
  bytes += n * k * ((t.w_resident || mblocks == 1) ? 1.0 : mblocks);
  bytes += n * 20.0 * (t.tables_resident ? 1.0 : mblocks);
  bytes += m * n * 2.0 * (s.epilogue == Epi::kResidual ? 2.0 : 1.0);
  const double a_tiles = t.kb == s.k ? mblocks : mblocks * nblocks * kblocks;
  const double a_loads =
      s.im2col ? a_tiles * static_cast<double>(t.mb) *
                     static_cast<double>(CeilDiv(t.kb, s.conv.patch * s.conv.patch) + 1)
               : a_tiles;
  const double steps = mblocks * nblocks * kblocks;
  double instrs = a_loads + 2.0 * steps + 4.0 * mblocks * nblocks;
  if (s.epilogue == Epi::kGelu) {
    instrs += mblocks * static_cast<double>(CeilDiv(t.mb, t.gelu_rows)) * 3.0;
  }
  return TilingCost(bytes, instrs, t.bufs == 2);
}

[[noreturn]] void NothingFits(const LinearSpec& s, const ArchConfig& arch, std::int64_t nb,
                              std::int64_t kb) {
  GemmTiling t{1, nb, kb, 1, false, false, 1};
  SramAllocator al;
  Allocate(s, t, al);
  throw InputError("layer " + s.name + " does not fit the SRAMs of arch '" + arch.name +
                   "' even with the smallest tiles (1 row, " + std::to_string(nb) + " columns, depth " +
                   std::to_string(kb) + ", single-buffered): " + al.Overflow(arch));
}

}  // namespace

std::string GemmTiling::ToString() const {
  std::string s = "tiles: rows " + std::to_string(mb) + ", cols " + std::to_string(nb) +
                  ", depth " + std::to_string(kb) + (bufs == 2 ? ", double-buffered" : ", single-buffered");
  if (w_resident) s += ", weights resident";
  if (!tables_resident) s += ", params per column block";
  if (gelu_rows) s += ", gelu rows " + std::to_string(gelu_rows);
  return s;
}

GemmTiling PlanLinear(const LinearSpec& s, const ArchConfig& arch) {
  const std::int64_t p = s.conv.patch;
  CheckLimit(s.name, "GEMM columns of a GELU row", U(s.n), kMaxStride);
  // First pass: columns and depth in multiples of the array (where the layer is that large);
  // second pass: any size, for SRAMs too small for that.
  for (int pass = 0; pass < 2; ++pass) {
    const std::int64_t kunit = s.im2col ? p : arch.array_rows;
    std::vector<std::int64_t> kc =
        TileCandidates(s.k, kunit, pass == 0 ? std::min(s.k, kunit) : (s.im2col ? p : 1), 12);
    if (s.im2col) std::erase_if(kc, [&](std::int64_t v) { return v != s.k && v % p != 0; });
    std::erase_if(kc, [](std::int64_t v) { return U(v) > kMaxStride; });
    std::vector<std::int64_t> nc = TileCandidates(
        s.n, arch.array_cols, pass == 0 ? std::min(s.n, arch.array_cols) : 1, 12);
    std::erase_if(nc, [](std::int64_t v) { return U(v) > kMaxStride; });
    std::vector<std::int64_t> mc = TileCandidates(s.m, 1, 1, 24);
    std::erase_if(mc, [](std::int64_t v) { return U(v) > kMaxRows; });
    if (kc.empty() || nc.empty()) {
      throw InputError("layer " + s.name + ": no tile size respects the ISA limits");
    }
    std::optional<GemmTiling> best;
    double best_cost = 0;
    for (int bufs : {2, 1}) {
      for (bool tables : {true, false}) {
        for (bool w_res : {false, true}) {
          for (std::int64_t kb : kc) {
            for (std::int64_t nb : nc) {
              // Resident weights only pay off for a few large tiles.
              if (w_res && CeilDiv(s.n, nb) * CeilDiv(s.k, kb) > 64) continue;
              GemmTiling t{0, nb, kb, bufs, w_res, tables, 0};
              // GELU: a row block fits if one-row GELU tiles fit; then the GELU tile grows.
              if (s.epilogue == Epi::kGelu) t.gelu_rows = 1;
              const auto mb = LargestFitting(mc, [&](std::int64_t m) {
                t.mb = m;
                return Fits(s, t, arch);
              });
              if (!mb) continue;
              t.mb = *mb;
              if (s.epilogue == Epi::kGelu) {
                t.gelu_rows = *LargestFitting(TileCandidates(t.mb, 1, 1, 16), [&](std::int64_t g) {
                  t.gelu_rows = g;
                  return Fits(s, t, arch);
                });
              }
              const double cost = Cost(s, t);
              if (!best || cost < best_cost) best = t, best_cost = cost;
            }
          }
        }
      }
    }
    if (best) return *best;
    if (pass == 1) NothingFits(s, arch, nc.back(), kc.back());
  }
  throw std::logic_error("unreachable");
}

namespace {

class LinearLowering {
 public:
  LinearLowering(Lowering& lw, const LinearSpec& s, const GemmTiling& t, Slots sl)
      : lw_(lw), s_(s), t_(t), sl_(std::move(sl)) {}

  void Run() {
    const std::int64_t kblocks = CeilDiv(s_.k, t_.kb);
    for (std::int64_t m0 = 0, mi = 0; m0 < s_.m; m0 += t_.mb, ++mi) {
      const std::int64_t mr = std::min(t_.mb, s_.m - m0);
      lw_.SetNode(s_.node.gemm);
      std::uint64_t a = 0;
      if (t_.kb == s_.k) a = LoadA(m0, mr, 0, s_.k);
      const std::uint64_t rows = s_.epilogue == Epi::kGelu ? sl_.rows.Next() : 0;
      for (std::int64_t n0 = 0, ni = 0; n0 < s_.n; n0 += t_.nb, ++ni) {
        const std::int64_t nr = std::min(t_.nb, s_.n - n0);
        const std::uint64_t acc = sl_.acc.Next();
        for (std::int64_t k0 = 0, ki = 0; k0 < s_.k; k0 += t_.kb, ++ki) {
          const std::int64_t kr = std::min(t_.kb, s_.k - k0);
          lw_.SetNode(s_.node.gemm);  // the epilogue of the previous tile changed it
          if (t_.kb != s_.k) a = LoadA(m0, mr, k0, kr);
          std::uint64_t w;
          if (t_.w_resident) {
            w = sl_.w.At(U(ni * kblocks + ki));
            if (mi == 0) LoadW(w, n0, nr, k0, kr);
          } else {
            w = sl_.w.Next();
            LoadW(w, n0, nr, k0, kr);
          }
          Instr g;
          g.opcode = Op(Opcode::kGemm);
          g.src0_addr = a;
          g.src0_type = Ty(model::DType::kInt8);
          g.src0_stride = U(t_.kb == s_.k ? s_.k : kr);
          g.src1_addr = w;
          g.src1_stride = U(kr);
          g.dst_addr = acc;
          g.dst_stride = U(nr);
          g.rows = U(mr), g.cols = U(nr), g.depth = U(kr);
          g.accumulate = ki > 0 ? 1 : 0;
          if (ki == 0 && s_.has_bias) {
            const ChannelTable::View b = sl_.bias.Use(lw_, n0, nr);
            g.bias = 1;
            g.aux_addr = b.base + 4 * b.channel0;
          }
          lw_.Emit(g);
        }
        Epilogue(acc, rows, m0, mr, n0, nr);
      }
      if (s_.epilogue == Epi::kGelu) GeluRows(rows, m0, mr);
    }
  }

 private:
  std::uint64_t LoadA(std::int64_t m0, std::int64_t mr, std::int64_t k0, std::int64_t kr) {
    const std::uint64_t a = sl_.a.Next();
    if (!s_.im2col) {
      lw_.Load(Buffer::kAct, a, U(kr), s_.a.At(m0, k0), s_.a.pitch, U(mr), U(kr));
      return a;
    }
    // im2col: row p of A is patch p, columns (c, i, j); one load per channel and patch covers
    // the patch rows i of the k range.
    const model::ConvPatchShape& c = s_.conv;
    const std::int64_t pp = c.patch * c.patch, gw = c.GridW();
    for (std::int64_t p = m0; p < m0 + mr; ++p) {
      const std::int64_t py = p / gw, px = p % gw;
      for (std::int64_t ch = k0 / pp; ch * pp < k0 + kr; ++ch) {
        const std::int64_t lo = std::max(k0, ch * pp), hi = std::min(k0 + kr, (ch + 1) * pp);
        const std::int64_t i0 = (lo - ch * pp) / c.patch, i1 = (hi - ch * pp) / c.patch;
        const std::uint64_t dram = s_.a.At(ch * c.height + py * c.patch + i0, px * c.patch);
        lw_.Load(Buffer::kAct, a + U((p - m0) * kr + (lo - k0)), U(c.patch), dram, s_.a.pitch,
                 U(i1 - i0), U(c.patch));
      }
    }
    return a;
  }

  void LoadW(std::uint64_t w, std::int64_t n0, std::int64_t nr, std::int64_t k0, std::int64_t kr) {
    lw_.Load(Buffer::kWgt, w, U(kr), s_.w.At(n0, k0), s_.w.pitch, U(nr), U(kr));
  }

  // A requant of a rows x cols tile; the caller sets nothing else.
  Instr Requant(Buffer src_buf, std::uint64_t src, model::DType src_t, std::uint64_t src_stride,
                Buffer dst_buf, std::uint64_t dst, model::DType dst_t, std::uint64_t dst_stride,
                std::int64_t rows, std::int64_t cols) {
    Instr r;
    r.opcode = Op(Opcode::kRequant);
    r.src0_buf = static_cast<std::uint64_t>(src_buf);
    r.src0_addr = src;
    r.src0_type = Ty(src_t);
    r.src0_stride = src_stride;
    r.dst_buf = static_cast<std::uint64_t>(dst_buf);
    r.dst_addr = dst;
    r.dst_type = Ty(dst_t);
    r.dst_stride = dst_stride;
    r.rows = U(rows), r.cols = U(cols);
    return r;
  }

  void Epilogue(std::uint64_t acc, std::uint64_t rows, std::int64_t m0, std::int64_t mr,
                std::int64_t n0, std::int64_t nr) {
    // The store of the int32 result works for the GEMM; an epilogue's loads, requants and stores
    // for the requant (or ShiftGELU) node they implement.
    switch (s_.epilogue) {
      case Epi::kStoreInt32:
        lw_.Store(Buffer::kAcc, acc, U(nr * 4), s_.out.At(m0, n0), s_.out.pitch, U(mr), U(nr * 4));
        return;
      case Epi::kRequant: {
        const std::uint64_t o = sl_.out.Next();
        const int es = model::DTypeSize(s_.mid_dtype);
        lw_.SetNode(s_.node.rq1);
        Instr r = Requant(Buffer::kAcc, acc, model::DType::kInt32, U(nr), Buffer::kAct, o,
                          s_.mid_dtype, U(nr), mr, nr);
        sl_.rq1.Fill(lw_, r, n0, nr);
        lw_.Emit(r);
        lw_.Store(Buffer::kAct, o, U(nr * es), s_.out.At(m0, n0), s_.out.pitch, U(mr), U(nr * es));
        return;
      }
      case Epi::kResidual: {
        const std::uint64_t mid = sl_.out.Next();
        lw_.SetNode(s_.node.rq1);
        Instr r1 = Requant(Buffer::kAcc, acc, model::DType::kInt32, U(nr), Buffer::kAct, mid,
                           model::DType::kInt16, U(nr), mr, nr);
        sl_.rq1.Fill(lw_, r1, n0, nr);
        lw_.Emit(r1);
        lw_.SetNode(s_.node.rq2);  // the residual operand and the store belong to rq2
        const std::uint64_t res = sl_.res.Next();
        lw_.Load(Buffer::kAct, res, U(nr * 2), s_.residual.At(m0, n0), s_.residual.pitch, U(mr),
                 U(nr * 2));
        Instr r2 = Requant(Buffer::kAct, mid, model::DType::kInt16, U(nr), Buffer::kAct, mid,
                           s_.out.dtype, U(nr), mr, nr);
        r2.src1_buf = static_cast<std::uint64_t>(Buffer::kAct);
        r2.src1_addr = res;
        r2.src1_type = Ty(model::DType::kInt16);
        r2.src1_stride = U(nr);
        sl_.rq2.Fill(lw_, r2, n0, nr);
        lw_.Emit(r2);
        lw_.Store(Buffer::kAct, mid, U(nr * 2), s_.out.At(m0, n0), s_.out.pitch, U(mr), U(nr * 2));
        return;
      }
      case Epi::kGelu: {
        lw_.SetNode(s_.node.rq1);
        Instr r = Requant(Buffer::kAcc, acc, model::DType::kInt32, U(nr), Buffer::kAct,
                          rows + U(n0), model::DType::kInt8, U(s_.n), mr, nr);
        sl_.rq1.Fill(lw_, r, n0, nr);
        lw_.Emit(r);
        return;
      }
    }
  }

  // ShiftGELU needs whole rows (the max is over all hidden features): it runs once every
  // column block of the row block is requantized.
  void GeluRows(std::uint64_t rows, std::int64_t m0, std::int64_t mr) {
    const model::ShiftGeluParams& gp = *s_.gelu;
    for (std::int64_t g0 = 0; g0 < mr; g0 += t_.gelu_rows) {
      const std::int64_t gr = std::min(t_.gelu_rows, mr - g0);
      const std::uint64_t in = rows + U(g0 * s_.n);
      const std::uint64_t out = sl_.gelu.Next();
      lw_.SetNode(s_.node.gelu);
      Instr g;
      g.opcode = Op(Opcode::kGelu);
      g.src0_addr = in;
      g.src0_stride = U(s_.n);
      g.dst_addr = out;
      g.dst_stride = U(s_.n);
      g.rows = U(gr), g.cols = U(s_.n);
      g.imm = gp.x0;
      g.exp_n = U(gp.n);
      g.out_bits = U(gp.out_bits);
      g.div_pow2 = gp.div == model::kDivFloat32 ? 1 : 0;
      lw_.Emit(g);
      // Requantize in place, one parameter chunk at a time; the store belongs to rq2 too.
      lw_.SetNode(s_.node.rq2);
      const std::int64_t chunk = t_.tables_resident ? s_.n : t_.nb;
      for (std::int64_t c0 = 0; c0 < s_.n; c0 += chunk) {
        const std::int64_t cr = std::min(chunk, s_.n - c0);
        Instr r = Requant(Buffer::kVec, out + U(c0 * 4), model::DType::kInt32, U(s_.n),
                          Buffer::kAct, in + U(c0), s_.out.dtype, U(s_.n), gr, cr);
        sl_.rq2.Fill(lw_, r, c0, cr);
        lw_.Emit(r);
      }
      lw_.Store(Buffer::kAct, in, U(s_.n), s_.out.At(m0 + g0, 0), s_.out.pitch, U(gr), U(s_.n));
    }
  }

  Lowering& lw_;
  const LinearSpec& s_;
  const GemmTiling& t_;
  Slots sl_;
};

}  // namespace

void LowerLinear(Lowering& lw, const LinearSpec& s) {
  const GemmTiling t = PlanLinear(s, lw.arch());
  SramAllocator& al = lw.BeginLayer(s.name, s.im2col ? "patch_embed" : "linear", s.nodes,
                                    s.m * s.n * s.k, t.ToString());
  LinearLowering(lw, s, t, Allocate(s, t, al)).Run();
  lw.EndLayer();
}

}  // namespace intvit::compiler
