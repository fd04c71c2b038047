"""Time :func:`twitchnet.sensitivity` over every number of the packaged model.

Usage::

    python benchmarks/bench_sensitivity.py                  # 300 and 1000 cases, 3 repeats
    python benchmarks/bench_sensitivity.py --cases 300 1000 10000 --repeat 1
    python benchmarks/bench_sensitivity.py --json benchmarks/results/sensitivity.json

The cases are simulated once (not timed); each run is one ``sensitivity(model, frame)`` call (the
sweep over every number with a range, both ends). Prints one line per case count: the number of
range ends swept, the best and median seconds over the repeats, the microseconds per (range end,
case), and the load average (1 minute) before the runs: the machine is shared, so the median
under load says more than one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import twitchnet
from twitchnet.explain.uncertainty import _structure


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, nargs="+", default=[300, 1000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", metavar="PATH")
    args = ap.parse_args()
    model = twitchnet.load_model()
    st = _structure(model)
    ends = sum(int(st.low[i] != st.value[i]) + int(st.high[i] != st.value[i]) for i in range(st.n) if not st.fixed[i])
    numbers = int((~st.fixed).sum())
    rows = []
    print(f"{'cases':>7} {'numbers':>8} {'ends':>6} {'best s':>8} {'median s':>9} {'us/(end,case)':>14} {'load':>6}")
    for n in args.cases:
        frame = model.simulate(n, seed=args.seed)
        twitchnet.sensitivity(model, frame.head(2), progress=False)  # warm-up: structures built, modules imported
        load = os.getloadavg()[0]
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            twitchnet.sensitivity(model, frame, progress=False)
            times.append(time.perf_counter() - t)
        best, med = min(times), statistics.median(times)
        row = {"cases": n, "numbers": numbers, "range_ends": ends, "best_s": best, "median_s": med, "times_s": times,
               "us_per_end_case": 1e6 * med / (ends * n), "load_1min": load}
        rows.append(row)
        print(f"{n:>7} {numbers:>8} {ends:>6} {best:>8.2f} {med:>9.2f} {row['us_per_end_case']:>14.2f} {load:>6.2f}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"model": model.name, "version": model.version, "cpus": os.cpu_count(), "runs": rows}, fh, indent=2)


if __name__ == "__main__":
    main()
