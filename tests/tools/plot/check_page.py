#!/usr/bin/env python3
"""Checks a report page as headless Chromium rendered it. DOM: the page's own script ran
(body data-checked="yes"), the page has WANT <img> elements and every one decoded
(data-rendered="yes", naturalWidth > 0). Screenshot: the region of each image (its data-box,
at device scale 1) is not blank, i.e. holds more than a few colours and some dark pixels.

  check_page.py dom DOM_FILE WANT     prints the page height, exit 1 on a failure
  check_page.py shot DOM_FILE PNG     exit 1 on a failure"""

import re
import sys

import matplotlib.image


def images(dom):
    return re.findall(r"<img\b[^>]*>", dom)


def attr(tag, name):
    m = re.search(rf'\b{name}="([^"]*)"', tag)
    return m.group(1) if m else None


def check_dom(dom, want):
    if 'data-checked="yes"' not in dom:
        return ["the page's script did not run (no data-checked on <body>)"]
    imgs = images(dom)
    bad = [f"{attr(t, 'src')} did not render" for t in imgs if attr(t, "data-rendered") != "yes"]
    if len(imgs) != want:
        bad.append(f"{len(imgs)} images on the page, want {want}")
    return bad


def check_shot(dom, png):
    shot = matplotlib.image.imread(png)[:, :, :3]
    bad = []
    for t in images(dom):
        x, y, w, h = (int(v) for v in attr(t, "data-box").split(","))
        region = shot[y:y + h, x:x + w]
        if region.shape[0] < h * 0.9 or region.shape[1] < w * 0.9 or w < 50 or h < 50:
            bad.append(f"{attr(t, 'src')}: box {w}x{h} at {x},{y} is off the screenshot")
            continue
        flat = region.reshape(-1, 3)[::7]
        colours = len({tuple((px * 255).astype(int)) for px in flat})
        dark = (flat.mean(axis=1) < 0.5).mean()
        if colours < 8 or dark < 0.001:
            bad.append(f"{attr(t, 'src')}: blank in the screenshot ({colours} colours, "
                       f"{100 * dark:.2f}% dark pixels)")
    return bad


def main(argv):
    dom = open(argv[1], encoding="utf-8").read()
    if argv[0] == "dom":
        bad = check_dom(dom, int(argv[2]))
        m = re.search(r'data-height="(\d+)"', dom)
        print(m.group(1) if m else 0)
    else:
        bad = check_shot(dom, argv[2])
    for b in bad:
        print("FAIL: " + b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
