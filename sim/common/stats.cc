#include "sim/common/stats.h"

#include <sstream>
#include <stdexcept>

namespace intvit::sim {

StatsRegistry::Entry& StatsRegistry::Add(const std::string& name, const std::string& description) {
  if (name.empty() || name.front() == '.' || name.back() == '.' ||
      name.find("..") != std::string::npos) {
    throw std::logic_error("bad stat name '" + name + "'");
  }
  if (index_.count(name)) throw std::logic_error("stat '" + name + "' registered twice");
  // A leaf may not also be a group: "a.b" and "a.b.c" cannot both exist in the nested JSON.
  auto it = index_.lower_bound(name + ".");
  if (it != index_.end() && it->first.rfind(name + ".", 0) == 0) {
    throw std::logic_error("stat '" + name + "' clashes with '" + it->first + "'");
  }
  for (std::size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1)) {
    if (index_.count(name.substr(0, dot))) {
      throw std::logic_error("stat '" + name + "' clashes with '" + name.substr(0, dot) + "'");
    }
  }
  index_[name] = entries_.size();
  entries_.push_back(Entry{});
  Entry& e = entries_.back();
  e.name = name;
  e.description = description;
  return e;
}

std::int64_t& StatsRegistry::Counter(const std::string& name, const std::string& description) {
  Entry& e = Add(name, description);
  e.kind = Entry::kCounter;
  return e.counter;
}

void StatsRegistry::Formula(const std::string& name, const std::string& description,
                            std::function<nlohmann::json()> value) {
  Entry& e = Add(name, description);
  e.kind = Entry::kFormula;
  e.formula = std::move(value);
}

void StatsRegistry::Set(const std::string& name, const std::string& description,
                        nlohmann::json value) {
  Entry& e = Add(name, description);
  e.kind = Entry::kFixed;
  e.fixed = std::move(value);
}

nlohmann::json StatsRegistry::ValueOf(const Entry& e) const {
  switch (e.kind) {
    case Entry::kCounter:
      return e.counter;
    case Entry::kFormula:
      return e.formula();
    case Entry::kFixed:
      return e.fixed;
  }
  return nullptr;
}

nlohmann::json StatsRegistry::Value(const std::string& name) const {
  return ValueOf(entries_.at(index_.at(name)));
}

std::string StatsRegistry::Description(const std::string& name) const {
  return entries_.at(index_.at(name)).description;
}

nlohmann::json StatsRegistry::ToJson() const {
  nlohmann::json root = nlohmann::json::object();
  for (const auto& [name, i] : index_) {
    nlohmann::json* node = &root;
    std::size_t start = 0;
    for (std::size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', start)) {
      node = &(*node)[name.substr(start, dot - start)];
      start = dot + 1;
    }
    const Entry& e = entries_[i];
    (*node)[name.substr(start)] = {{"value", ValueOf(e)}, {"description", e.description}};
  }
  return root;
}

namespace {
std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}
}  // namespace

std::string StatsRegistry::ToCsv() const {
  std::ostringstream os;
  os << "name,value,description\n";
  for (const Entry& e : entries_) {
    const nlohmann::json v = ValueOf(e);
    os << e.name << ',' << CsvField(v.is_string() ? v.get<std::string>() : v.dump()) << ','
       << CsvField(e.description) << '\n';
  }
  return os.str();
}

}  // namespace intvit::sim
