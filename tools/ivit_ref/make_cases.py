#!/usr/bin/env python3
"""Write intvit-vector-v1 cases for I-ViT's integer ops into vectors/ivit/<name>/.

The cases are defined in cases_requant.py, cases_rows.py (Shiftmax, ShiftGELU, LayerNorm) and
cases_gemm.py; case_writer.py holds the registry, the data helpers and emit().

The expected outputs come from the exact-integer path of ivit_ref.py (semantics S0). Every case
is also run through the literal float64 transcription of the PyTorch modules, and for ShiftGELU
through an int64-saturating variant; all paths must agree, except on the one case built to show
where binary64 cannot (`requant_ln_f64_trap`). vectors/ivit/README.md is regenerated too.

    python3 tools/ivit_ref/make_cases.py            # (re)write vectors/ivit
    python3 tools/ivit_ref/make_cases.py --out DIR  # write elsewhere (e.g. to diff)

Standard library only; deterministic (random.Random(seed) per case).
"""

import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ivit_ref as R  # noqa: E402
from case_writer import CASES, DIVERGENCES, GENERATOR, INLINE_MAX, REPORT  # noqa: E402
# The case definitions register themselves in this order (the README lists them so).
import cases_requant  # noqa: E402,F401
import cases_rows  # noqa: E402,F401
import cases_gemm  # noqa: E402,F401


# ------------------------------------------------------------------------------------------

README_HEAD = """# I-ViT op test vectors (independent Python reference)

These `intvit-vector-v1` cases were written by `tools/ivit_ref/make_cases.py`, a pure-Python
(standard library only) re-implementation of I-ViT's integer modules in `tools/ivit_ref/ivit_ref.py`.
It was written from `ARITHMETIC.md` and I-ViT's / HAWQ's Python source, independently of the C++
golden model, so that `intvit op check vectors/ivit/<case>` is a cross-check between two
implementations.

The expected outputs are the **exact-integer semantics S0**. Each case was also run through a
line-by-line float64 transcription of the PyTorch module (`f64=True` paths in `ivit_ref.py`), and
ShiftGELU also through an int64-saturating variant. All of them agree on every case except the one
case built to make them differ (see below).

## Regenerate and check

```
python3 tools/ivit_ref/ivit_ref.py --selftest        # hand-derived values, Fraction cross-checks
python3 tools/ivit_ref/make_cases.py                 # rewrite vectors/ivit (deterministic)
python3 tools/ivit_ref/ivit_ref.py --verify vectors/ivit   # re-read manifests + hex, recompute
```

Generation takes a few seconds. Each case uses `random.Random(meta.seed)`. Outputs with more
than %(inline)d values are in `y.hex`, one value per line, lowercase two's complement of the
dtype width, without `0x`. All other tensors are inline and flat row-major.

## Conventions used

- `requant`: `y = clamp(round(x*m / 2^e) [+ round(res*m_res / 2^e_res)])`. Each branch is rounded
  on its own; `e <= 0` is a left shift `x*m << -e`. `m`, `e` (and `m_res`, `e_res`) are scalars or
  lists over the last axis. Realistic (m, e) come from `batch_frexp(double(s_in_f32) /
  double(s_out_f32))`.
- `shiftmax`: `x0 = floor(RN32(-1/s))` derived in float32 (s = 0.01f gives -100). The sum is
  clamped at `div`, and `div` is also the dividend. The output is `(e*f) >> (32 - out_bits)`.
- `shiftgelu`: `x0 = floor(RN32(-1/RN32(s*RN32(1.702))))`. e^-xmax is computed exactly (Python
  ints); an int64 implementation may saturate it at `div`, with the same result.
- `layernorm`: the mean is rounded half to even, then 10 Newton steps from 65536, `f = div // k`,
  `y = ((x-mean)*f >> 1) + bias_int`. The output is int64. `bias_int` was computed as I-LayerNorm
  does it, in float32 (`floor(RN32(RN32(beta/gamma) / RN32(sqrt(C)/2^30)))`).
- `conv_patch`: stride = kernel = P, no padding, output `[GH*GW, Cout]` with `p = py*GW + px`.

## Cases

| case | op | tensors | what it covers |
|---|---|---|---|
"""

README_TAIL = """
## Float64 module versus exact integers (finding)

I checked every operation for places where running I-ViT's PyTorch modules on float64 tensors
(what ARITHMETIC.md calls S0) could differ from exact integer arithmetic.

- **Shiftmax, ShiftGELU, I-LayerNorm, Linear, MatMul, Conv.** The two never differ for inputs
  in the documented ranges. Every value the float64 code forms is an integer or half-integer
  below 2^53, or a power-of-two multiple of one. ShiftGELU's e^-xmax can reach 2^207, but it is
  a small integer times a power of two, and it is then clamped. So the sums, products and
  `/ 2**k` steps are exact.
  - The divisions `floor(a / b)` that follow (`(2**31-1)/sum`, `(2**31-1)/k`, `var/k`,
    `x/x0`, `sum/C`) also equal exact floor division, or exact round-half-even for the
    LayerNorm mean. The reason: when a/b is not an integer, it is at least 1/b away from one.
    The binary64 rounding error is at most (a/b)·2^-53, which is smaller than 1/b whenever
    a < 2^53.
- **fixedpoint_mul (requant) can differ.** PyTorch computes `torch.round(z.double() *
  m.double() / 2.0**e)`. The product z·m is rounded to binary64 before the division by 2^e.
  Once |z·m| > 2^53 that loses up to log2|z·m| - 53 bits.
  - If the exact z·m lies within half a binary64 ulp of a rounding tie (k + 1/2)·2^e, the
    product rounds onto the tie. Round-half-even then picks the even neighbour, while the exact
    value rounds to the other neighbour. The two answers differ by 1.
  - This region is realistic. In I-LayerNorm → QuantAct(8), the input z is about 2^26–2^29,
    m about 2^30–2^31 and e about 50–55, so z·m is routinely 2^56–2^59. The ulp there is 2^4–2^6,
    so the chance per element is about 2^-46. Random data never hits it.
  - `requant_ln_f64_trap` hits it on purpose. Its row 0 holds (z, m, e) triples that I built by
    factoring z·m = (2K+1)·2^(e-1) ± d. On every value in that row the float64 transcription
    differs by 1 from S0
    (%(trap)s). The expected output in the case is the exact S0 value.
  - When it can happen: a single-branch requant whose result is not saturated has
    |z·m| < 2^(e+b-1), where b = out_bits. So binary64 is exact whenever e <= 54 - b.
    Saturated results clamp to the same value either way, because rounding is monotonic. The
    hazard therefore needs e >= 47 for int8 outputs, or e >= 39 for int16 outputs.
    - Linear/MatMul → int8 (e ≈ 40–46), GELU → int8 (e ≈ 37), the 16-bit residual (e ≈ 30–31,
      int16 inputs) and patch-embed → int16 (e ≈ 34–36) are all safe.
    - I-LayerNorm → int8 (e ≈ 50–55) is the exposed one.
  - TVM's UPWARD rounding is computed in int64, so this hazard does not apply to it.
- **x0 derivation (not a float64-versus-integer issue, but related).** A float64 run derives
  x0 from the float32 scale as -101 for s = 0.01f. float32 gives -100. These cases carry x0 as
  an integer parameter, taken from the float32 derivation the code performs.

## Edges that cannot be reached (recorded, not generated)

- **m = 2^31 from real scales.** batch_frexp gives m = 2^31 only when the ratio lies within
  2^-32 (relative) of a power of two without being equal to it. A ratio of two float32 scales
  is either exactly a power of two or at least about 2^-24 away from one. So `m = 2^31` appears
  only in hand-made cases such as `requant_m2p31_extremes`.
- **LayerNorm with var > 2^44 (the unconverged Newton region at the top).** With int16
  inputs and C <= 768 the variance is at most about C·2^30 = 2^39.6, and there the 10-step Newton
  has converged. The reachable unconverged region is var < 2^18: small-variance rows, shown in
  `layernorm_c192_edges`. The selftest checks non-convergence at var = 2^50 directly.
"""


def write_readme(out_root):
    rows = "".join("| `%s` | %s | %s | %s |\n" % r for r in REPORT)
    trap = "; ".join("%s: %d of %d outputs" % d for d in DIVERGENCES)
    with open(os.path.join(out_root, "README.md"), "w") as fh:
        fh.write(README_HEAD % {"inline": INLINE_MAX} + rows + README_TAIL % {"trap": trap})


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    out_root = os.path.normpath(os.path.join(here, "..", "..", "vectors", "ivit"))
    if len(argv) >= 3 and argv[1] == "--out":
        out_root = argv[2]
    os.makedirs(out_root, exist_ok=True)
    names = {n for n, _ in CASES}
    assert len(names) == len(CASES), "duplicate case names"
    for entry in os.listdir(out_root):          # drop cases this script no longer makes
        p = os.path.join(out_root, entry)
        if os.path.isdir(p) and entry not in names and \
                os.path.exists(os.path.join(p, "manifest.json")):
            with open(os.path.join(p, "manifest.json")) as fh:
                if GENERATOR in fh.read():
                    shutil.rmtree(p)
    for name, fn in CASES:
        fn(out_root)
    write_readme(out_root)
    ok = R.verify_dir(out_root)
    print("wrote %d cases to %s; float64 divergences: %s" % (len(CASES), out_root, DIVERGENCES))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
