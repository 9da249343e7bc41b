// Encoding, decoding, disassembly and program files of the intvit ISA (docs/isa.md). The field
// layout comes from the generated header; this file adds the checks and the text forms.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/isa/isa_generated.h"

namespace intvit::isa {

using Words = std::array<std::uint64_t, kWords>;

// Packs every field. Throws InputError naming the opcode and field when the opcode is unknown,
// a field does not fit its width (signed fields: two's complement range), a field the opcode
// does not use is non-zero, or a unit/buffer/type field names nothing. Decode(Encode(i)) == i.
Words Encode(const Instr& instr);

// Unpacks and validates the same rules; also rejects bits outside every field.
Instr Decode(const Words& words);

// Throws InputError unless `instr` would encode (the checks of Encode, without packing).
void Validate(const Instr& instr);

// The unit whose queue runs the instruction (the target_unit of a sync).
Unit UnitOf(const Instr& instr);
Opcode OpcodeOf(const Instr& instr);  // throws InputError for an unknown opcode
std::string_view OpcodeName(std::uint64_t opcode);  // "?" for an unknown one

// One line, e.g.
//   gemm     acc[0x0400] += act[0x0000] i8 (64x192) * wgt[0x0000] [n][k] (192x64)  waits load>=12
// followed by " ; <comment>" when `comment` is not empty.
std::string Disassemble(const Instr& instr, std::string_view comment = {});

// The text of the waits ("waits load>=12 array>=3"), empty when there are none.
std::string WaitsText(const Instr& instr);

// program.bin: the 8-byte magic "IVITPRG1", a little-endian uint32 format version (1), a
// uint32 word count per instruction (8), a uint64 instruction count, then the instructions,
// 8 little-endian uint64 words each.
inline constexpr std::string_view kProgramMagic = "IVITPRG1";
// Written whole or not at all (model/common/atomic_file.h).
void WriteProgramFile(const std::string& path, const std::vector<Instr>& program);
// Throws InputError naming the file on a bad magic, version, size or instruction (with its
// index).
std::vector<Instr> ReadProgramFile(const std::string& path);
// The bytes of a program file; `where` names it in messages (ReadProgramFile's parser).
std::vector<Instr> ParseProgram(const std::string& bytes, const std::string& where);

}  // namespace intvit::isa
