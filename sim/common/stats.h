// StatsRegistry: every statistic of a run, registered once by dotted name with a one-line
// description (Ramulator 2's register_stat). Units own counters through stable references and
// bump them while the model runs; derived values (utilizations) are formulas evaluated when the
// stats are dumped. Output: a nested stats.json ({"array": {"busy_cycles": {"value": ...,
// "description": ...}}}) and a flattened CSV (name,value,description) for sweeps.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace intvit::sim {

class StatsRegistry {
 public:
  // A counter starting at 0. The reference stays valid as long as the registry lives.
  // Throws std::logic_error if the name is taken or clashes with a group ("a.b" vs "a.b.c").
  std::int64_t& Counter(const std::string& name, const std::string& description);
  // A value computed when the stats are read (for ratios of counters).
  void Formula(const std::string& name, const std::string& description,
               std::function<nlohmann::json()> value);
  // A fixed value (configuration echoes, totals known after the run).
  void Set(const std::string& name, const std::string& description, nlohmann::json value);

  bool Has(const std::string& name) const { return index_.count(name) != 0; }
  nlohmann::json Value(const std::string& name) const;  // throws std::out_of_range
  std::string Description(const std::string& name) const;

  // {"group": {"leaf": {"value": v, "description": d}}}, groups in name order.
  nlohmann::json ToJson() const;
  // "name,value,description" rows (header first), names in registration order.
  std::string ToCsv() const;

 private:
  struct Entry {
    std::string name, description;
    std::int64_t counter = 0;
    std::function<nlohmann::json()> formula;  // empty for counters
    nlohmann::json fixed;
    enum Kind { kCounter, kFormula, kFixed } kind = kCounter;
  };
  Entry& Add(const std::string& name, const std::string& description);
  nlohmann::json ValueOf(const Entry& e) const;

  std::deque<Entry> entries_;  // deque: references to counters stay valid
  std::map<std::string, std::size_t> index_;
};

}  // namespace intvit::sim
