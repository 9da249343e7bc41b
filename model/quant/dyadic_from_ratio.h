// Prepare time: a float ratio of two scales becomes the dyadic multiplier m * 2^-e that
// requantization applies in integers (HAWQ-V3's batch_frexp, which I-ViT reuses).
#pragma once

#include "model/arith/dyadic.h"

namespace intvit::model {

// Computes:   mant, ex = frexp(ratio), |mant| in [0.5, 1) with the sign of ratio;
//             m = round(mant * 2^31); e = 31 - ex. So m * 2^-e ~ ratio, |m| in [2^30, 2^31].
// Rounding:   mant * 2^31 is exact in double (a power-of-two scaling of a 53-bit mantissa); it is
//             rounded to the nearest integer, ties away from zero (HAWQ's Decimal ROUND_HALF_UP).
//             m == 2^31 when |mant| >= 1 - 2^-32; it is kept, not renormalized, as HAWQ does.
// Range:      ratio finite with e in [kDyadicMinE, kDyadicMaxE], i.e. 2^-96 <= |ratio| < 2^93;
//             ratio == 0 (either sign) gives {0, 0}. Anything else throws InputError.
//             (HAWQ's np.frexp(0) gives e = 31; both encode zero, and no scale reaching here is
//             0, because SymmetricScale clamps scales at 2^-23.)
Dyadic DyadicFromRatio(double ratio);

// Computes:   DyadicFromRatio(double(s_in) / double(s_out)): I-ViT's fixedpoint_mul forms
//             new_scale in float64 from the two float32 scales, never in float32.
// Rounding:   the double quotient to nearest (ties to even), then as DyadicFromRatio.
// Range:      finite s_in, finite nonzero s_out; the quotient within DyadicFromRatio's range.
//             s_in may be negative (a LayerNorm output scale carries the sign of gamma).
Dyadic DyadicFromScales(float s_in, float s_out);

}  // namespace intvit::model
