"""Benchmark: ``diagnose_frame(errors="coerce")`` on a frame with many bad cells and a repeated index.

Usage::

    python benchmarks/bench_frame_coerce.py                 # 1,000,000 rows
    python benchmarks/bench_frame_coerce.py --rows 200000   # quicker
    python benchmarks/bench_frame_coerce.py --json out.json

The frame (issue 13.1): red-flag and symptom columns of Python ``True``/``False``/``None`` with
10% bad cells (``"unsure"``), ``age`` and ``sex``; the index holds each label about 20 times.
Timed (best of ``--repeat`` runs, warnings collected, not printed): the same frame with the
repeated index, with a unique index, and with no bad cells. Also checked, not timed: the rows
whose valid red-flag cell is True are urgent in every one of them (the defect lost 81,304 of
450,148 at 1M rows), and the repeated-index result equals the unique-index one.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
import warnings

import numpy as np
import pandas as pd

import twitchnet
from twitchnet.frame import diagnose_frame

FLAGS = ("saddle_numbness", "muscle_weakness", "trouble_walking")
OTHERS = ("tingling", "numbness", "twitching", "back_pain", "fatigue")


def make_frame(n, bad_share=0.0125, seed=13):
    rng = np.random.default_rng(seed)
    values = np.array([True, False, None, "unsure"], dtype=object)
    p = [0.15, 0.45, 0.4 - bad_share, bad_share]
    df = pd.DataFrame({c: rng.choice(values, n, p=p) for c in FLAGS + OTHERS})
    df["age"] = rng.integers(18, 95, n)
    df["sex"] = rng.choice(["female", "male"], n)
    df.index = rng.integers(0, max(1, n // 20), n)
    return df


def timed(df, model, repeat):
    best, out = float("inf"), None
    for _ in range(repeat):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = time.perf_counter()
            out = diagnose_frame(df, model, errors="coerce", progress=False)
            best = min(best, time.perf_counter() - t)
    return best, out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    model = twitchnet.load_model()
    df = make_frame(args.rows)
    flagged = np.zeros(len(df), dtype=bool)
    for c in FLAGS:
        flagged |= df[c].map(lambda x: x is True).to_numpy(dtype=bool)
    bad = int(sum(df[c].map(lambda x: isinstance(x, str)).sum() for c in FLAGS + OTHERS))
    clean = df.replace("unsure", None)
    rows = []
    results = {}
    for name, frame in (("repeated index", df), ("unique index", df.reset_index(drop=True)), ("no bad cells", clean)):
        seconds, out = timed(frame, model, args.repeat)
        results[name] = out
        lost = int((flagged & ~out["urgent"].to_numpy()).sum())
        rows.append({"frame": name, "rows": len(frame), "seconds": seconds, "rows_per_s": len(frame) / seconds, "red_flag_rows": int(flagged.sum()), "lost": lost})
    same = results["repeated index"].reset_index(drop=True).equals(results["unique index"])
    print(f"diagnose_frame(errors='coerce'): {len(df):,} rows, {bad:,} bad cells, {df.index.nunique():,} distinct labels")
    print(f"{'frame':<16} {'seconds':>8} {'rows/s':>11} {'red-flag rows':>14} {'lost urgent':>12}")
    for r in rows:
        print(f"{r['frame']:<16} {r['seconds']:>8.2f} {r['rows_per_s']:>11,.0f} {r['red_flag_rows']:>14,} {r['lost']:>12,}")
    print(f"repeated-index result equals unique-index result: {same}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"python": platform.python_version(), "bad_cells": bad, "same": same, "runs": rows}, f, indent=2)


if __name__ == "__main__":
    main()
