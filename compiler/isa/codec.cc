#include "compiler/isa/codec.h"

#include <cstdio>
#include <iterator>

#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "model/common/user_file.h"

namespace intvit::isa {
namespace {

const OpcodeInfo& InfoOf(std::uint64_t opcode) {
  const OpcodeInfo* info = FindOpcode(opcode);
  Require(info != nullptr, "unknown opcode " + std::to_string(opcode));
  return *info;
}

bool Used(const OpcodeInfo& info, int field) {
  return (((info.field_mask | kCommonFieldMask) >> field) & 1) != 0;
}

std::string Hex(std::uint64_t v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(v));
  return buf;
}

std::string Name(const FieldInfo& f) { return std::string(f.name); }

// Checks the enumerated fields of a used-field set: units, buffers and element types.
void CheckEnums(const Instr& i, const OpcodeInfo& info) {
  auto fail = [&](const std::string& what) {
    throw InputError(std::string(info.name) + ": " + what);
  };
  for (const auto& [unit, count] : {std::pair{i.wait0_unit, i.wait0_count},
                                    std::pair{i.wait1_unit, i.wait1_count},
                                    std::pair{i.wait2_unit, i.wait2_count}}) {
    if (unit != kNoWaitUnit && !IsUnit(unit)) fail("a wait names unknown unit " + std::to_string(unit));
    if (unit == kNoWaitUnit && count != 0) {
      fail("a wait without a unit must have count 0, got " + std::to_string(count));
    }
  }
  auto used = [&](Field f) { return Used(info, static_cast<int>(f)); };
  for (const auto& [f, v] : {std::pair{Field::kSrc0Buf, i.src0_buf},
                             std::pair{Field::kSrc1Buf, i.src1_buf},
                             std::pair{Field::kDstBuf, i.dst_buf}}) {
    if (used(f) && !IsBuffer(v)) {
      fail(Name(kFieldTable[static_cast<int>(f)]) + " names unknown buffer " + std::to_string(v));
    }
  }
  for (const auto& [f, v] : {std::pair{Field::kSrc0Type, i.src0_type},
                             std::pair{Field::kSrc1Type, i.src1_type},
                             std::pair{Field::kDstType, i.dst_type}}) {
    if (used(f) && !IsElemType(v)) {
      fail(Name(kFieldTable[static_cast<int>(f)]) + " names unknown element type " +
           std::to_string(v));
    }
  }
  if (used(Field::kTargetUnit) && !IsUnit(i.target_unit)) {
    fail("target_unit names unknown unit " + std::to_string(i.target_unit));
  }
}

std::uint64_t FieldMask(int width) {
  return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
}

}  // namespace

std::string_view OpcodeName(std::uint64_t opcode) {
  const OpcodeInfo* info = FindOpcode(opcode);
  return info == nullptr ? std::string_view("?") : info->name;
}

Opcode OpcodeOf(const Instr& instr) { return InfoOf(instr.opcode).opcode; }

Unit UnitOf(const Instr& instr) {
  const OpcodeInfo& info = InfoOf(instr.opcode);
  if (!info.unit_is_target) return info.unit;
  Require(IsUnit(instr.target_unit), "sync: unknown target_unit " + std::to_string(instr.target_unit));
  return static_cast<Unit>(instr.target_unit);
}

void Validate(const Instr& instr) {
  const OpcodeInfo& info = InfoOf(instr.opcode);
  for (int f = 0; f < kNumFields; ++f) {
    const FieldInfo& fi = kFieldTable[f];
    const std::int64_t v = GetField(instr, static_cast<Field>(f));
    bool fits;
    if (fi.is_signed) {
      fits = v >= -(std::int64_t{1} << (fi.width - 1)) && v < (std::int64_t{1} << (fi.width - 1));
    } else {
      fits = static_cast<std::uint64_t>(v) <= FieldMask(fi.width);
    }
    if (fits && (v == 0 || Used(info, f))) continue;
    const std::string at = std::string(info.name) + ": field " + Name(fi) + " = " +
                           (fi.is_signed ? std::to_string(v)
                                         : std::to_string(static_cast<std::uint64_t>(v)));
    Require(fits, at + " does not fit " + std::to_string(fi.width) +
                      (fi.is_signed ? " signed bits" : " bits"));
    throw InputError(at + " must be 0: " + std::string(info.name) + " does not use it");
  }
  CheckEnums(instr, info);
}

Words Encode(const Instr& instr) {
  Validate(instr);
  Words w{};
  for (int f = 0; f < kNumFields; ++f) {
    const FieldInfo& fi = kFieldTable[f];
    const auto bits = static_cast<std::uint64_t>(GetField(instr, static_cast<Field>(f))) &
                      FieldMask(fi.width);
    w[fi.word] |= bits << fi.lsb;
  }
  return w;
}

Instr Decode(const Words& words) {
  Words covered{};
  Instr instr;
  for (int f = 0; f < kNumFields; ++f) {
    const FieldInfo& fi = kFieldTable[f];
    std::uint64_t bits = (words[fi.word] >> fi.lsb) & FieldMask(fi.width);
    covered[fi.word] |= FieldMask(fi.width) << fi.lsb;
    std::int64_t v = static_cast<std::int64_t>(bits);
    if (fi.is_signed && fi.width < 64 && ((bits >> (fi.width - 1)) & 1)) {
      v = static_cast<std::int64_t>(bits | ~FieldMask(fi.width));
    }
    SetField(instr, static_cast<Field>(f), v);
  }
  for (int w = 0; w < kWords; ++w) {
    Require((words[w] & ~covered[w]) == 0,
            "instruction word " + std::to_string(w) + " has bits set outside every field");
  }
  Validate(instr);
  return instr;
}

std::string WaitsText(const Instr& i) {
  std::string s;
  for (const auto& [unit, count] : {std::pair{i.wait0_unit, i.wait0_count},
                                   std::pair{i.wait1_unit, i.wait1_count},
                                   std::pair{i.wait2_unit, i.wait2_count}}) {
    if (unit == kNoWaitUnit) continue;
    s += (s.empty() ? "waits " : " ") +
         std::string(IsUnit(unit) ? UnitName(static_cast<Unit>(unit)) : "?") +
         ">=" + std::to_string(count);
  }
  return s;
}

namespace {

std::string BufName(std::uint64_t b) {
  return IsBuffer(b) ? std::string(BufferName(static_cast<Buffer>(b))) : "buf?";
}
std::string TypeName(std::uint64_t t) {
  return IsElemType(t) ? std::string(ElemTypeName(static_cast<ElemType>(t))) : "t?";
}
std::string Loc(std::uint64_t buf, std::uint64_t addr) {
  return BufName(buf) + "[" + Hex(addr, 4) + "]";
}
std::string Loc(Buffer buf, std::uint64_t addr) {
  return Loc(static_cast<std::uint64_t>(buf), addr);
}
std::string Dims(std::uint64_t a, std::uint64_t b) {
  return "(" + std::to_string(a) + "x" + std::to_string(b) + ")";
}
// " pitch N" when the pitch differs from the row length.
std::string Pitch(std::uint64_t pitch, std::uint64_t natural) {
  return pitch == natural ? "" : " pitch " + std::to_string(pitch);
}
std::string DivText(std::uint64_t pow2) { return pow2 ? "div=2^31" : "div=2^31-1"; }

std::string Body(const Instr& i) {
  const std::string dram = "dram[" + Hex(i.dram_addr, 8) + "]";
  switch (static_cast<Opcode>(i.opcode)) {
    case Opcode::kNop:
    case Opcode::kFinish:
      return "";
    case Opcode::kSync:
      return "unit=" + std::string(IsUnit(i.target_unit)
                                       ? UnitName(static_cast<Unit>(i.target_unit))
                                       : "?");
    case Opcode::kLoad:
      return Loc(i.dst_buf, i.dst_addr) + Pitch(i.dst_stride, i.cols) + " <- " + dram +
             Pitch(i.dram_stride, i.cols) + " " + Dims(i.rows, i.cols) + " bytes";
    case Opcode::kStore:
      return dram + Pitch(i.dram_stride, i.cols) + " <- " + Loc(i.src0_buf, i.src0_addr) +
             Pitch(i.src0_stride, i.cols) + " " + Dims(i.rows, i.cols) + " bytes";
    case Opcode::kGemm: {
      std::string s = Loc(Buffer::kAcc, i.dst_addr) + Pitch(i.dst_stride, i.cols) +
                      (i.accumulate ? " += " : " = ");
      if (i.bias) s += "bias " + Loc(Buffer::kAcc, i.aux_addr) + " + ";
      s += Loc(Buffer::kAct, i.src0_addr) + " " + TypeName(i.src0_type) + " " +
           Dims(i.rows, i.depth) + Pitch(i.src0_stride, i.depth) + " * " +
           Loc(Buffer::kWgt, i.src1_addr) + (i.b_kn ? " [k][n] " : " [n][k] ") +
           Dims(i.depth, i.cols) + Pitch(i.src1_stride, i.b_kn ? i.cols : i.depth);
      return s;
    }
    case Opcode::kRequant: {
      std::string s = Loc(i.dst_buf, i.dst_addr) + " " + TypeName(i.dst_type) +
                      Pitch(i.dst_stride, i.cols) + " <- " + Loc(i.src0_buf, i.src0_addr) +
                      " " + TypeName(i.src0_type) + " " + Dims(i.rows, i.cols) +
                      Pitch(i.src0_stride, i.cols) + " * " + Loc(Buffer::kVec, i.aux_addr) +
                      (i.per_channel ? " ch" + std::to_string(i.channel0) : " scalar");
      if (i.residual) {
        s += " + " + Loc(i.src1_buf, i.src1_addr) + " " + TypeName(i.src1_type) +
             Pitch(i.src1_stride, i.cols) + " * " + Loc(Buffer::kVec, i.aux2_addr) +
             (i.res_per_channel ? " ch" + std::to_string(i.channel0) : " scalar");
      }
      return s + " out" + std::to_string(i.out_bits) + (i.rounding ? " half_up" : " half_even");
    }
    case Opcode::kShiftmax:
    case Opcode::kGelu: {
      const bool sm = static_cast<Opcode>(i.opcode) == Opcode::kShiftmax;
      return Loc(sm ? Buffer::kAct : Buffer::kVec, i.dst_addr) + (sm ? " u16" : " i32") +
             Pitch(i.dst_stride, i.cols) + " <- " + Loc(Buffer::kAct, i.src0_addr) + " i8 " +
             Dims(i.rows, i.cols) + Pitch(i.src0_stride, i.cols) + " x0=" +
             std::to_string(i.imm) + " n=" + std::to_string(i.exp_n) +
             " B=" + std::to_string(i.out_bits) + " " + DivText(i.div_pow2);
    }
    case Opcode::kLayernorm:
      return Loc(Buffer::kVec, i.dst_addr) + " i64" + Pitch(i.dst_stride, i.cols) + " <- " +
             Loc(Buffer::kAct, i.src0_addr) + " i16 " + Dims(i.rows, i.cols) +
             Pitch(i.src0_stride, i.cols) + " bias " + Loc(Buffer::kVec, i.aux_addr) +
             " steps=" + std::to_string(i.exp_n) + " init=" + std::to_string(i.imm) + " " +
             DivText(i.div_pow2);
    case Opcode::kAdd:
      return Loc(Buffer::kAct, i.dst_addr) + Pitch(i.dst_stride, i.cols) + " <- " +
             Loc(Buffer::kAct, i.src0_addr) + Pitch(i.src0_stride, i.cols) + " + " +
             Loc(Buffer::kAct, i.src1_addr) + Pitch(i.src1_stride, i.cols) + " i16 " +
             Dims(i.rows, i.cols);
  }
  return "";
}

}  // namespace

std::string Disassemble(const Instr& instr, std::string_view comment) {
  std::string s(OpcodeName(instr.opcode));
  if (s == "?") s = "opcode" + std::to_string(instr.opcode);
  s.resize(std::max<std::size_t>(s.size() + 1, 10), ' ');
  s += Body(instr);
  const std::string waits = WaitsText(instr);
  if (!waits.empty()) s += "  " + waits;
  while (!s.empty() && s.back() == ' ') s.pop_back();
  if (!comment.empty()) s += " ; " + std::string(comment);
  return s;
}

namespace {
void PutLe(std::string& out, std::uint64_t v, int bytes) {
  for (int b = 0; b < bytes; ++b) out.push_back(static_cast<char>((v >> (8 * b)) & 0xff));
}
std::uint64_t GetLe(const std::string& in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int b = 0; b < bytes; ++b) {
    v |= std::uint64_t{static_cast<unsigned char>(in[at + b])} << (8 * b);
  }
  return v;
}
constexpr std::size_t kHeaderBytes = 24;
}  // namespace

void WriteProgramFile(const std::string& path, const std::vector<Instr>& program) {
  std::string out(kProgramMagic);
  PutLe(out, 1, 4);
  PutLe(out, kWords, 4);
  PutLe(out, program.size(), 8);
  for (const Instr& i : program) {
    for (std::uint64_t w : Encode(i)) PutLe(out, w, 8);
  }
  WriteFileAtomically(path, out);
}

std::vector<Instr> ReadProgramFile(const std::string& path) {
  // A program of 2^24 instructions is far beyond any ViT; the cap keeps a wrong path cheap.
  constexpr std::uint64_t kMaxProgramBytes = kHeaderBytes + (std::uint64_t{1} << 24) * kInstrBytes;
  return ParseProgram(ReadUserFile(path, kMaxProgramBytes, "program"), path);
}

std::vector<Instr> ParseProgram(const std::string& in, const std::string& where) {
  Require(in.size() >= kHeaderBytes && in.compare(0, kProgramMagic.size(), kProgramMagic) == 0,
          where + ": not an intvit program (magic " + std::string(kProgramMagic) + " missing)");
  Require(GetLe(in, 8, 4) == 1, where + ": unsupported program format version " +
                                    std::to_string(GetLe(in, 8, 4)));
  Require(GetLe(in, 12, 4) == kWords,
          where + ": " + std::to_string(GetLe(in, 12, 4)) + " words per instruction; expected " +
              std::to_string(kWords));
  const std::uint64_t count = GetLe(in, 16, 8);
  const std::uint64_t body = in.size() - kHeaderBytes;
  Require(body % kInstrBytes == 0 && body / kInstrBytes == count,
          where + ": header says " + std::to_string(count) + " instructions but the file holds " +
              std::to_string(body) + " bytes of instructions");
  std::vector<Instr> program;
  program.reserve(count);
  for (std::uint64_t n = 0; n < count; ++n) {
    Words w;
    for (int k = 0; k < kWords; ++k) w[k] = GetLe(in, kHeaderBytes + n * kInstrBytes + 8 * k, 8);
    try {
      program.push_back(Decode(w));
    } catch (const InputError& e) {
      throw InputError(where + ": instruction " + std::to_string(n) + ": " + e.what());
    }
  }
  return program;
}

}  // namespace intvit::isa
