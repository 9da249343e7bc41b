#!/usr/bin/env python3
"""Checks figure files: a .png starts with the PNG signature, decodes, and is not one colour;
an .svg parses as XML with an <svg> root and holds drawn paths. Prints one line per file; exit
1 if any is bad.  usage: check_images.py FILE..."""

import sys
import xml.etree.ElementTree as ET

import matplotlib.image


def check(path):
    data = open(path, "rb").read()
    if not data:
        return "empty"
    if path.endswith(".png"):
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            return "no PNG signature"
        img = matplotlib.image.imread(path)
        h, w = img.shape[:2]
        if h < 100 or w < 100:
            return f"only {w}x{h} pixels"
        flat = img.reshape(h * w, -1)
        colours = len({tuple(px) for px in flat[:: max(1, len(flat) // 20000)]})
        return None if colours > 8 else f"{colours} colours: blank"
    root = ET.fromstring(data)
    if not root.tag.endswith("svg"):
        return f"root is <{root.tag}>, not <svg>"
    paths = sum(1 for e in root.iter() if e.tag.endswith("path") or e.tag.endswith("use"))
    return None if paths > 10 else f"only {paths} drawn elements"


bad = 0
for f in sys.argv[1:]:
    why = check(f)
    print(f"{'ok' if why is None else 'BAD'} {f}{'' if why is None else ': ' + why}")
    bad += why is not None
sys.exit(1 if bad or len(sys.argv) < 2 else 0)
