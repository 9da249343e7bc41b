#include "model/exec/compare.h"

#include <algorithm>

namespace intvit::model {
namespace {

std::uint64_t AbsDiff(std::int64_t a, std::int64_t b) {
  // The exact |a - b| < 2^64, computed in unsigned arithmetic without overflow.
  const auto ua = static_cast<std::uint64_t>(a), ub = static_cast<std::uint64_t>(b);
  return a >= b ? ua - ub : ub - ua;
}

}  // namespace

bool CompareReport::AllMatch() const { return TotalMismatches() == 0; }

std::int64_t CompareReport::TotalMismatches() const {
  std::int64_t n = 0;
  for (const OutputDiff& d : outputs) n += d.mismatches;
  return n;
}

std::int64_t CompareReport::TotalElements() const {
  std::int64_t n = 0;
  for (const OutputDiff& d : outputs) n += d.elements;
  return n;
}

CompareReport CompareOutputs(const TensorMap& expected, const TensorMap& actual) {
  CompareReport report;
  for (const auto& [name, e] : expected) {
    OutputDiff d;
    d.name = name;
    d.dtype = e.dtype;
    d.shape = e.shape;
    d.elements = static_cast<std::int64_t>(e.values.size());
    auto it = actual.find(name);
    if (it == actual.end()) {
      d.missing = true;
      d.mismatches = d.elements;
    } else if (it->second.shape != e.shape || it->second.values.size() != e.values.size()) {
      d.shape_differs = true;
      d.actual_shape = it->second.shape;
      d.mismatches = d.elements;
    } else {
      const std::vector<std::int64_t>& a = it->second.values;
      for (std::size_t i = 0; i < e.values.size(); ++i) {
        if (a[i] == e.values[i]) continue;
        if (d.mismatches++ == 0) {
          d.first_index = IndexToCoords(static_cast<std::int64_t>(i), e.shape);
          d.first_expected = e.values[i];
          d.first_actual = a[i];
        }
        d.max_abs_diff = std::max(d.max_abs_diff, AbsDiff(e.values[i], a[i]));
      }
    }
    report.outputs.push_back(std::move(d));
  }
  return report;
}

std::string FormatOutputDiff(const OutputDiff& d) {
  std::string s =
      d.name + " " + std::string(DTypeName(d.dtype)) + " " + FormatShape(d.shape) + ": ";
  const std::string n = std::to_string(d.elements);
  if (d.missing) return s + "missing from the computed outputs";
  if (d.shape_differs) return s + "computed with shape " + FormatShape(d.actual_shape);
  if (d.Matches()) return s + "all " + n + " match";
  return s + std::to_string(d.mismatches) + " of " + n + " differ; first at " +
         FormatShape(d.first_index) + ": expected " + std::to_string(d.first_expected) +
         ", actual " + std::to_string(d.first_actual) + "; max |diff| " +
         std::to_string(d.max_abs_diff);
}

}  // namespace intvit::model
