// Adds an `instr_index` signal to a VCD that Verilator wrote. VerilatedVcdC cannot declare a
// signal the model does not have, so ClockedUnit writes the model's VCD to `<path>.raw` and,
// when the unit is destroyed, this rewrites it into `<path>`: a `$var wire 32 <id> instr_index`
// in the top scope, and each change at the first dumped time at or after the change (a change
// before a wave window therefore shows at the window's first edge; one after the last dump is
// dropped). Written to `<path>.tmp` and renamed into place; the raw file is removed.
// Header-only: the units Verilated at run time (testbench/dynamic/) compile it too.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace intvit::tb {

// instr_index becomes `index` at VCD time `time`; changes are in time order.
struct InstrChange {
  std::int64_t time = 0;
  std::int64_t index = 0;
};

inline std::string VcdBinary(std::uint64_t v) {
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('0' + (v & 1)));
    v >>= 1;
  } while (v != 0);
  return "b" + s;
}

// Returns false (and a message in *error) if a file cannot be read or written.
inline bool FinishVcdWithInstrIndex(const std::string& raw, const std::string& path,
                                    const std::vector<InstrChange>& changes, std::string* error) {
  std::ifstream in(raw);
  if (!in) {
    *error = "cannot read the raw waveform " + raw;
    return false;
  }
  std::vector<std::string> header;
  std::set<std::string> ids;
  std::string line;
  while (std::getline(in, line)) {
    header.push_back(line);
    std::istringstream words(line);
    std::string w0, type, width, id;
    if (words >> w0 && w0 == "$var" && words >> type >> width >> id) ids.insert(id);
    if (line.find("$enddefinitions") != std::string::npos) break;
  }
  std::string code = "ii";
  while (ids.count(code) != 0) code += '~';
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    if (!out) {
      *error = "cannot write the waveform " + path;
      return false;
    }
    bool declared = false;
    for (const std::string& h : header) {
      out << h << '\n';
      if (!declared && h.find("$scope") != std::string::npos) {
        out << " $var wire 32 " << code << " instr_index [31:0] $end\n";
        declared = true;
      }
    }
    std::size_t next = 0;
    std::int64_t shown = -1;
    while (std::getline(in, line)) {
      out << line << '\n';
      if (line.empty() || line[0] != '#') continue;
      const std::int64_t t = std::stoll(line.substr(1));
      std::int64_t value = -1;
      while (next < changes.size() && changes[next].time <= t) value = changes[next++].index;
      if (value >= 0 && value != shown) {
        out << VcdBinary(static_cast<std::uint64_t>(value)) << ' ' << code << '\n';
        shown = value;
      }
    }
    if (!out.flush()) {
      *error = "cannot write the waveform " + path;
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = "cannot rename " + tmp + " to " + path;
    return false;
  }
  std::remove(raw.c_str());
  return true;
}

}  // namespace intvit::tb
