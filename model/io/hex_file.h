// Hex tensor files of the intvit-vector-v1 format: one value per line, two's complement in the
// dtype's width, readable by SystemVerilog's $readmemh. docs/vectors.md §Hex files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/tensor/dtype.h"

namespace intvit::model {

// Hex digits of one value: 2 per byte (int8 -> 2, int16 -> 4, int32 -> 8, int64 -> 16).
constexpr int HexDigits(DType t) { return 2 * DTypeSize(t); }

// A line may hold at most this many characters (the value plus surrounding whitespace); longer
// lines are rejected before they are buffered, so an unbounded file cannot exhaust memory.
inline constexpr std::size_t kHexMaxLineChars = 64;

// The fixed-width, lower-case, zero-padded two's-complement text of v: FormatHex(-1, kInt8) is
// "ff", FormatHex(-2, kInt16) is "fffe", FormatHex(65535, kUint16) is "ffff".
// Range: FitsDType(v, t); t an integer dtype.
std::string FormatHex(std::int64_t v, DType t);

// Parses one line's text (without its newline). Accepts 1 to HexDigits(t) hex digits in either
// case with optional surrounding whitespace; fewer digits are zero-extended (as $readmemh
// does), then the value is read as two's complement of the dtype's width. Rejects an empty line,
// a "0x" prefix, signs, underscores, x/z digits, $readmemh comments and @addresses, and more
// digits than the width. On failure returns false and sets *why to a short reason.
bool ParseHex(std::string_view line, DType t, std::int64_t* value, std::string* why);

// Reads a hex file that must hold exactly `count` values. Blank lines may follow the last value
// but may not appear before it. The file is read in chunks and abandoned as soon as it is known
// to be malformed: a line longer than kHexMaxLineChars, a value past the count, or more than
// 64 * (count + 1) bytes in all. Throws InputError "<display>: line N: <what>" (or
// "<display>: <what>" for whole-file problems); `tensor` names the tensor for the message
// ("inputs.x").
std::vector<std::int64_t> ReadHexFile(const std::filesystem::path& path, const std::string& display,
                                      const std::string& tensor, DType t, std::int64_t count);

// Writes one FormatHex line per value, each ending in '\n'. Throws InputError if the file
// cannot be written.
void WriteHexFile(const std::filesystem::path& path, DType t,
                  const std::vector<std::int64_t>& values);

}  // namespace intvit::model
