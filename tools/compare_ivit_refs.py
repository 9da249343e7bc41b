#!/usr/bin/env python3
"""Checks intvit's integer outputs against an I-ViT reference (shared/ivit-ref), bit for bit.

usage: compare_ivit_refs.py REF_DIR MODEL.safetensors RUN0 [RUN1 ...]

REF_DIR holds refs.npz and refs.json (I-ViT's float64 run: exact integers). MODEL is the file
tools/export_ivit.py wrote. RUNk is the folder of `intvit run --image imgk.ppm --preprocess none
--save-tensors RUNk/tensors --save-logits RUNk/logits.npy` for image k.

Compared, all with exact equality:
  - every module of refs.npz (image 0) against the intvit node(s) it maps to (docs/models.md);
  - every module's digest in refs.json (sha256 of the int64 tensor, every image), where intvit
    computes the whole tensor (not `norm`: intvit normalizes only the cls row; row 0 is compared);
  - the requantization multipliers requant/<name>/{m,e,m_identity,e_identity} and the x0 values
    against the model file;
  - logits_int (every image) against RUNk/logits.npy.
Prints the first mismatch (module, index, both values) and exits 1 on any difference; 0 when all
match. Also reports the agreement with I-ViT's float32 run (logits_f32run), which is not expected
to be exact.
"""
import hashlib
import json
import os
import sys

import numpy as np

DT = {"I8": "<i1", "I16": "<i2", "I32": "<i4", "I64": "<i8", "F32": "<f4", "U8": "u1",
      "U16": "<u2"}


def read_safetensors(path):
    with open(path, "rb") as f:
        b = f.read()
    n = int.from_bytes(b[:8], "little")
    h = json.loads(b[8:8 + n])
    data = b[8 + n:]
    meta = h.pop("__metadata__", {})
    t = {}
    for k, e in h.items():
        a, z = e["data_offsets"]
        t[k] = np.frombuffer(data[a:z], DT[e["dtype"]]).reshape(e["shape"])
    return t, meta


class Run:
    """One image's intvit outputs, shaped as I-ViT shapes its modules (batch 1)."""

    def __init__(self, folder, cfg, model):
        self.dir, self.cfg, self.model = os.path.join(folder, "tensors"), cfg, model
        self.logits = np.load(os.path.join(folder, "logits.npy"))

    def node(self, name):
        return np.load(os.path.join(self.dir, name + ".npy")).astype(np.int64)

    def module(self, m):
        """intvit's tensor for I-ViT module m, or None when intvit does not compute it whole."""
        c, heads = self.cfg["embed_dim"], self.cfg["num_heads"]
        g = self.cfg["image_size"] // self.cfg["patch_size"]
        if m == "qact_pos":
            return self.model["pos_embed"].astype(np.int64)[None]
        if m == "qact_input":
            return self.node("input")[None]
        if m == "patch_embed.proj":  # intvit [patches, C]; I-ViT NCHW
            return self.node(m).T.reshape(1, c, g, g)
        if m.split(".")[-1] in ("matmul_1", "qact_attn1", "int_softmax"):  # one node per head
            return np.stack([self.node(f"{m}.h{h}") for h in range(heads)])[None]
        if m.endswith("attn.matmul_2"):  # intvit [T, C] with heads side by side; I-ViT [H, T, d]
            x = self.node(m)
            return x.reshape(x.shape[0], heads, c // heads).transpose(1, 0, 2)[None]
        if m in ("qact2", "head"):  # the cls row: intvit [1, C] is I-ViT's [batch 1, C]
            return self.node(m)
        if m == "norm":
            return None  # intvit normalizes the cls row only (cls_select comes first)
        return self.node(m)[None]


def first_diff(a, b):
    idx = np.argwhere(a != b)[0]
    return tuple(int(i) for i in idx), int(a[tuple(idx)]), int(b[tuple(idx)])


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    ref_dir, model_path, runs = sys.argv[1], sys.argv[2], sys.argv[3:]
    refs = np.load(os.path.join(ref_dir, "refs.npz"))
    with open(os.path.join(ref_dir, "refs.json")) as f:
        rj = json.load(f)
    model, meta = read_safetensors(model_path)
    cfg = json.loads(meta["intvit.config"])
    params = json.loads(meta["intvit.params"])
    runs = [Run(r, cfg, model) for r in runs]
    bad, checked = [], 0

    def check(what, ours, theirs):
        nonlocal checked
        checked += 1
        ours, theirs = np.asarray(ours, np.int64), np.asarray(theirs, np.int64)
        if ours.shape != theirs.shape:
            bad.append(f"{what}: shape {list(ours.shape)} (intvit) vs {list(theirs.shape)} (I-ViT)")
        elif not np.array_equal(ours, theirs):
            idx, a, b = first_diff(ours, theirs)
            n = int(np.count_nonzero(ours != theirs))
            bad.append(f"{what}: {n} of {ours.size} differ; first at {list(idx)}: "
                       f"intvit {a}, I-ViT {b}")

    # Module outputs stored in refs.npz (image 0).
    modules = [m["module"] for m in rj["modules"]]
    for m in modules:
        if m not in refs.files:
            continue
        ours = runs[0].module(m)
        if ours is None:  # norm: row 0 only
            check(f"{m} (image 0, token 0)", runs[0].node(m)[None], refs[m][:, :1, :])
        else:
            check(f"{m} (image 0)", ours, refs[m])
    # Digests of every module, every image.
    skipped = []
    for entry in rj["modules"]:
        m = entry["module"]
        for k, run in enumerate(runs):
            ours = run.module(m)
            if ours is None:
                skipped.append(f"{m} (image {k})")
                continue
            want = entry["per_image"][k]["sha256_int64le"]
            got = hashlib.sha256(np.ascontiguousarray(ours, "<i8").tobytes()).hexdigest()
            checked += 1
            if list(ours.shape) != entry["shape_per_image"] or got != want:
                bad.append(f"{m} (image {k}): digest differs (sum intvit {int(ours.sum())}, "
                           f"I-ViT {entry['per_image'][k]['sum']})")
    # Multipliers and x0.
    suffix = {"m": ".m", "e": ".e", "m_identity": ".m_res", "e_identity": ".e_res"}
    for key in refs.files:
        if key.startswith("requant/"):
            name, field = key[len("requant/"):].rsplit("/", 1)
            check(key, model[name + suffix[field]], refs[key])
        elif key.startswith("x0/"):
            name = key[3:]
            sec = "shiftmax" if name.endswith("int_softmax") else "shiftgelu"
            check(key, [params[sec][name]["x0"]], refs[key])
    # Logits.
    for k, run in enumerate(runs):
        check(f"logits_int (image {k})", run.logits, refs["logits_int"][k])
    ours = np.stack([r.logits for r in runs]).astype(np.float64) * refs["logits_scale"]
    print(f"checked {checked} tensors, digests, multipliers and x0 values; "
          f"{len(bad)} differ" + (f"; not comparable: {', '.join(skipped)}" if skipped else ""))
    for b in bad:
        print("MISMATCH " + b)
    if "logits_f32run" in refs.files:
        f32 = refs["logits_f32run"][:len(runs)]
        top = [int(a.argmax()) == int(b.argmax()) for a, b in zip(ours, f32)]
        print(f"against I-ViT's float32 run (not expected exact): logits max |diff| "
              f"{np.abs(ours - f32).max():.4g} (largest |logit| {np.abs(f32).max():.3g}); "
              f"top-1 agrees on {sum(top)} of {len(top)} images")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
