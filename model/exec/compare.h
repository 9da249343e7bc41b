// Bit-exact comparison of expected and computed op outputs, with the report `intvit op check`
// prints: per output the mismatch count, the first mismatch as coordinates with both values,
// and the largest absolute difference.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/io/vector_case.h"

namespace intvit::model {

struct OutputDiff {
  std::string name;
  DType dtype = DType::kInt32;      // the expected tensor's
  std::vector<std::int64_t> shape;  // the expected tensor's
  std::int64_t elements = 0;        // of the expected tensor
  bool missing = false;             // the actual outputs lack this name
  bool shape_differs = false;       // actual shape != expected shape (no values compared)
  std::vector<std::int64_t> actual_shape;
  std::int64_t mismatches = 0;            // every element counts when missing or shape_differs
  std::vector<std::int64_t> first_index;  // coordinates of the first mismatching element
  std::int64_t first_expected = 0;
  std::int64_t first_actual = 0;
  std::uint64_t max_abs_diff = 0;  // exact even for int64 extremes

  bool Matches() const { return mismatches == 0; }
};

struct CompareReport {
  std::vector<OutputDiff> outputs;  // one per expected output, sorted by name

  bool AllMatch() const;
  std::int64_t TotalMismatches() const;
  std::int64_t TotalElements() const;
};

// Compares every expected output with the actual one of the same name, value by value (dtypes
// are not compared: the values are). Actual outputs the case does not expect are ignored.
CompareReport CompareOutputs(const TensorMap& expected, const TensorMap& actual);

// One line per output, for example
//   "y int32 [3, 4]: 2 of 12 differ; first at [1, 2]: expected 17, actual 15; max |diff| 3"
//   "y int32 [3, 4]: all 12 match"
std::string FormatOutputDiff(const OutputDiff& d);

}  // namespace intvit::model
