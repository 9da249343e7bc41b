#!/usr/bin/env python3
"""Trains the tiny float ViT of intvit's digits test on scikit-learn's bundled handwritten digits.

Needs Debian's python3-torch, python3-sklearn and python3-pil (only to run this script; the test
suite uses what it writes). Writes, into the output folder (default tools/digits/):
  digits_vit.safetensors   the float weights in timm's VisionTransformer layout (F32)
  config.json              timm's config.json (architecture, model_args, num_classes,
                           pretrained_cfg with input_size, mean, std, crop_pct, interpolation)
  test/<digit>/<index>.png the held-out 20 % as an ImageFolder of 8x8 grayscale PNGs
  calib/<index>.png        64 training pictures (a flat folder), for `intvit quantize --calib`
  train_log.txt            the float accuracy on the held-out split

The pictures are 8x8 with 17 gray levels (0..16), stored as round(v * 255 / 16). The model sees
them as intvit's eval transform gives them: resized to 16x16 by PIL's bicubic (crop_pct 1.0,
so no crop), scaled to [0, 1] and normalized with the mean and std in config.json. Training uses
exactly that transform (PIL's resize), plus random shifts of up to one pixel of the 8x8 picture.
Deterministic: fixed seeds, one thread.
"""
import argparse
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

IMG, PATCH, CHANS, EMBED, DEPTH, HEADS, MLP_RATIO, CLASSES = 16, 4, 1, 48, 2, 3, 2.0, 10
MEAN, STD = 0.25, 0.35
SEED = 0


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1 = nn.LayerNorm(EMBED, eps=1e-6)
        self.attn = nn.Module()
        self.attn.qkv = nn.Linear(EMBED, 3 * EMBED)
        self.attn.proj = nn.Linear(EMBED, EMBED)
        self.norm2 = nn.LayerNorm(EMBED, eps=1e-6)
        self.mlp = nn.Module()
        self.mlp.fc1 = nn.Linear(EMBED, int(EMBED * MLP_RATIO))
        self.mlp.fc2 = nn.Linear(int(EMBED * MLP_RATIO), EMBED)

    def forward(self, x):
        b, t, c = x.shape
        d = c // HEADS
        qkv = self.attn.qkv(self.norm1(x)).reshape(b, t, 3, HEADS, d).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        a = ((q @ k.transpose(-2, -1)) * d ** -0.5).softmax(dim=-1)
        x = x + self.attn.proj((a @ v).transpose(1, 2).reshape(b, t, c))
        return x + self.mlp.fc2(F.gelu(self.mlp.fc1(self.norm2(x))))


class Vit(nn.Module):
    """timm's VisionTransformer (class token, pre-norm blocks, final norm, token pooling)."""

    def __init__(self):
        super().__init__()
        self.patch_embed = nn.Module()
        self.patch_embed.proj = nn.Conv2d(CHANS, EMBED, PATCH, PATCH)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, EMBED))
        self.pos_embed = nn.Parameter(torch.randn(1, (IMG // PATCH) ** 2 + 1, EMBED) * 0.02)
        self.blocks = nn.ModuleList([Block() for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(EMBED, eps=1e-6)
        self.head = nn.Linear(EMBED, CLASSES)

    def forward(self, x):
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x)[:, 0])


def to_u8(v):
    """An 8x8 digit (0..16) as 8-bit gray."""
    return np.round(v.reshape(8, 8) * 255.0 / 16.0).astype(np.uint8)


def model_input(u8):
    """intvit's eval transform with crop_pct 1.0: PIL bicubic to 16x16, /255, normalize."""
    big = np.asarray(Image.fromarray(u8, mode="L").resize((IMG, IMG), Image.BICUBIC), np.float32)
    return (big / np.float32(255.0) - np.float32(MEAN)) / np.float32(STD)


def shifted(u8, dx, dy):
    out = np.zeros_like(u8)
    ys, yd = (slice(0, 8 - dy), slice(dy, 8)) if dy >= 0 else (slice(-dy, 8), slice(0, 8 + dy))
    xs, xd = (slice(0, 8 - dx), slice(dx, 8)) if dx >= 0 else (slice(-dx, 8), slice(0, 8 + dx))
    out[yd, xd] = u8[ys, xs]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--epochs", type=int, default=60)
    args = ap.parse_args()
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    rng = np.random.default_rng(SEED)

    digits = load_digits()
    idx = np.arange(len(digits.target))
    train_idx, test_idx = train_test_split(idx, test_size=0.2, random_state=SEED,
                                           stratify=digits.target)
    pics = [to_u8(v) for v in digits.data]
    labels = digits.target

    # Every shift of up to one pixel of every training picture, precomputed.
    shifts = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    train_x = torch.tensor(np.stack([[model_input(shifted(pics[i], dx, dy)) for dx, dy in shifts]
                                     for i in train_idx]))  # [N, 9, 16, 16]
    train_y = torch.tensor(labels[train_idx])
    test_x = torch.tensor(np.stack([model_input(pics[i]) for i in test_idx]))[:, None]
    test_y = torch.tensor(labels[test_idx])

    model = Vit()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    steps_per_epoch = math.ceil(len(train_idx) / 64)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 2e-3, total_steps=args.epochs * steps_per_epoch)
    for epoch in range(args.epochs):
        model.train()
        perm = torch.tensor(rng.permutation(len(train_idx)))
        pick = torch.tensor(rng.integers(0, len(shifts), len(train_idx)))
        for s in range(steps_per_epoch):
            b = perm[s * 64:(s + 1) * 64]
            x = train_x[b, pick[b]][:, None]
            loss = F.cross_entropy(model(x), train_y[b], label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        if (epoch + 1) % 5 == 0:
            model.eval()
            with torch.no_grad():
                acc = (model(test_x).argmax(1) == test_y).float().mean().item() * 100
            print(f"epoch {epoch + 1}: loss {loss.item():.3f}, held-out top-1 {acc:.2f} %")

    model.eval()
    with torch.no_grad():
        acc = (model(test_x).argmax(1) == test_y).float().mean().item() * 100
    os.makedirs(args.out, exist_ok=True)
    tensors = {k: v.detach().contiguous().numpy().astype(np.float32)
               for k, v in model.state_dict().items()}
    save_safetensors(os.path.join(args.out, "digits_vit.safetensors"), tensors)
    config = {
        "architecture": "intvit_digits_vit",
        "num_classes": CLASSES,
        "global_pool": "token",
        "model_args": {"img_size": IMG, "patch_size": PATCH, "in_chans": CHANS,
                       "embed_dim": EMBED, "depth": DEPTH, "num_heads": HEADS,
                       "mlp_ratio": MLP_RATIO},
        "pretrained_cfg": {"input_size": [CHANS, IMG, IMG], "mean": [MEAN], "std": [STD],
                           "crop_pct": 1.0, "interpolation": "bicubic"},
    }
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    for n, i in enumerate(test_idx):
        d = os.path.join(args.out, "test", str(labels[i]))
        os.makedirs(d, exist_ok=True)
        Image.fromarray(pics[i], mode="L").save(os.path.join(d, f"{i:04d}.png"), optimize=True)
    os.makedirs(os.path.join(args.out, "calib"), exist_ok=True)
    for i in train_idx[np.linspace(0, len(train_idx) - 1, 64).astype(int)]:
        Image.fromarray(pics[i], mode="L").save(os.path.join(args.out, "calib", f"{i:04d}.png"),
                                                optimize=True)
    with open(os.path.join(args.out, "train_log.txt"), "w") as f:
        f.write(f"held-out images {len(test_idx)}, float top-1 {acc:.2f} % (PyTorch, float32)\n")
    print(f"float top-1 on the {len(test_idx)} held-out images: {acc:.2f} %")


def save_safetensors(path, tensors):
    """The safetensors format (8-byte header length, JSON header, raw little-endian data)."""
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        b = tensors[name].astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(len(h).to_bytes(8, "little") + h + b"".join(blobs))


if __name__ == "__main__":
    main()
