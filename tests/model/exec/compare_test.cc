#include "model/exec/compare.h"

#include <gtest/gtest.h>

namespace intvit::model {
namespace {

using Ints = std::vector<std::int64_t>;

TEST(CompareOutputs, AllMatch) {
  const TensorMap e = {{"y", VectorTensor{DType::kInt32, {2, 2}, {1, 2, 3, 4}}}};
  const TensorMap a = {{"y", VectorTensor{DType::kInt64, {2, 2}, {1, 2, 3, 4}}},
                       {"extra", VectorTensor{DType::kInt8, {1}, {0}}}};
  const CompareReport r = CompareOutputs(e, a);
  EXPECT_TRUE(r.AllMatch());
  EXPECT_EQ(r.TotalElements(), 4);
  ASSERT_EQ(r.outputs.size(), 1u);  // actual outputs the case does not expect are ignored
  EXPECT_EQ(FormatOutputDiff(r.outputs[0]), "y int32 [2, 2]: all 4 match");
}

TEST(CompareOutputs, ReportsCountFirstCoordinatesValuesAndMaxDiff) {
  Ints expected(3 * 197, 7), actual(3 * 197, 7);
  actual[2 * 197 + 17] = 9;  // first mismatch at [2, 17]
  actual[2 * 197 + 20] = 2;  // |diff| 5
  const TensorMap e = {{"y", VectorTensor{DType::kUint16, {3, 197}, expected}}};
  const TensorMap a = {{"y", VectorTensor{DType::kUint16, {3, 197}, actual}}};
  const CompareReport r = CompareOutputs(e, a);
  EXPECT_FALSE(r.AllMatch());
  const OutputDiff& d = r.outputs[0];
  EXPECT_EQ(d.mismatches, 2);
  EXPECT_EQ(d.first_index, (Ints{2, 17}));
  EXPECT_EQ(d.first_expected, 7);
  EXPECT_EQ(d.first_actual, 9);
  EXPECT_EQ(d.max_abs_diff, 5u);
  EXPECT_EQ(FormatOutputDiff(d),
            "y uint16 [3, 197]: 2 of 591 differ; first at [2, 17]: "
            "expected 7, actual 9; max |diff| 5");
}

TEST(CompareOutputs, MaxDiffIsExactAtTheInt64Extremes) {
  const TensorMap e = {{"y", VectorTensor{DType::kInt64, {1}, {INT64_MIN}}}};
  const TensorMap a = {{"y", VectorTensor{DType::kInt64, {1}, {INT64_MAX}}}};
  EXPECT_EQ(CompareOutputs(e, a).outputs[0].max_abs_diff, UINT64_MAX);
}

TEST(CompareOutputs, MissingOutputsAndWrongShapesCountEveryElement) {
  const TensorMap e = {{"y", VectorTensor{DType::kInt32, {2, 2}, {1, 2, 3, 4}}}};
  CompareReport r = CompareOutputs(e, {});
  EXPECT_EQ(r.TotalMismatches(), 4);
  EXPECT_EQ(FormatOutputDiff(r.outputs[0]), "y int32 [2, 2]: missing from the computed outputs");
  r = CompareOutputs(e, {{"y", VectorTensor{DType::kInt32, {4}, {1, 2, 3, 4}}}});
  EXPECT_EQ(r.TotalMismatches(), 4);
  EXPECT_EQ(FormatOutputDiff(r.outputs[0]), "y int32 [2, 2]: computed with shape [4]");
}

}  // namespace
}  // namespace intvit::model
