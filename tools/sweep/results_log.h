// The result set of a sweep folder: results.jsonl (one JSON object per point, the record) and
// results.csv (the same rows flattened, docs/sweep.md §Outputs). A finished point is appended
// at once: its JSON line with one write(2) on an O_APPEND file, then fsync, then its CSV line.
// A kill can leave at most a torn last line in either file; ReadResultRows drops it, and a
// resumed or merged sweep rewrites results.csv whole from the JSON rows.
//
// CSV columns: id, the spec's axis keys, model, status, error, cycles, latency_us,
// throughput_ips, mac_util, busy_<unit> per ISA unit, dram_read_bytes, dram_write_bytes,
// energy_uj, energy_<component>_uj, area_mm2, area_<component>_mm2, bit_exact, dir. The
// component columns are the sorted union of the components in the rows' "energy" and "area"
// objects; when a row brings a new one, results.csv is rewritten whole (atomically) with the
// wider header, so every line always has the header's columns.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace intvit::tools::sweep {

using Row = nlohmann::ordered_json;

// The rows of a results.jsonl (none if it does not exist). A last line without its newline is
// torn (a kill during its write): it is dropped and *torn set. Any other line that is not a
// JSON object with an "id" is an InputError naming the file and line.
std::vector<Row> ReadResultRows(const std::filesystem::path& jsonl, bool* torn = nullptr);

// The CSV header for these rows.
std::vector<std::string> CsvColumns(const std::vector<std::string>& axis_keys,
                                    const std::vector<Row>& rows);
// One CSV line (with its newline) of `row` under `columns` (RFC 4180 quoting; null is empty).
std::string CsvLine(const std::vector<std::string>& columns, const Row& row);

class ResultsLog {
 public:
  // Rewrites DIR/results.jsonl and DIR/results.csv whole (atomically) from `rows`, then
  // appends to them.
  ResultsLog(std::filesystem::path dir, std::vector<std::string> axis_keys, std::vector<Row> rows);
  void Append(const Row& row);
  const std::vector<Row>& rows() const { return rows_; }

 private:
  void RewriteCsv();
  std::filesystem::path dir_;
  std::vector<std::string> axis_keys_;
  std::vector<Row> rows_;
  std::vector<std::string> columns_;
};

}  // namespace intvit::tools::sweep
