#include "model/io/hex_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "model/common/error.h"
#include "model/common/atomic_file.h"
#include "model/common/user_file.h"

namespace intvit::model {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Quotes a line for a message, cut to a readable length.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 24)) out += (c >= 32 && c < 127) ? c : '?';
  if (s.size() > 24) out += "...";
  return out + "\"";
}

}  // namespace

std::string FormatHex(std::int64_t v, DType t) {
  static constexpr char kDigits[] = "0123456789abcdef";
  const int digits = HexDigits(t);
  // Two's complement of the width: the low 4*digits bits of v.
  auto u = static_cast<std::uint64_t>(v);
  std::string s(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, u >>= 4) s[static_cast<std::size_t>(i)] = kDigits[u & 15];
  return s;
}

bool ParseHex(std::string_view line, DType t, std::int64_t* value, std::string* why) {
  const std::string_view s = Trim(line);
  const int width = HexDigits(t);
  if (s.empty()) {
    *why = "empty line";
    return false;
  }
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    *why = Quote(s) + " has a 0x prefix; write bare hex digits (as $readmemh reads them)";
    return false;
  }
  std::uint64_t u = 0;
  for (char c : s) {
    const int d = HexDigitValue(c);
    if (d < 0) {
      *why = Quote(s) + " is not a hex value (one value of 1 to " + std::to_string(width) +
             " hex digits per line, no sign, prefix, underscore or comment)";
      return false;
    }
    u = (u << 4) | static_cast<std::uint64_t>(d);
  }
  if (static_cast<int>(s.size()) > width) {
    *why = Quote(s) + " has " + std::to_string(s.size()) + " hex digits; " +
           std::string(DTypeName(t)) + " takes at most " + std::to_string(width);
    return false;
  }
  const int bits = 4 * width;
  const bool is_signed = DTypeMin(t) < 0;
  if (bits == 64) {
    *value = static_cast<std::int64_t>(u);  // modular conversion (C++20)
  } else if (is_signed && (u >> (bits - 1)) != 0) {
    *value = static_cast<std::int64_t>(u) - (std::int64_t{1} << bits);
  } else {
    *value = static_cast<std::int64_t>(u);
  }
  return true;
}

std::vector<std::int64_t> ReadHexFile(const std::filesystem::path& path, const std::string& display,
                                      const std::string& tensor, DType t, std::int64_t count) {
  const std::uint64_t max_bytes = 64 * (static_cast<std::uint64_t>(count) + 1);
  const UniqueFile f = OpenUserFile(path, max_bytes, "hex file", display + ": " + tensor + ".file");
  const std::string count_text = std::to_string(count);

  std::vector<std::int64_t> values;
  std::string line;
  std::int64_t line_no = 1;
  std::int64_t first_pending_blank = 0;  // line number of a blank line not yet followed by data
  std::uint64_t total = 0;

  auto at_line = [&](std::int64_t n) { return display + ": line " + std::to_string(n) + ": "; };
  auto finish_line = [&]() {
    if (Trim(line).empty()) {
      if (first_pending_blank == 0) first_pending_blank = line_no;
    } else {
      Require(first_pending_blank == 0,
              at_line(first_pending_blank) +
                  "blank line before the last value (one value per line, no gaps)");
      Require(static_cast<std::int64_t>(values.size()) < count,
              at_line(line_no) + "more values than the " + count_text + " that " + tensor +
                  "'s shape holds");
      std::int64_t v = 0;
      std::string why;
      if (!ParseHex(line, t, &v, &why)) throw InputError(at_line(line_no) + why);
      values.push_back(v);
    }
    line.clear();
    ++line_no;
  };

  char buf[1 << 16];
  while (true) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, f.get());
    if (n == 0) {
      Require(!std::ferror(f.get()),
              display + ": " + tensor + ".file: read error (" + std::strerror(errno) + ")");
      break;
    }
    for (std::size_t i = 0; i < n; ++i) {
      Require(++total <= max_bytes, display + ": larger than " + std::to_string(max_bytes) +
                                        " bytes, too large for the " + count_text + " values of " +
                                        tensor);
      if (buf[i] == '\n') {
        finish_line();
        continue;
      }
      Require(line.size() < kHexMaxLineChars,
              at_line(line_no) + "longer than " + std::to_string(kHexMaxLineChars) + " characters");
      line.push_back(buf[i]);
    }
  }
  if (!line.empty()) finish_line();  // a last line without '\n'
  Require(static_cast<std::int64_t>(values.size()) == count,
          display + ": has " + std::to_string(values.size()) + " values; " + tensor +
              "'s shape needs " + count_text);
  return values;
}

void WriteHexFile(const std::filesystem::path& path, DType t,
                  const std::vector<std::int64_t>& values) {
  std::string text;
  text.reserve(values.size() * static_cast<std::size_t>(HexDigits(t) + 1));
  for (std::int64_t v : values) {
    text += FormatHex(v, t);
    text += '\n';
  }
  WriteFileAtomically(path, text);
}

}  // namespace intvit::model
