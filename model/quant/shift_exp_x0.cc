#include "model/quant/shift_exp_x0.h"

#include <cmath>
#include <string>

#include "model/arith/shift_exp.h"
#include "model/common/error.h"
#include "model/quant/float32.h"

namespace intvit::model {
namespace {

// RN32(1.702): the Python float 1.702 becomes a float32 scalar before it multiplies a float32
// tensor.
constexpr float kGeluSigmoidFactor = 1.702f;

void RequirePositiveScale(float s, const char* op) {
  Require(std::isfinite(s) && s > 0.0f, std::string(op) + " x0: the input scale is " +
                                            detail::FloatText(s) + ", not finite and positive");
}

// floor(quotient) as an integer, checked against the legal x0 range of ShiftExpSaturating.
std::int64_t X0FromQuotient(float quotient, float s, const char* op) {
  const float x0 = std::floor(quotient);
  // -2^31 is exactly representable in float32; the comparison is exact.
  Require(std::isfinite(x0) && x0 >= static_cast<float>(kShiftExpMinX0) && x0 <= -1.0f,
          std::string(op) + " x0: the input scale " + detail::FloatText(s) +
              " gives x0 = " + detail::FloatText(x0) + ", outside [" +
              std::to_string(kShiftExpMinX0) + ", -1]; the scale is too small");
  return static_cast<std::int64_t>(x0);
}

}  // namespace

std::int64_t ShiftmaxX0FromScale(float s) {
  RequirePositiveScale(s, "Shiftmax");
  const float quotient = -1.0f / s;  // RN32(-1/s)
  return X0FromQuotient(quotient, s, "Shiftmax");
}

std::int64_t ShiftGeluX0FromScale(float s) {
  RequirePositiveScale(s, "ShiftGELU");
  const float s_sig = s * kGeluSigmoidFactor;  // RN32(s * RN32(1.702))
  Require(std::isfinite(s_sig) && s_sig > 0.0f, "ShiftGELU x0: the input scale " +
                                                    detail::FloatText(s) + " times 1.702f is " +
                                                    detail::FloatText(s_sig) + " in float32");
  const float quotient = -1.0f / s_sig;  // RN32(-1/s_sig)
  return X0FromQuotient(quotient, s, "ShiftGELU");
}

}  // namespace intvit::model
