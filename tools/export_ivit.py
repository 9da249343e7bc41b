#!/usr/bin/env python3
"""Converts an I-ViT checkpoint (the state_dict its QAT saves) into an intvit model file.

usage: export_ivit.py CKPT.pth -o M.safetensors [--heads N]

The result reproduces I-ViT's integer algorithm as its own code computes it: every constant is
taken from the checkpoint or derived in the same float32/float64 steps I-ViT takes
(docs/models.md, docs/model-format.md "Graph metadata"):
  - integer weights and biases: `*.weight_integer`, `*.bias_integer` as stored;
  - LayerNorm bias_int: `*.bias_integer` as stored (I-ViT computed it in float32);
  - requantization multipliers: HAWQ's batch_frexp of double(s_in) / double(s_out), where a
    Linear's or the conv's s_in is the float32 product fc_scaling_factor[c] * s_x;
  - x0 of Shiftmax floorf(-1/s) and of ShiftGELU floorf(-1/RN32(s * 1.702f)), in float32;
  - cls token round_half_even(f32(cls / s_pe)), pos_embed as I-ViT's qact_pos quantizes it.
Depth, embedding width, MLP width, patch size, image size and classes come from the tensors'
shapes; the head count from --heads (default embed_dim / 64, I-ViT's DeiT and ViT shapes).

Reads the .pth without torch (tools/pth_reader.py); needs only numpy. A checkpoint that is not
an I-ViT state_dict is one line `error: ...` naming the missing key, exit 2.
"""
import argparse
import hashlib
import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pth_reader  # noqa: E402

F32 = np.float32
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], F32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], F32)


class ExportError(Exception):
    pass


class StateDict:
    """The checkpoint's tensors; a missing or misshapen key is an ExportError naming it."""

    def __init__(self, sd, path):
        self.sd, self.path = sd, path

    def __call__(self, key, shape=None):
        if key not in self.sd:
            raise ExportError(f"{self.path}: missing key '{key}': not an I-ViT state_dict")
        v = np.asarray(self.sd[key])
        if v.dtype != np.float32:
            raise ExportError(f"{self.path}: '{key}' is {v.dtype}, I-ViT saves float32")
        if shape is not None and tuple(v.shape) != tuple(shape):
            raise ExportError(f"{self.path}: '{key}' has shape {list(v.shape)}, expected "
                              f"{list(shape)}")
        return v

    def scale(self, key):  # a scalar scale, stored 0-d or [1]
        v = self(key)
        if v.size != 1:
            raise ExportError(f"{self.path}: '{key}' has shape {list(v.shape)}, expected a scalar")
        return F32(v.reshape(-1)[0])

    def integers(self, key, shape, lo, hi):
        v = self(key, shape)
        if not np.all(np.isfinite(v)) or np.any(v != np.round(v)):
            raise ExportError(f"{self.path}: '{key}' holds non-integer values")
        if v.size and (v.min() < lo or v.max() > hi):
            raise ExportError(f"{self.path}: '{key}' has values outside [{lo}, {hi}]")
        return v.astype(np.int64)


def unwrap(obj, path):
    """The state_dict itself, or the one a training checkpoint holds under model/state_dict."""
    for key in ("model", "state_dict", "model_state_dict"):
        if isinstance(obj, dict) and "cls_token" not in obj and isinstance(obj.get(key), dict):
            obj = obj[key]
    if not isinstance(obj, dict):
        raise ExportError(f"{path}: holds a {type(obj).__name__}, not a state_dict")
    if obj and all(k.startswith("module.") for k in obj):  # saved from DataParallel
        obj = {k[len("module."):]: v for k, v in obj.items()}
    return obj


def dyadic(s_in, s_out):
    """HAWQ's batch_frexp of double(s_in) / double(s_out): m = round_half_away(mant * 2^31),
    e = 31 - exponent. s_in, s_out: float32 (arrays broadcast)."""
    ratio = np.asarray(s_in, np.float64).reshape(-1) / np.float64(s_out)
    mant, ex = np.frexp(ratio)
    x = mant * 2.0**31  # exact in double
    m = np.sign(x) * np.floor(np.abs(x) + 0.5)
    return m.astype(np.int64), (31 - ex).astype(np.int32)


def shiftmax_x0(s):
    return int(np.floor(F32(-1.0) / F32(s)))  # floorf(-1.0f / s), in float32


def shiftgelu_x0(s):
    return int(np.floor(F32(-1.0) / (F32(s) * F32(1.702))))


def shapes(t, heads):
    """The model config from the tensors' shapes."""
    c = t("cls_token").shape[-1]
    w = t("patch_embed.proj.weight_integer")
    if w.ndim != 4 or w.shape[0] != c or w.shape[2] != w.shape[3]:
        raise ExportError(f"{t.path}: 'patch_embed.proj.weight_integer' has shape "
                          f"{list(w.shape)}, expected [{c}, Cin, P, P]")
    tokens = t("pos_embed").shape[1]
    side = int(round((tokens - 1) ** 0.5))
    if side * side != tokens - 1:
        raise ExportError(f"{t.path}: 'pos_embed' has {tokens} tokens, not a square grid + cls")
    depth = 0
    while f"blocks.{depth}.norm1.bias_integer" in t.sd:
        depth += 1
    if depth == 0:
        t("blocks.0.norm1.bias_integer")  # raises, naming it
    heads = heads or max(1, c // 64)
    if c % heads:
        raise ExportError(f"--heads {heads} does not divide embed_dim {c}")
    return {
        "arch": "custom", "image_size": side * w.shape[2], "patch_size": int(w.shape[2]),
        "in_channels": int(w.shape[1]), "embed_dim": int(c), "depth": depth,
        "num_heads": heads, "mlp_hidden": int(t("blocks.0.mlp.fc1.weight_integer").shape[0]),
        "num_classes": int(t("head.weight_integer").shape[0]),
        "softmax_n": 15, "softmax_out_bits": 16, "gelu_n": 23, "gelu_out_bits": 8,
        "div": 2**31 - 1, "rounding": "half_even", "ln_sqrt_iters": 10, "ln_sqrt_init": 65536,
    }


class Exporter:
    def __init__(self, t, cfg):
        self.t, self.cfg = t, cfg
        self.tensors, self.ref = {}, {}
        self.params = {"requant": {}, "shiftmax": {}, "shiftgelu": {}}

    def linear(self, name, s_x, rows, cols):
        """Weights, bias and the float32 accumulator scale RN32(s_w[c] * s_x)."""
        t = self.t
        kind = "conv" if name == "patch_embed.proj" else "fc"
        w = t.integers(name + ".weight_integer", None, -128, 127)
        if w.shape[0] != rows or w.size != rows * cols:
            raise ExportError(f"{t.path}: '{name}.weight_integer' has shape {list(w.shape)}, "
                              f"expected {rows} x {cols}")
        self.tensors[name + ".weight"] = w.reshape(rows, cols).astype(np.int8)
        self.tensors[name + ".bias"] = t.integers(name + ".bias_integer", (rows,), -2**31,
                                                  2**31 - 1).astype(np.int32)
        s_w = t(f"{name}.{kind}_scaling_factor", (rows,))
        self.ref[name + ".weight_scale"] = s_w
        acc = (s_w * F32(s_x)).astype(F32)  # float32 product, as I-ViT's bias scale
        self.ref[name + ".scale"] = acc
        return acc

    def requant(self, name, s_in, bits, res_s_in=None):
        """A QuantAct: (m, e) from its input scale(s) to its act_scaling_factor. Returns s_out."""
        s_out = self.t.scale(name + ".act_scaling_factor")
        self.tensors[name + ".m"], self.tensors[name + ".e"] = dyadic(s_in, s_out)
        if res_s_in is not None:
            self.tensors[name + ".m_res"], self.tensors[name + ".e_res"] = dyadic(res_s_in, s_out)
        self.params["requant"][name] = {"out_bits": bits}
        self.ref[name + ".scale"] = np.array([s_out], F32)
        return s_out

    def layernorm(self, name, c):
        t = self.t
        self.tensors[name + ".bias_int"] = t.integers(name + ".bias_integer", (c,), -2**62, 2**62)
        for k in ("weight", "bias"):
            if name + "." + k in t.sd:
                self.ref[name + (".gamma" if k == "weight" else ".beta")] = t(name + "." + k, (c,))
        s = t(name + ".norm_scaling_factor", (c,))
        self.ref[name + ".scale"] = s
        return s

    def run(self):
        t, cfg = self.t, self.cfg
        c, h, n = cfg["embed_dim"], cfg["mlp_hidden"], cfg["num_classes"]
        p, cin = cfg["patch_size"], cfg["in_channels"]
        tokens = (cfg["image_size"] // p) ** 2 + 1
        s_in = t.scale("qact_input.act_scaling_factor")
        self.ref["input.scale"] = np.array([s_in], F32)
        self.ref["input.mean"] = np.resize(IMAGENET_MEAN, cin)
        self.ref["input.std"] = np.resize(IMAGENET_STD, cin)
        acc = self.linear("patch_embed.proj", s_in, c, cin * p * p)
        s_pe = self.requant("patch_embed.qact", acc, 16)
        cls = np.rint(t("cls_token", (1, 1, c)) / s_pe)  # float32 division, then half-even
        if np.abs(cls).max() > 32767:
            raise ExportError(f"{t.path}: cls_token / s_pe reaches {int(np.abs(cls).max())}, "
                              "beyond int16")
        self.tensors["cls_token"] = cls.reshape(1, c).astype(np.int16)
        s_pos = t.scale("qact_pos.act_scaling_factor")
        pos = np.clip(np.rint((F32(1.0) / s_pos) * t("pos_embed", (1, tokens, c))), -32768, 32767)
        self.tensors["pos_embed"] = pos.reshape(tokens, c).astype(np.int16)
        self.ref["pos_embed.scale"] = np.array([s_pos], F32)
        s_x = self.requant("qact1", s_pe, 16, res_s_in=s_pos)
        for i in range(cfg["depth"]):
            b = f"blocks.{i}."
            s_ln = self.layernorm(b + "norm1", c)
            s_a = self.requant(b + "qact1", s_ln, 8)
            s_qkv = self.requant(b + "attn.qact1", self.linear(b + "attn.qkv", s_a, 3 * c, c), 8)
            # matmul_1's scale is s_qkv^2; I-ViT multiplies by head_dim^-0.5 before qact_attn1.
            s_mm1 = t.scale(b + "attn.matmul_1.act_scaling_factor")
            head_scale = F32((c // cfg["num_heads"]) ** -0.5)
            s_att = self.requant(b + "attn.qact_attn1", F32(s_mm1 * head_scale), 8)
            self.params["shiftmax"][b + "attn.int_softmax"] = {"x0": shiftmax_x0(s_att)}
            s_ctx = t.scale(b + "attn.matmul_2.act_scaling_factor")
            s_o = self.requant(b + "attn.qact2", s_ctx, 8)
            s_p = self.requant(b + "attn.qact3", self.linear(b + "attn.proj", s_o, c, c), 16)
            s_x2 = self.requant(b + "qact2", s_p, 16, res_s_in=s_x)
            s_m = self.requant(b + "qact3", self.layernorm(b + "norm2", c), 8)
            s_g = self.requant(b + "mlp.qact_gelu", self.linear(b + "mlp.fc1", s_m, h, c), 8)
            self.params["shiftgelu"][b + "mlp.act"] = {"x0": shiftgelu_x0(s_g)}
            s_gelu = t.scale(b + "mlp.act.act_scaling_factor")
            s_h = self.requant(b + "mlp.qact1", s_gelu, 8)
            s_f = self.requant(b + "mlp.qact2", self.linear(b + "mlp.fc2", s_h, c, h), 16)
            s_x = self.requant(b + "qact4", s_f, 16, res_s_in=s_x2)
        s_cls = self.requant("qact2", self.layernorm("norm", c), 8)
        self.linear("head", s_cls, n, c)


def safetensors_bytes(tensors, metadata):
    """intvit's canonical layout: sorted names, sorted compact JSON, header padded to 8."""
    names = {np.dtype(np.int8): "I8", np.dtype(np.int16): "I16", np.dtype(np.int32): "I32",
             np.dtype(np.int64): "I64", np.dtype(np.float32): "F32"}
    header, blobs, off = {"__metadata__": metadata}, [], 0
    for k in sorted(tensors):
        a = np.ascontiguousarray(tensors[k])
        a = a.astype(a.dtype.newbyteorder("<"), copy=False)
        raw = a.tobytes()
        header[k] = {"data_offsets": [off, off + len(raw)], "dtype": names[a.dtype],
                     "shape": list(a.shape)}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    return len(h).to_bytes(8, "little") + h + b"".join(blobs)


def export(ckpt, out, heads=None):
    try:
        sd = pth_reader.load_pth(ckpt)
    except (OSError, ValueError, KeyError, EOFError, pickle_errors()) as e:
        raise ExportError(f"{ckpt}: cannot read: {e}")
    t = StateDict(unwrap(sd, ckpt), ckpt)
    cfg = shapes(t, heads)
    ex = Exporter(t, cfg)
    ex.run()
    tensors = dict(ex.tensors)
    for k, v in ex.ref.items():
        tensors["reference." + k] = np.asarray(v, F32).reshape(-1)
    with open(ckpt, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    meta = {
        "intvit.format": "intvit-model-v1",
        "intvit.config": json.dumps(cfg, sort_keys=True),
        "intvit.params": json.dumps(ex.params, sort_keys=True),
        "intvit.provenance": json.dumps({
            "generator": "tools/export_ivit.py", "source": "I-ViT state_dict",
            "checkpoint": os.path.basename(ckpt), "checkpoint_sha256": digest,
            "num_heads": "--heads" if heads else "embed_dim / 64 (default)"}, sort_keys=True),
    }
    data = safetensors_bytes(tensors, meta)
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, out)
    return cfg, len(data)


def pickle_errors():
    import pickle
    return pickle.UnpicklingError


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("checkpoint", help="I-ViT state_dict saved with torch.save (.pth)")
    ap.add_argument("-o", "--out", required=True, help="intvit model file to write")
    ap.add_argument("--heads", type=int, default=None,
                    help="attention heads (default: embed_dim / 64, as DeiT and ViT)")
    a = ap.parse_args()
    try:
        cfg, size = export(a.checkpoint, a.out, a.heads)
    except ExportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"{a.out}: depth {cfg['depth']}, embed {cfg['embed_dim']}, heads {cfg['num_heads']}, "
          f"mlp {cfg['mlp_hidden']}, classes {cfg['num_classes']}, image {cfg['image_size']}, "
          f"patch {cfg['patch_size']}; {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
