#include "tools/sweep/results_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "compiler/isa/isa_generated.h"
#include "model/common/atomic_file.h"
#include "model/common/error.h"
#include "model/common/user_file.h"

namespace intvit::tools::sweep {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kResultsMaxBytes = std::uint64_t{1} << 30;

// Appends `line` with one write(2) on an O_APPEND descriptor and syncs it, so a reader sees the
// whole line or (after a kill) a prefix without its newline.
void AppendLine(const fs::path& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  Require(fd >= 0, path.string() + ": cannot open for appending (" + std::strerror(errno) + ")");
  const ssize_t w = ::write(fd, line.data(), line.size());
  const bool ok = w == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  Require(ok, path.string() + ": cannot append a result line (" + std::strerror(err) + ")");
}

std::string Cell(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "";
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// The value of CSV column `col` in `row`.
nlohmann::ordered_json ColumnValue(const Row& row, const std::string& col) {
  if (row.contains(col)) return row[col];
  if (row.contains("axes") && row["axes"].contains(col)) return row["axes"][col];
  const auto component = [&](const char* object, const char* prefix, const char* suffix,
                             const char* total) -> nlohmann::ordered_json {
    if (!row.contains(object) || !row[object].is_object()) return nullptr;
    const auto& o = row[object];
    if (col == std::string(prefix) + suffix) return o.value(total, nlohmann::ordered_json());
    const std::string name = col.substr(std::strlen(prefix) + 1,
                                        col.size() - std::strlen(prefix) - 1 - std::strlen(suffix));
    if (o.contains("by_component") && o["by_component"].contains(name)) {
      return o["by_component"][name];
    }
    return nullptr;
  };
  if (col.starts_with("energy") && col.ends_with("_uj")) {
    return component("energy", "energy", "_uj", "total_uj");
  }
  if (col.starts_with("area") && col.ends_with("_mm2")) {
    return component("area", "area", "_mm2", "total_mm2");
  }
  return nullptr;
}

std::set<std::string> Components(const std::vector<Row>& rows, const char* object) {
  std::set<std::string> names;
  for (const Row& r : rows) {
    if (r.contains(object) && r[object].is_object() && r[object].contains("by_component") &&
        r[object]["by_component"].is_object()) {
      for (const auto& [k, v] : r[object]["by_component"].items()) names.insert(k);
    }
  }
  return names;
}

}  // namespace

std::vector<Row> ReadResultRows(const fs::path& jsonl, bool* torn) {
  if (torn != nullptr) *torn = false;
  std::error_code ec;
  if (!fs::exists(jsonl, ec)) return {};
  const std::string text = ReadUserFile(jsonl, kResultsMaxBytes, "sweep results");
  std::vector<Row> rows;
  std::size_t start = 0;
  int line = 0;
  while (start < text.size()) {
    ++line;
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {  // torn by a kill: the point runs again
      if (torn != nullptr) *torn = true;
      break;
    }
    const std::string where = jsonl.string() + ":" + std::to_string(line);
    Row r;
    try {
      r = Row::parse(text.substr(start, nl - start));
    } catch (const nlohmann::json::exception&) {
      throw InputError(where + ": not a JSON result line");
    }
    Require(r.is_object() && r.contains("id") && r["id"].is_string(),
            where + ": not a result line (no \"id\")");
    rows.push_back(std::move(r));
    start = nl + 1;
  }
  return rows;
}

std::vector<std::string> CsvColumns(const std::vector<std::string>& axis_keys,
                                    const std::vector<Row>& rows) {
  std::vector<std::string> c = {"id"};
  c.insert(c.end(), axis_keys.begin(), axis_keys.end());
  for (const char* k :
       {"model", "status", "error", "cycles", "latency_us", "throughput_ips", "mac_util"}) {
    c.push_back(k);
  }
  for (int u = 0; u < isa::kNumUnits; ++u) {
    c.push_back("busy_" + std::string(isa::UnitName(static_cast<isa::Unit>(u))));
  }
  c.push_back("dram_read_bytes");
  c.push_back("dram_write_bytes");
  c.push_back("energy_uj");
  for (const std::string& n : Components(rows, "energy")) c.push_back("energy_" + n + "_uj");
  c.push_back("area_mm2");
  for (const std::string& n : Components(rows, "area")) c.push_back("area_" + n + "_mm2");
  c.push_back("bit_exact");
  c.push_back("dir");
  return c;
}

std::string CsvLine(const std::vector<std::string>& columns, const Row& row) {
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    line += (i ? "," : "") + Cell(ColumnValue(row, columns[i]));
  }
  return line + "\n";
}

ResultsLog::ResultsLog(fs::path dir, std::vector<std::string> axis_keys, std::vector<Row> rows)
    : dir_(std::move(dir)), axis_keys_(std::move(axis_keys)), rows_(std::move(rows)) {
  std::string jsonl;
  for (const Row& r : rows_) jsonl += r.dump() + "\n";
  WriteFileAtomically(dir_ / "results.jsonl", jsonl);
  RewriteCsv();
}

void ResultsLog::RewriteCsv() {
  columns_ = CsvColumns(axis_keys_, rows_);
  std::string csv;
  for (std::size_t i = 0; i < columns_.size(); ++i) csv += (i ? "," : "") + Cell(columns_[i]);
  csv += "\n";
  for (const Row& r : rows_) csv += CsvLine(columns_, r);
  WriteFileAtomically(dir_ / "results.csv", csv);
}

void ResultsLog::Append(const Row& row) {
  AppendLine(dir_ / "results.jsonl", row.dump() + "\n");
  rows_.push_back(row);
  if (CsvColumns(axis_keys_, rows_) != columns_) {
    RewriteCsv();
  } else {
    AppendLine(dir_ / "results.csv", CsvLine(columns_, row));
  }
}

}  // namespace intvit::tools::sweep
