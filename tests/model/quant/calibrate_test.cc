#include "model/quant/calibrate.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "model/common/error.h"
#include "model/quant/seeded_random.h"
#include "model/quant/synthetic_image.h"

namespace intvit::model {
namespace {

TEST(UpdateRunningRange, FirstBatchInitializesThenMomentumBlends) {
  ActivationRange r;  // QuantAct starts at min = max = 0
  UpdateRunningRange(r, {-1.0f, 2.0f}, 0.5);
  EXPECT_EQ(r.min, -1.0f);
  EXPECT_EQ(r.max, 2.0f);
  UpdateRunningRange(r, {-3.0f, 4.0f}, 0.5);  // exact halves
  EXPECT_EQ(r.min, -2.0f);
  EXPECT_EQ(r.max, 3.0f);
  // I-ViT's momentum: 0.95f * running + 0.05f * batch, each product rounded to float32.
  UpdateRunningRange(r, {-12.0f, 23.0f}, kActRangeMomentum);
  EXPECT_EQ(r.min, -2.0f * 0.95f + -12.0f * 0.05f);
  EXPECT_EQ(r.max, 3.0f * 0.95f + 23.0f * 0.05f);
  EXPECT_NEAR(r.min, -2.5f, 1e-6);
  EXPECT_NEAR(r.max, 4.0f, 1e-6);
}

TEST(UpdateRunningRange, AConstantRunningRangeIsReplacedNotBlended) {
  // QuantAct re-initializes whenever min_val == max_val, e.g. after an all-zero tensor.
  ActivationRange r{0.0f, 0.0f};
  UpdateRunningRange(r, {0.0f, 0.0f}, kActRangeMomentum);
  UpdateRunningRange(r, {-5.0f, 5.0f}, kActRangeMomentum);
  EXPECT_EQ(r.min, -5.0f);
  EXPECT_EQ(r.max, 5.0f);
}

// The min and max of every point over the calibration images [first, last).
ActivationRanges DirectRanges(const FloatVit& v, std::uint64_t seed, int first, int last) {
  ActivationRanges out;
  for (int i = first; i < last; ++i) {
    FloatForward(v, SyntheticImage(v.config, DeriveSeed(seed, 100 + i)),
                 [&](std::string_view name, std::span<const float> x) {
                   const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
                   auto [it, fresh] = out.try_emplace(std::string(name), ActivationRange{*lo, *hi});
                   if (!fresh) {
                     it->second.min = std::min(it->second.min, *lo);
                     it->second.max = std::max(it->second.max, *hi);
                   }
                 });
  }
  return out;
}

TEST(Calibrate, OneBatchGivesTheMinAndMaxOverAllImages) {
  const FloatVit v = MakeSyntheticVit(ModelPreset("vit-tiny-test"), 1);
  CalibrationOptions o;
  o.images = 3, o.batch_size = 3, o.seed = 7;
  const ActivationRanges got = Calibrate(v, o);
  const ActivationRanges want = DirectRanges(v, 7, 0, 3);
  ASSERT_EQ(got.size(), ActivationPoints(v.config).size());
  for (const auto& p : ActivationPoints(v.config)) {
    EXPECT_EQ(got.at(p.name).min, want.at(p.name).min) << p.name;
    EXPECT_EQ(got.at(p.name).max, want.at(p.name).max) << p.name;
    EXPECT_LT(got.at(p.name).min, got.at(p.name).max) << p.name;
  }
}

TEST(Calibrate, LaterBatchesBlendWithMomentum) {
  const FloatVit v = MakeSyntheticVit(ModelPreset("vit-tiny-test"), 1);
  CalibrationOptions o;
  o.images = 3, o.batch_size = 2, o.seed = 7;  // batches {0, 1} and {2}
  const ActivationRanges got = Calibrate(v, o);
  const ActivationRanges first = DirectRanges(v, 7, 0, 2), second = DirectRanges(v, 7, 2, 3);
  for (const auto& [name, r] : got) {
    ActivationRange want = first.at(name);
    UpdateRunningRange(want, second.at(name), kActRangeMomentum);
    EXPECT_EQ(r.min, want.min) << name;
    EXPECT_EQ(r.max, want.max) << name;
  }
}

TEST(Calibrate, RejectsEmptyCalibration) {
  const FloatVit v = MakeSyntheticVit(ModelPreset("vit-tiny-test"), 1);
  CalibrationOptions o;
  o.images = 0;
  EXPECT_THROW(Calibrate(v, o), InputError);
  o.images = 2, o.batch_size = 0;
  EXPECT_THROW(Calibrate(v, o), InputError);
}

}  // namespace
}  // namespace intvit::model
