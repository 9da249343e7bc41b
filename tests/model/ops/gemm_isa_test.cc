#include "model/ops/gemm_isa.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "model/common/error.h"

namespace intvit::model {
namespace {

// Sets INTVIT_GEMM_ISA for one scope and restores the previous value.
class ScopedIsaEnv {
 public:
  explicit ScopedIsaEnv(const char* value) {
    if (const char* old = std::getenv("INTVIT_GEMM_ISA")) saved_ = old;
    if (value != nullptr) {
      setenv("INTVIT_GEMM_ISA", value, 1);
    } else {
      unsetenv("INTVIT_GEMM_ISA");
    }
  }
  ~ScopedIsaEnv() {
    if (saved_) {
      setenv("INTVIT_GEMM_ISA", saved_->c_str(), 1);
    } else {
      unsetenv("INTVIT_GEMM_ISA");
    }
  }

 private:
  std::optional<std::string> saved_;
};

TEST(GemmIsa, NamesRoundTrip) {
  for (GemmIsa isa : {GemmIsa::kScalar, GemmIsa::kAvx2, GemmIsa::kAvx512Vnni}) {
    EXPECT_EQ(ParseGemmIsa(GemmIsaName(isa)), isa);
  }
  EXPECT_EQ(GemmIsaName(GemmIsa::kAvx512Vnni), "avx512vnni");
  EXPECT_EQ(ParseGemmIsa("AVX2"), std::nullopt);
  EXPECT_EQ(ParseGemmIsa("sse"), std::nullopt);
}

TEST(GemmIsa, ScalarIsAlwaysSupportedAndDetectionPicksASupportedIsa) {
  EXPECT_TRUE(GemmIsaSupported(GemmIsa::kScalar));
  EXPECT_TRUE(GemmIsaSupported(DetectGemmIsa()));
  const auto all = SupportedGemmIsas();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front(), GemmIsa::kScalar);
  EXPECT_EQ(all.back(), DetectGemmIsa());
}

TEST(GemmIsa, EnvironmentForcesTheIsa) {
  {
    ScopedIsaEnv env(nullptr);
    EXPECT_EQ(BestGemmIsa(), DetectGemmIsa());
  }
  {
    ScopedIsaEnv env("auto");
    EXPECT_EQ(BestGemmIsa(), DetectGemmIsa());
  }
  {
    ScopedIsaEnv env("scalar");
    EXPECT_EQ(BestGemmIsa(), GemmIsa::kScalar);
  }
  {
    ScopedIsaEnv env("avx-512");
    EXPECT_THROW(BestGemmIsa(), InputError);
  }
}

TEST(GemmIsa, ForcingAnUnsupportedIsaThrows) {
  for (GemmIsa isa : {GemmIsa::kAvx2, GemmIsa::kAvx512Vnni}) {
    ScopedIsaEnv env(std::string(GemmIsaName(isa)).c_str());
    if (GemmIsaSupported(isa)) {
      EXPECT_EQ(BestGemmIsa(), isa);
    } else {
      EXPECT_THROW(BestGemmIsa(), InputError);
    }
  }
}

}  // namespace
}  // namespace intvit::model
