#!/usr/bin/env python3
"""Makes and verifies the committed intvit-vector-v1 example cases (vectors/examples/).

  make_example_vectors.py generate --intvit build/intvit [--out vectors/examples]
      Draws each example's inputs from a seeded random.Random, writes an input-only case, lets
      `intvit op run` fill in the outputs, then checks them against this file's own integer
      implementation (and, for the hand-derived cases, against the values written below).
      Also writes vectors/mismatch/linear_off_by_one/ (a deliberately wrong case).
  make_example_vectors.py verify [DIR ...]
      Recomputes the outputs of every case under DIR (default vectors/examples) with this
      file's implementation and compares them with the committed ones. Exit 0 when all match.

The implementation below is independent of the C++ golden model: it is written from
shared/design/ARITHMETIC.md (S0 semantics) with Python's exact integers, `//` (floor
division) and `>>` (floor shift), and shares no code with model/. Pure Python, no numpy.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

DIV = 2**31 - 1
DTYPE_BITS = {"int8": 8, "uint8": 8, "int16": 16, "uint16": 16, "int32": 32, "int64": 64}
INDEPENDENT = ("independently re-derived by tools/make_example_vectors.py, a pure-Python "
               "implementation of ARITHMETIC.md (S0) sharing no code with model/, and verified "
               "equal; ctest cli.example_vectors_test re-verifies the committed files")


# ---------------------------------------------------------------- the reference arithmetic

def clamp_bits(v, bits):
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return max(lo, min(hi, v))


def round_shift(p, e, rounding):
    """round(p / 2^e); e <= 0 is a left shift."""
    if e <= 0:
        return p << -e
    half = 1 << (e - 1)
    if rounding == "half_up":
        return (p + half) >> e
    q = p >> e
    rem = p - (q << e)
    return q + (1 if rem > half or (rem == half and q % 2 == 1) else 0)


def per_channel(v, c):
    return v[c if len(v) > 1 else 0] if isinstance(v, list) else v


def ref_requant(p, ins):
    x, shape = ins["x"]
    cols = shape[-1]
    res = ins.get("res")
    y = []
    for i, xv in enumerate(x):
        c = i % cols
        v = round_shift(xv * per_channel(p["m"], c), per_channel(p["e"], c), p["rounding"])
        if res is not None:
            v += round_shift(res[0][i] * per_channel(p["m_res"], c), per_channel(p["e_res"], c),
                             p["rounding"])
        y.append(clamp_bits(v, p["out_bits"]))
    return y


def shift_exp_exact(t, x0, n):
    """I-ViT's int_exp_shift on exact integers (ARITHMETIC.md section 5):
    floor((r/2 - x0) * 2^(n-q)) with r/2 exact, i.e. floor((r - 2*x0) * 2^(n-q) / 2). For t > 0
    (ShiftGELU's e^(-max) of an all-negative row) n - q exceeds n and the value is huge; Python
    keeps it exact, and only min(e1 + e2, DIV) uses it."""
    t = t + t // 2 - t // 16
    t = max(t, n * x0)
    q = t // x0
    r = t - x0 * q
    return ((r - 2 * x0) * 2**(n - q)) // 2


def rows(values, cols):
    return [values[i:i + cols] for i in range(0, len(values), cols)]


def ref_shiftmax(p, ins):
    x, shape = ins["x"]
    y = []
    for row in rows(x, shape[-1]):
        xm = max(row)
        e = [shift_exp_exact(v - xm, p["x0"], p["n"]) for v in row]
        s = min(sum(e), p["div"])
        f = p["div"] // s
        y += [(ej * f) // 2**(32 - p["out_bits"]) for ej in e]
    return y


def ref_shiftgelu(p, ins):
    x, shape = ins["x"]
    y = []
    for row in rows(x, shape[-1]):
        xm = max(row)
        e2 = shift_exp_exact(-xm, p["x0"], p["n"])  # exact, however large (all-negative rows)
        for v in row:
            e1 = shift_exp_exact(v - xm, p["x0"], p["n"])
            f = p["div"] // min(e1 + e2, p["div"])
            y.append(v * ((e1 * f) // 2**(32 - p["out_bits"])))
    return y


def ref_layernorm(p, ins):
    x, shape = ins["x"]
    cols = shape[-1]
    y = []
    for row in rows(x, cols):
        q, rem = divmod(sum(row), cols)  # mean = round half to even of sum / C
        mean = q + (1 if 2 * rem > cols or (2 * rem == cols and q % 2 == 1) else 0)
        d = [v - mean for v in row]
        var = sum(v * v for v in d)
        k = p["sqrt_init"]
        for _ in range(p["sqrt_iters"]):
            k = (k + var // k) // 2
        f = p["div"] // k
        y += [(dv * f) // 2 + p["bias_int"][c] for c, dv in enumerate(d)]
    return y


def ref_linear(p, ins):
    (x, xs), (w, ws) = ins["x"], ins["w"]
    b = ins["b"][0] if "b" in ins else [0] * ws[0]
    t, k, n = xs[0], xs[1], ws[0]
    return [clamp_bits(b[j] + sum(x[i * k + q] * w[j * k + q] for q in range(k)), 32)
            for i in range(t) for j in range(n)]


def ref_matmul(p, ins):
    (a, ash), (b, bsh) = ins["a"], ins["b"]
    m, k, n = ash[-2], ash[-1], bsh[-1]
    batch = len(a) // (m * k)
    y = []
    for z in range(batch):
        ab, bb = a[z * m * k:(z + 1) * m * k], b[z * k * n:(z + 1) * k * n]
        y += [clamp_bits(sum(ab[i * k + q] * bb[q * n + j] for q in range(k)), 32)
              for i in range(m) for j in range(n)]
    return y


def ref_conv_patch(p, ins):
    (x, xs), (w, ws) = ins["x"], ins["w"]
    cin, h, wd = xs
    cout, pp = ws[0], ws[2]
    b = ins["b"][0] if "b" in ins else [0] * cout
    y = []
    for py in range(h // pp):
        for px in range(wd // pp):
            for o in range(cout):
                acc = b[o]
                for c in range(cin):
                    for i in range(pp):
                        for j in range(pp):
                            acc += (x[(c * h + py * pp + i) * wd + px * pp + j] *
                                    w[((o * cin + c) * pp + i) * pp + j])
                y.append(clamp_bits(acc, 32))
    return y


REFERENCE = {"requant": ref_requant, "shiftmax": ref_shiftmax, "shiftgelu": ref_shiftgelu,
             "layernorm": ref_layernorm, "linear": ref_linear, "matmul": ref_matmul,
             "conv_patch": ref_conv_patch}


# ---------------------------------------------------------------- reading cases

def parse_hex(line, dtype):
    bits = DTYPE_BITS[dtype]
    v = int(line, 16)
    if not dtype.startswith("u") and v >= 1 << (bits - 1):
        v -= 1 << bits
    return v


def read_tensor(case_dir, t):
    if "data" in t:
        return list(t["data"])
    with open(os.path.join(case_dir, t["file"])) as f:
        return [parse_hex(line.strip(), t["dtype"]) for line in f if line.strip()]


def verify_case(case_dir):
    """Returns a list of problems (empty when the committed outputs match the reference)."""
    with open(os.path.join(case_dir, "manifest.json")) as f:
        m = json.load(f)
    ins = {k: (read_tensor(case_dir, t), t["shape"]) for k, t in m["inputs"].items()}
    want = REFERENCE[m["op"]](m["params"], ins)
    got = read_tensor(case_dir, m["outputs"]["y"])
    if len(want) != len(got):
        return [f"{case_dir}: y has {len(got)} values, the reference {len(want)}"]
    bad = [i for i, (a, b) in enumerate(zip(want, got)) if a != b]
    if bad:
        i = bad[0]
        return [f"{case_dir}: {len(bad)} of {len(got)} differ; first flat index {i}: committed "
                f"{got[i]}, reference {want[i]}"]
    return []


# ---------------------------------------------------------------- the examples

def tensor(dtype, shape, data):
    return {"dtype": dtype, "shape": shape, "data": data}


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


def gauss_ints(rnd, n, sigma, lo, hi, mu=0.0):
    return [clamp(round(rnd.gauss(mu, sigma)), lo, hi) for _ in range(n)]


def ex_shiftmax_deit_tiny(rnd):
    # Three attention rows of DeiT-Tiny (197 keys). x0 = -47 is floor(-1/s) for s ~ 0.0213.
    x = gauss_ints(rnd, 197, 25, -128, 127, -20)
    x += gauss_ints(rnd, 197, 60, -128, 127)          # wide: many clamps at n * x0
    x += [-128] * 190 + [127, 126, 0, -1, -128, 100, 127]  # two maxima, saturated tail
    return ("shiftmax", {"x0": -47}, {"x": tensor("int8", [3, 197], x)},
            "DeiT-Tiny-like attention rows (3 x 197 keys), x0 = -47")


def ex_shiftmax_b8_div2p31(rnd):
    x = gauss_ints(rnd, 16, 20, -128, 127)
    x += [5] * 16                                      # all equal
    x += [127] + [-128] * 15                           # one key takes everything
    x += gauss_ints(rnd, 16, 3, -128, 127)
    return ("shiftmax", {"x0": -13, "n": 15, "out_bits": 8, "div": 2147483648},
            {"x": tensor("int8", [4, 16], x)},
            "8-bit softmax output with DIV = 2^31 (the float32-QAT constant)")


def ex_requant_residual(rnd):
    # qact2 of a block: a proj accumulator (int32, per-channel scale) plus the int16 residual.
    x = gauss_ints(rnd, 64, 2**18, -2**31, 2**31 - 1)
    res = gauss_ints(rnd, 64, 6000, -32768, 32767)
    m = [rnd.randrange(2**30, 2**31) for _ in range(16)]
    e = [rnd.randrange(40, 46) for _ in range(16)]
    return ("requant", {"m": m, "e": e, "m_res": rnd.randrange(2**30, 2**31), "e_res": 31,
                        "out_bits": 16, "rounding": "half_even"},
            {"x": tensor("int32", [4, 16], x), "res": tensor("int16", [4, 16], res)},
            "per-channel requant of an int32 accumulator plus an int16 residual branch")


def ex_requant_ln_to_int8(rnd):
    # LayerNorm output (int64, ~2^30) to int8 with per-channel m, some negative (gamma < 0).
    x = gauss_ints(rnd, 64, 2**29, -2**40, 2**40)
    x[0], x[1] = 2**40, -2**40
    m = [rnd.choice([1, -1]) * rnd.randrange(2**30, 2**31 + 1) for _ in range(32)]
    m[0] = 2**31                                       # the batch_frexp edge case
    e = [rnd.randrange(50, 55) for _ in range(32)]
    return ("requant", {"m": m, "e": e, "out_bits": 8, "rounding": "half_even"},
            {"x": tensor("int64", [2, 32], x)},
            "LayerNorm output to int8, per-channel m with negative entries and m = 2^31")


TIES_X = [-5, -3, -1, 0, 1, 3, 5, 7, 253, 254, 255, 256, -255, -256, -257, -258]
TIES_HALF_EVEN = [-2, -2, 0, 0, 0, 2, 2, 4, 126, 127, 127, 127, -128, -128, -128, -128]
TIES_HALF_UP = [-2, -1, 0, 0, 1, 2, 3, 4, 127, 127, 127, 127, -127, -128, -128, -128]
TIES_DERIVATION = [
    "m = 2^30, e = 31, so y = clamp(round(x / 2), -128, 127); every odd x is an exact tie.",
    "half_even: -2.5 -> -2, -1.5 -> -2, -0.5 -> 0, 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4, "
    "126.5 -> 126, 127.5 -> 128 -> 127, -127.5 -> -128, -128.5 -> -128, -129 -> -128.",
    "half_up (ties toward +inf): -2.5 -> -2, -1.5 -> -1, -0.5 -> 0, 0.5 -> 1, 1.5 -> 2, "
    "2.5 -> 3, 3.5 -> 4, 126.5 -> 127, 127.5 -> 128 -> 127, -127.5 -> -127, -128.5 -> -128, "
    "-129 -> -128."]


def ex_requant_ties(rounding):
    def make(_rnd):
        return ("requant", {"m": 2**30, "e": 31, "out_bits": 8, "rounding": rounding},
                {"x": tensor("int16", [2, 8], TIES_X)},
                "ties: x / 2 on odd x, rounded " + rounding)
    return make


SHIFTMAX_HAND_Y = [12420, 11178, 8073, 1086]
SHIFTMAX_HAND_DERIVATION = [
    "x0 = -10, n = 15, out_bits 16, DIV = 2^31 - 1; x = [5, 3, 0, -20], max 5, t = x - 5 = "
    "[0, -2, -5, -25].",
    "t' = t + floor(t/2) - floor(t/16) = [0, -2-1+1, -5-3+1, -25-13+2] = [0, -2, -7, -36]; all "
    "above n*x0 = -150.",
    "q = floor(t'/x0) = [0, 0, 0, 3]; r = t' - x0*q = [0, -2, -7, -6].",
    "e = floor((r - 2*x0) * 2^(n-q) / 2) = [20*2^14, 18*2^14, 13*2^14, 14*2^11] = "
    "[327680, 294912, 212992, 28672]; sum 864256.",
    "f = floor(2147483647 / 864256) = 2484 (864256*2484 = 2146811904).",
    "y = floor(e * 2484 / 2^16) = [5*2484, 4.5*2484, 3.25*2484, floor(0.4375*2484)] = "
    "[12420, 11178, 8073, 1086]."]


def ex_shiftmax_hand(_rnd):
    return ("shiftmax", {"x0": -10}, {"x": tensor("int8", [1, 4], [5, 3, 0, -20])},
            "a 4-key row small enough to derive by hand")


def ex_layernorm_deit_tiny(rnd):
    c = 192
    x = gauss_ints(rnd, c, 2000, -32768, 32767, 300)
    x += gauss_ints(rnd, c, 12000, -32768, 32767)      # large variance, clamps at int16
    x += [1234] * c                                     # var = 0: Newton gives 64, y = bias
    x += [rnd.choice([-1, 0, 1]) for _ in range(c)]    # var < 2^16: Newton not converged
    bias = [round(rnd.gauss(0, 2**27)) for _ in range(c)]
    return ("layernorm", {"bias_int": bias}, {"x": tensor("int16", [4, c], x)},
            "DeiT-Tiny LayerNorm rows (C = 192): typical, wide, constant, tiny variance")


def ex_shiftgelu(rnd):
    # x0 = floor(-1 / (s * 1.702)) = -12 for s = 0.05.
    x = gauss_ints(rnd, 64, 40, -128, 127)
    x += [-abs(v) - 1 for v in gauss_ints(rnd, 64, 30, -127, 127)]  # all negative
    x += [127, -128] + gauss_ints(rnd, 62, 80, -128, 127)
    x += [0] * 63 + [1]
    return ("shiftgelu", {"x0": -12}, {"x": tensor("int8", [4, 64], x)},
            "MLP GELU rows (64 features) including an all-negative row")


def ex_linear(rnd):
    x = gauss_ints(rnd, 5 * 32, 40, -128, 127)
    w = gauss_ints(rnd, 24 * 32, 50, -128, 127)
    w[0:32] = [-128] * 32
    x[0:32] = [-128] * 32                               # the largest product sum, 32 * 2^14
    b = [rnd.randrange(-2**14, 2**14) for _ in range(24)]
    return ("linear", {}, {"x": tensor("int8", [5, 32], x), "w": tensor("int8", [24, 32], w),
                           "b": tensor("int32", [24], b)},
            "a QuantLinear tile: 5 tokens, K = 32, N = 24, int32 bias")


def ex_matmul_attn_v(rnd):
    # attn . v: 3 heads, 8 queries, 16 keys; rows of a are Shiftmax outputs (sum <= 32767).
    a = []
    for _ in range(3 * 8):
        w = [rnd.random() ** 3 for _ in range(16)]
        total = sum(w)
        a += [int(32767 * v / total) for v in w]
    a[0:16] = [32767] + [0] * 15
    b = gauss_ints(rnd, 3 * 16 * 8, 50, -128, 127)
    return ("matmul", {}, {"a": tensor("uint16", [3, 8, 16], a),
                           "b": tensor("int8", [3, 16, 8], b)},
            "attn . v: uint16 softmax rows times int8 values, 3 heads")


def ex_matmul_qk(rnd):
    a = gauss_ints(rnd, 3 * 6 * 16, 45, -128, 127)
    b = gauss_ints(rnd, 3 * 16 * 6, 45, -128, 127)
    return ("matmul", {}, {"a": tensor("int8", [3, 6, 16], a), "b": tensor("int8", [3, 16, 6], b)},
            "q . k^T: int8 x int8, 3 heads, 6 tokens, head_dim 16")


def ex_conv_patch(rnd):
    x = gauss_ints(rnd, 3 * 8 * 12, 50, -128, 127)
    w = gauss_ints(rnd, 6 * 3 * 4 * 4, 40, -128, 127)
    b = [rnd.randrange(-5000, 5000) for _ in range(6)]
    return ("conv_patch", {"patch": 4}, {"x": tensor("int8", [3, 8, 12], x),
                                         "w": tensor("int8", [6, 3, 4, 4], w),
                                         "b": tensor("int32", [6], b)},
            "patch embedding of a 3 x 8 x 12 image, 4 x 4 patches, 6 channels")


# name -> (seed, builder, hand-derived y and its derivation or None)
EXAMPLES = {
    "shiftmax_deit_tiny": (7, ex_shiftmax_deit_tiny, None),
    "shiftmax_b8_div2p31": (8, ex_shiftmax_b8_div2p31, None),
    "shiftmax_hand": (0, ex_shiftmax_hand, (SHIFTMAX_HAND_Y, SHIFTMAX_HAND_DERIVATION)),
    "requant_residual": (11, ex_requant_residual, None),
    "requant_ln_to_int8": (12, ex_requant_ln_to_int8, None),
    "requant_ties_half_even": (0, ex_requant_ties("half_even"),
                               (TIES_HALF_EVEN, TIES_DERIVATION)),
    "requant_ties_half_up": (0, ex_requant_ties("half_up"), (TIES_HALF_UP, TIES_DERIVATION)),
    "layernorm_deit_tiny": (21, ex_layernorm_deit_tiny, None),
    "shiftgelu_rows": (31, ex_shiftgelu, None),
    "linear_tile": (41, ex_linear, None),
    "matmul_attn_v": (51, ex_matmul_attn_v, None),
    "matmul_qk": (52, ex_matmul_qk, None),
    "conv_patch_small": (61, ex_conv_patch, None),
}


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return r.stdout


def generate(intvit, out_root):
    with tempfile.TemporaryDirectory() as tmp:
        for name, (seed, build, hand) in EXAMPLES.items():
            op, params, inputs, what = build(random.Random(seed))
            meta = {"seed": seed, "script": "tools/make_example_vectors.py",
                    "source": "synthetic: " + what + "; inputs drawn by "
                              "tools/make_example_vectors.py from random.Random(seed); outputs "
                              "computed by `intvit op run` (golden) and " + INDEPENDENT}
            case = {"format": "intvit-vector-v1", "op": op, "params": params, "inputs": inputs}
            if hand is not None:
                y, derivation = hand
                shape = inputs["x"]["shape"]
                dtype = "uint16" if op == "shiftmax" else "int8"
                case["outputs"] = {"y": tensor(dtype, shape, y)}
                meta["source"] = ("hand-derived: " + what + "; the expected y was derived by hand "
                                  "(meta.derivation), written by tools/make_example_vectors.py, "
                                  "checked with `intvit op check`, and " + INDEPENDENT)
                meta["derivation"] = derivation
            case["meta"] = meta
            src = os.path.join(tmp, name)
            os.makedirs(src)
            with open(os.path.join(src, "manifest.json"), "w") as f:
                json.dump(case, f)
            if hand is not None:
                run([intvit, "op", "check", src])  # the hand values against the golden model
            dst = os.path.join(out_root, name)
            shutil.rmtree(dst, ignore_errors=True)
            run([intvit, "op", "run", src, "-o", dst])
            problems = verify_case(dst)
            if hand is not None:
                with open(os.path.join(dst, "manifest.json")) as f:
                    if json.load(f)["outputs"]["y"]["data"] != hand[0]:
                        problems.append(f"{dst}: op run differs from the hand-derived y")
            if problems:
                sys.exit("\n".join(problems))
            print(f"wrote {dst}")
    make_mismatch(intvit, out_root)


def make_mismatch(intvit, out_root):
    """vectors/mismatch/linear_off_by_one: linear_tile with two expected values altered."""
    src = os.path.join(out_root, "linear_tile")
    dst = os.path.join(os.path.dirname(os.path.abspath(out_root)), "mismatch", "linear_off_by_one")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    with open(os.path.join(dst, "manifest.json")) as f:
        m = json.load(f)
    m["meta"]["source"] = ("deliberately wrong: vectors/examples/linear_tile with y[1, 2] "
                           "increased by 1 and y[3, 5] decreased by 3; `intvit op check` must "
                           "exit 1 and name [1, 2] first")
    text = json.dumps(m, indent=2)
    # Keep lists of numbers on one line, as intvit writes them.
    text = re.sub(r"\[\s+([-0-9,\s]*?)\s+\]",
                  lambda g: "[" + ", ".join(v.strip() for v in g.group(1).split(",")) + "]", text)
    with open(os.path.join(dst, "manifest.json"), "w") as f:
        f.write(text + "\n")
    y_path = os.path.join(dst, m["outputs"]["y"]["file"])
    with open(y_path) as f:
        y = [parse_hex(line.strip(), "int32") for line in f if line.strip()]
    n = m["outputs"]["y"]["shape"][1]
    good = y[1 * n + 2]
    y[1 * n + 2] += 1
    y[3 * n + 5] -= 3
    with open(y_path, "w") as f:
        f.writelines(f"{v & 0xffffffff:08x}\n" for v in y)
    with open(os.path.join(dst, "expect.txt"), "w") as f:
        f.write(f"first at [1, 2]: expected {good + 1}, actual {good}; max |diff| 3\n")
    print(f"wrote {dst}")


def verify(dirs):
    problems, count = [], 0
    for root in dirs:
        for name in sorted(os.listdir(root)):
            case_dir = os.path.join(root, name)
            if os.path.isfile(os.path.join(case_dir, "manifest.json")):
                problems += verify_case(case_dir)
                count += 1
    for p in problems:
        print(p)
    print(f"{count - len(problems)} of {count} cases match the Python reference")
    return 1 if problems or count == 0 else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--intvit", required=True)
    g.add_argument("--out", default="vectors/examples")
    v = sub.add_parser("verify")
    v.add_argument("dirs", nargs="*", default=["vectors/examples"])
    args = ap.parse_args()
    if args.cmd == "generate":
        generate(os.path.abspath(args.intvit), args.out)
        return 0
    return verify(args.dirs)


if __name__ == "__main__":
    sys.exit(main())
