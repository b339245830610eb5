#!/usr/bin/env python3
"""Medians and ratios of every hyperfine JSON export in a results folder (one table per hyperfine run)."""
import glob
import json
import os
import sys

folder = sys.argv[1] if len(sys.argv) > 1 else "."
for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict) or "results" not in data:
        continue
    results = data["results"]
    fastest = min(r["median"] for r in results)
    print(f"{os.path.basename(path)}:")
    for r in results:
        print(f"  {r['command']:24s} median {r['median']:9.3f} s  user {r['user']:8.3f} s"
              f"  runs {len(r['times']):2d}  {r['median'] / fastest:6.2f}x the fastest")
