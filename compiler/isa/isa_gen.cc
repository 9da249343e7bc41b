// isa_gen: turns compiler/isa/isa.json (the one ISA definition) into the C++ header
// isa_generated.h and the SystemVerilog package ivit_isa_pkg.sv. Run when CMake configures
// (compiler/CMakeLists.txt):
//   isa_gen <isa.json> <out/isa_generated.h> <out/ivit_isa_pkg.sv>
// It checks the definition first (unique names and ids, fields inside their word, no overlaps,
// opcodes naming known fields and units) and exits 1 with a message if it is inconsistent.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

struct Named {
  std::string name;
  int id = 0;
  std::string doc;
};

struct Field {
  std::string name;
  int word = 0, lsb = 0, width = 0;
  bool is_signed = false;
  std::string doc;
};

struct Opcode {
  std::string name;
  int id = 0;
  std::string unit;  // a unit name, or "target_unit"
  std::vector<std::string> fields;
  std::string doc;
};

// A lane width of the RTL units' streams (isa.json "datapath").
struct Width {
  std::string name;  // as written in SystemVerilog (AccW); C++ gets k<name> (kAccW)
  int bits = 0;
  std::string doc;
};

struct Isa {
  std::string name;
  int words = 0, word_bits = 0;
  std::vector<Named> units, buffers, dtypes;
  std::vector<Width> datapath;
  std::vector<Field> fields;
  std::vector<Opcode> opcodes;
};

// The fields every opcode carries.
const std::vector<std::string> kCommonFields = {"opcode",      "layer",       "wait0_unit",
                                                "wait0_count", "wait1_unit",  "wait1_count",
                                                "wait2_unit",  "wait2_count"};

[[noreturn]] void Fail(const std::string& msg) { throw std::runtime_error(msg); }

std::string Camel(const std::string& snake) {
  std::string out;
  bool up = true;
  for (char c : snake) {
    if (c == '_') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

std::vector<Named> ReadNamed(const json& j, const char* what) {
  std::vector<Named> out;
  std::set<std::string> names;
  std::set<int> ids;
  for (const auto& e : j.at(what)) {
    Named n{e.at("name").get<std::string>(), e.at("id").get<int>(), e.value("doc", "")};
    if (!names.insert(n.name).second) Fail(std::string(what) + ": duplicate name " + n.name);
    if (!ids.insert(n.id).second) Fail(std::string(what) + ": duplicate id for " + n.name);
    out.push_back(n);
  }
  std::sort(out.begin(), out.end(), [](const Named& a, const Named& b) { return a.id < b.id; });
  return out;
}

Isa Read(const std::string& path) {
  std::ifstream in(path);
  if (!in) Fail("cannot open " + path);
  const json j = json::parse(in);
  Isa isa;
  isa.name = j.at("name").get<std::string>();
  isa.words = j.at("words").get<int>();
  isa.word_bits = j.at("word_bits").get<int>();
  if (isa.word_bits != 64) Fail("word_bits must be 64");
  isa.units = ReadNamed(j, "units");
  isa.buffers = ReadNamed(j, "buffers");
  isa.dtypes = ReadNamed(j, "dtypes");
  std::set<std::string> width_names;
  for (const auto& e : j.at("datapath")) {
    Width w{e.at("name").get<std::string>(), e.at("bits").get<int>(), e.value("doc", "")};
    if (w.name.empty() || !std::isupper(static_cast<unsigned char>(w.name[0]))) {
      Fail("datapath: " + w.name + " must start with an upper-case letter");
    }
    if (!width_names.insert(w.name).second) Fail("datapath: duplicate " + w.name);
    if (w.bits < 1 || w.bits > 64) Fail("datapath: " + w.name + " must be 1 to 64 bits");
    isa.datapath.push_back(w);
  }
  std::set<std::string> field_names;
  std::vector<std::vector<bool>> used(isa.words, std::vector<bool>(64, false));
  for (const auto& e : j.at("fields")) {
    Field f{e.at("name").get<std::string>(), e.at("word").get<int>(), e.at("lsb").get<int>(),
            e.at("width").get<int>(), e.value("signed", false), e.value("doc", "")};
    if (!field_names.insert(f.name).second) Fail("fields: duplicate " + f.name);
    if (f.word < 0 || f.word >= isa.words || f.lsb < 0 || f.width < 1 || f.lsb + f.width > 64) {
      Fail("field " + f.name + " does not fit inside one 64-bit word");
    }
    for (int b = f.lsb; b < f.lsb + f.width; ++b) {
      if (used[f.word][b]) Fail("field " + f.name + " overlaps another field");
      used[f.word][b] = true;
    }
    isa.fields.push_back(f);
  }
  for (const auto& c : kCommonFields) {
    if (!field_names.count(c)) Fail("the common field " + c + " is missing");
  }
  std::set<std::string> unit_names;
  for (const auto& u : isa.units) unit_names.insert(u.name);
  std::set<std::string> op_names;
  std::set<int> op_ids;
  for (const auto& e : j.at("opcodes")) {
    Opcode o{e.at("name").get<std::string>(), e.at("id").get<int>(),
             e.at("unit").get<std::string>(), e.at("fields").get<std::vector<std::string>>(),
             e.value("doc", "")};
    if (!op_names.insert(o.name).second) Fail("opcodes: duplicate " + o.name);
    if (!op_ids.insert(o.id).second) Fail("opcodes: duplicate id of " + o.name);
    if (o.unit != "target_unit" && !unit_names.count(o.unit)) {
      Fail("opcode " + o.name + " names unknown unit " + o.unit);
    }
    for (const auto& f : o.fields) {
      if (!field_names.count(f)) Fail("opcode " + o.name + " uses unknown field " + f);
    }
    isa.opcodes.push_back(o);
  }
  std::sort(isa.opcodes.begin(), isa.opcodes.end(),
            [](const Opcode& a, const Opcode& b) { return a.id < b.id; });
  const Field& op = isa.fields[0];
  if (op.name != "opcode" || isa.opcodes.back().id >= (1 << op.width)) {
    Fail("the first field must be opcode, wide enough for every opcode id");
  }
  if (isa.fields.size() > 64) Fail("more than 64 fields: the used-field masks are 64-bit");
  return isa;
}

int FieldIndex(const Isa& isa, const std::string& name) {
  for (std::size_t i = 0; i < isa.fields.size(); ++i) {
    if (isa.fields[i].name == name) return static_cast<int>(i);
  }
  Fail("no field " + name);
}

std::uint64_t Mask(const Isa& isa, const std::vector<std::string>& names) {
  std::uint64_t m = 0;
  for (const auto& n : names) m |= std::uint64_t{1} << FieldIndex(isa, n);
  return m;
}

std::string Hex(std::uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v << "ull";
  return s.str();
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string CppHeader(const Isa& isa) {
  std::ostringstream o;
  o << "// GENERATED by compiler/isa/isa_gen.cc from compiler/isa/isa.json; do not edit.\n"
    << "// " << isa.name << ": see docs/isa.md.\n"
    << "#pragma once\n\n#include <array>\n#include <cstdint>\n#include <span>\n#include <string_view>\n\n"
    << "namespace intvit::isa {\n\n"
    << "inline constexpr std::string_view kIsaName = " << Quote(isa.name) << ";\n"
    << "inline constexpr int kWords = " << isa.words << ";\n"
    << "inline constexpr int kWordBits = " << isa.word_bits << ";\n"
    << "inline constexpr int kInstrBytes = " << isa.words * isa.word_bits / 8 << ";\n\n";
  auto enumeration = [&](const char* type, const std::vector<Named>& v, const char* count) {
    o << "enum class " << type << " : std::uint8_t {\n";
    for (const auto& n : v) {
      o << "  k" << Camel(n.name) << " = " << n.id << ",";
      if (!n.doc.empty()) o << "  // " << n.doc;
      o << "\n";
    }
    o << "};\ninline constexpr int " << count << " = " << v.back().id + 1 << ";\n";
    o << "constexpr std::string_view " << type << "Name(" << type << " v) {\n  switch (v) {\n";
    for (const auto& n : v) o << "    case " << type << "::k" << Camel(n.name) << ": return " << Quote(n.name) << ";\n";
    o << "  }\n  return \"?\";\n}\n";
    o << "constexpr bool Is" << type << "(std::uint64_t id) {\n  switch (id) {\n";
    for (const auto& n : v) o << "    case " << n.id << ":\n";
    o << "      return true;\n    default:\n      return false;\n  }\n}\n\n";
  };
  enumeration("Unit", isa.units, "kNumUnits");
  enumeration("Buffer", isa.buffers, "kNumBuffers");
  enumeration("ElemType", isa.dtypes, "kNumElemTypes");
  std::vector<Named> ops;
  for (const auto& op : isa.opcodes) ops.push_back({op.name, op.id, op.doc});
  enumeration("Opcode", ops, "kNumOpcodeIds");

  o << "// Lane widths of the RTL units' streams (isa.json \"datapath\"; ivit_isa_pkg has the same).\n";
  for (const auto& w : isa.datapath) {
    o << "inline constexpr int k" << w.name << " = " << w.bits << ";  // " << w.doc << "\n";
  }
  o << "\n";

  const Field& wu = isa.fields[FieldIndex(isa, "wait0_unit")];
  o << "// A wait slot naming this unit waits for nothing.\n"
    << "inline constexpr std::uint64_t kNoWaitUnit = " << ((1u << wu.width) - 1) << ";\n\n";

  o << "// One member per field, named as in isa.json; unsigned fields are uint64_t, signed ones\n"
    << "// int64_t, so that a value too wide for its field is visible to Encode (which rejects it).\n"
    << "struct Instr {\n";
  for (const auto& f : isa.fields) {
    o << "  std::" << (f.is_signed ? "int64_t " : "uint64_t ") << f.name << " = "
      << (f.name.ends_with("_unit") && f.name.starts_with("wait") ? "kNoWaitUnit" : "0")
      << ";  // w" << f.word << "[" << f.lsb + f.width - 1 << ":" << f.lsb << "] " << f.doc
      << "\n";
  }
  o << "  friend bool operator==(const Instr&, const Instr&) = default;\n};\n\n";

  o << "enum class Field : std::uint8_t {\n";
  for (const auto& f : isa.fields) o << "  k" << Camel(f.name) << ",\n";
  o << "};\ninline constexpr int kNumFields = " << isa.fields.size() << ";\n\n";
  o << "struct FieldInfo {\n  std::string_view name;\n  int word;\n  int lsb;\n  int width;\n"
    << "  bool is_signed;\n};\n"
    << "inline constexpr std::array<FieldInfo, kNumFields> kFieldTable = {{\n";
  for (const auto& f : isa.fields) {
    o << "    {" << Quote(f.name) << ", " << f.word << ", " << f.lsb << ", " << f.width << ", "
      << (f.is_signed ? "true" : "false") << "},\n";
  }
  o << "}};\n\n";
  o << "// Field values widened to int64 (unsigned fields stay below 2^63 once encoded).\n"
    << "constexpr std::int64_t GetField(const Instr& i, Field f) {\n  switch (f) {\n";
  for (const auto& f : isa.fields) {
    o << "    case Field::k" << Camel(f.name) << ": return static_cast<std::int64_t>(i." << f.name
      << ");\n";
  }
  o << "  }\n  return 0;\n}\n"
    << "constexpr void SetField(Instr& i, Field f, std::int64_t v) {\n  switch (f) {\n";
  for (const auto& f : isa.fields) {
    o << "    case Field::k" << Camel(f.name) << ": i." << f.name << " = static_cast<std::"
      << (f.is_signed ? "int64_t" : "uint64_t") << ">(v); break;\n";
  }
  o << "  }\n}\n\n";

  o << "// The fields each opcode uses besides the common ones, in isa.json order.\n";
  for (const auto& op : isa.opcodes) {
    o << "inline constexpr std::array<Field, " << op.fields.size() << "> k" << Camel(op.name)
      << "Fields = {";
    for (std::size_t k = 0; k < op.fields.size(); ++k) {
      o << (k ? ", " : "") << "Field::k" << Camel(op.fields[k]);
    }
    o << "};\n";
  }
  o << "\n// Bit i set: field i (in Field order) is used.\n"
    << "inline constexpr std::uint64_t kCommonFieldMask = " << Hex(Mask(isa, kCommonFields))
    << ";\n"
    << "struct OpcodeInfo {\n  Opcode opcode;\n  std::string_view name;\n"
    << "  Unit unit;                  // meaningless when unit_is_target\n"
    << "  bool unit_is_target;        // sync: the unit is the target_unit field\n"
    << "  std::uint64_t field_mask;   // the opcode's own fields, without the common ones\n"
    << "  std::span<const Field> fields;  // the same as a list\n"
    << "};\n"
    << "inline constexpr std::array<OpcodeInfo, " << isa.opcodes.size() << "> kOpcodeTable = {{\n";
  for (const auto& op : isa.opcodes) {
    const bool target = op.unit == "target_unit";
    o << "    {Opcode::k" << Camel(op.name) << ", " << Quote(op.name) << ", Unit::k"
      << Camel(target ? isa.units[0].name : op.unit) << ", " << (target ? "true" : "false")
      << ", " << Hex(Mask(isa, op.fields)) << ", k" << Camel(op.name) << "Fields},\n";
  }
  o << "}};\n\n"
    << "// The table entry of an opcode id, or nullptr for an unknown id.\n"
    << "constexpr const OpcodeInfo* FindOpcode(std::uint64_t id) {\n"
    << "  for (const auto& e : kOpcodeTable) {\n"
    << "    if (static_cast<std::uint64_t>(e.opcode) == id) return &e;\n  }\n"
    << "  return nullptr;\n}\n\n}  // namespace intvit::isa\n";
  return o.str();
}

std::string SvPackage(const Isa& isa) {
  std::ostringstream o;
  const int bits = isa.words * isa.word_bits;
  const Field& op = isa.fields[0];
  o << "// GENERATED by compiler/isa/isa_gen.cc from compiler/isa/isa.json; do not edit.\n"
    << "// " << isa.name << ": opcodes, units, buffers, element types and field positions.\n"
    << "// Bit b of word w of an instruction is bit 64*w + b of instr_t.\n"
    << "package ivit_isa_pkg;\n\n"
    << "  localparam int unsigned IsaWords = " << isa.words << ";\n"
    << "  localparam int unsigned IsaWordBits = " << isa.word_bits << ";\n"
    << "  localparam int unsigned InstrBits = " << bits << ";\n\n";
  o << "  // Lane widths of the units' streams (isa.json \"datapath\"; the C++ drivers use the same).\n";
  for (const auto& w : isa.datapath) {
    o << "  localparam int unsigned " << w.name << " = " << w.bits << ";  // " << w.doc << "\n";
  }
  o << "\n";
  auto enumeration = [&](const char* prefix, const char* type, int width,
                         const std::vector<Named>& v) {
    o << "  typedef enum logic [" << width - 1 << ":0] {\n";
    for (std::size_t i = 0; i < v.size(); ++i) {
      o << "    " << prefix << Camel(v[i].name) << " = " << width << "'d" << v[i].id
        << (i + 1 < v.size() ? "," : "") << "\n";
    }
    o << "  } " << type << ";\n\n";
  };
  const auto width_of = [&](const std::string& f) { return isa.fields[FieldIndex(isa, f)].width; };
  std::vector<Named> ops;
  for (const auto& x : isa.opcodes) ops.push_back({x.name, x.id, x.doc});
  enumeration("Op", "opcode_e", op.width, ops);
  enumeration("Unit", "unit_e", width_of("wait0_unit"), isa.units);
  enumeration("Buf", "buffer_e", width_of("dst_buf"), isa.buffers);
  enumeration("Type", "elem_type_e", width_of("dst_type"), isa.dtypes);
  o << "  localparam int unsigned NumUnits = " << isa.units.back().id + 1 << ";\n"
    << "  localparam logic [" << width_of("wait0_unit") - 1 << ":0] NoWaitUnit = "
    << width_of("wait0_unit") << "'d" << ((1 << width_of("wait0_unit")) - 1) << ";\n\n";
  o << "  // Field positions: *Pos is the bit offset inside the " << bits
    << "-bit instruction.\n";
  for (const auto& f : isa.fields) {
    const std::string n = Camel(f.name);
    o << "  localparam int unsigned " << n << "Word = " << f.word << ";\n"
      << "  localparam int unsigned " << n << "Lsb = " << f.lsb << ";\n"
      << "  localparam int unsigned " << n << "Width = " << f.width << ";\n"
      << "  localparam int unsigned " << n << "Pos = " << f.word * 64 + f.lsb << ";\n";
  }
  // The packed struct: words from the last to the first, fields from high to low bits, with
  // reserved fillers where no field sits.
  o << "\n  typedef struct packed {\n";
  for (int w = isa.words - 1; w >= 0; --w) {
    std::vector<Field> in_word;
    for (const auto& f : isa.fields) {
      if (f.word == w) in_word.push_back(f);
    }
    std::sort(in_word.begin(), in_word.end(),
              [](const Field& a, const Field& b) { return a.lsb > b.lsb; });
    int top = 64;
    auto reserved = [&](int hi, int lo) {
      o << "    logic [" << hi - lo - 1 << ":0] rsvd_w" << w << "_" << lo << ";\n";
    };
    for (const auto& f : in_word) {
      if (f.lsb + f.width < top) reserved(top, f.lsb + f.width);
      o << "    logic " << (f.is_signed ? "signed " : "") << "[" << f.width - 1 << ":0] " << f.name
        << ";\n";
      top = f.lsb;
    }
    if (top > 0) reserved(top, 0);
  }
  o << "  } instr_t;\n\nendpackage\n";
  return o.str();
}

// Writes `text` to `path` unless the file already holds it, so that consumers of an unchanged
// file are not rebuilt.
void Write(const std::string& path, const std::string& text) {
  {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream cur;
    cur << in.rdbuf();
    if (in && cur.str() == text) return;
  }
  // Under a temporary name, then renamed into place: an interrupted build never leaves half a
  // header for the next one to compile.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << text;
    out.close();
    if (!out) Fail("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) Fail("cannot rename " + tmp + " to " + path);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: isa_gen <isa.json> <isa_generated.h> <ivit_isa_pkg.sv>\n";
    return 2;
  }
  try {
    const Isa isa = Read(argv[1]);
    Write(argv[2], CppHeader(isa));
    Write(argv[3], SvPackage(isa));
  } catch (const std::exception& e) {
    std::cerr << "isa_gen: " << argv[1] << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
