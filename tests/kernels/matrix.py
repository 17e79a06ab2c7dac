#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the kernel x feature matrix from the rows check.py wrote
(tests/out/kernels/NAME.row), in the order of tests/kernels/list: on, or
off with a note giving socktop's own reason. --markdown prints it as the
README's table. A kernel that was skipped or did not boot has no row."""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FEATURES = ["states", "connects", "binds", "iters", "cgroup", "traffic"]
md = "--markdown" in sys.argv[1:]

names = []
with open(os.path.join(ROOT, "tests", "kernels", "list")) as f:
    for line in f:
        w = line.split()
        if w and not w[0].startswith("#"):
            names.append(w[0])
rows = []
for n in names:
    try:
        with open(os.path.join(ROOT, "tests", "out", "kernels", n + ".row")) as f:
            rows.append(json.load(f))
    except (OSError, ValueError):
        continue
if not rows:
    print("kernel matrix: no kernel booted")
    sys.exit(0)

notes = []


def cell(feat):
    if feat.get("on"):
        return "on"
    why = feat.get("why") or "off"
    if why not in notes:
        notes.append(why)
    return "off (%d)" % (notes.index(why) + 1)


table = [["kernel", "release", "package"] + FEATURES]
for r in rows:
    table.append([r["name"], r["release"], r.get("version", "").split(" ")[-1]] +
                 [cell(r["features"].get(f, {})) for f in FEATURES])
if md:
    print("| " + " | ".join(table[0]) + " |")
    print("|" + "---|" * len(table[0]))
    for t in table[1:]:
        print("| " + " | ".join(t) + " |")
    print()
    for i, n in enumerate(notes):
        print("%d. %s" % (i + 1, n))
    sys.exit(0)
width = [max(len(t[i]) for t in table) for i in range(len(table[0]))]
print("kernel matrix:")
for t in table:
    print("  " + "  ".join(c.ljust(width[i]) for i, c in enumerate(t)).rstrip())
for i, n in enumerate(notes):
    print("  (%d) %s" % (i + 1, n))
