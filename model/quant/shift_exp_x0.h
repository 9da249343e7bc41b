// Prepare time: the integer x0 (the integer for -1.0 at the exp's input scale) that Shiftmax and
// ShiftGELU pass to ShiftExpSaturating (model/arith/shift_exp.h). I-ViT derives it from the float32
// scale in float32 at every forward pass; intvit derives it once and stores it in the model file.
#pragma once

#include <cstdint>

namespace intvit::model {

// Computes:   x0 = floorf(-1.0f / s), one float32 division (IntSoftmax's
//             torch.floor(-1.0 / scaling_factor); PyTorch evaluates that as -RN32(1/s), equal).
// Rounding:   the quotient to the nearest float32, then floor. Not floor of the exact -1/s:
//             s = 0.01f gives -100, where double arithmetic gives -101.
// Range:      s finite and > 0, large enough that x0 >= kShiftExpMinX0 = -2^31 (s >= 2^-31).
//             Result in [-2^31, -1]. Anything else throws InputError.
std::int64_t ShiftmaxX0FromScale(float s);

// Computes:   x0 = floorf(-1.0f / RN32(s * 1.702f)), where 1.702f = RN32(1.702) =
//             14277411 * 2^-23 (IntGELU's scaling_factor * 1.702, a float32 tensor times a
//             Python float, then int_exp_shift's floor(-1.0 / scaling_factor)).
// Rounding:   the product and the quotient each to the nearest float32, then floor. Either
//             rounding can move x0 by one against double arithmetic.
// Range:      s finite and > 0 with x0 >= -2^31 (s >= about 2^-31.77). Result in [-2^31, -1].
//             Anything else throws InputError.
std::int64_t ShiftGeluX0FromScale(float s);

}  // namespace intvit::model
