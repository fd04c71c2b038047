"""Benchmark: issue 16's and issue 23's goals (a benchmark, not a test).

Times, on the default model: 1,000 draws of every knowledge-base number for one case
(``Diagnosis.uncertainty``), the "rests on" list (``Diagnosis.rests_on``), and the sensitivity sweep
over every number and 10,000 simulated cases (``twitchnet.sensitivity``); and, beyond enumeration,
1,000 draws for one case on a 40-cause synthetic network with ranges (Quickscore through
``Engine.posterior_many``). Prints a table with the machine's load; ``--json PATH`` also writes the
numbers.

Goals (issue 23): 1,000 draws <= 15 ms (``Diagnosis.uncertainty`` end to end, and
``posterior_draws`` on 1,000 given number sets); rests-on <= 20 ms; sweep <= 10 s (2 cores).
``--no-sweep`` leaves the sweep out (a minute or more under load).
"""

import argparse
import json
import os
import statistics
import time

import twitchnet
from twitchnet import synthetic
from twitchnet.explain import uncertainty as U

CASE = {"age": 68, "sex": "male", "tingling": True, "burning_pain": True, "stocking_distribution": True, "diabetes": True}


def _best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)



def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", metavar="PATH")
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--no-sweep", action="store_true")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    model = twitchnet.load_model()
    d = twitchnet.diagnose(CASE, model=model)
    d.uncertainty(draws=10, seed=0)  # warm up (tables built once per model)
    rows = []
    best, med = _best(lambda: d.uncertainty(draws=1000, seed=0), args.repeat)
    rows.append(("1,000 draws, one case", best, med, 0.015))
    theta = U.draw_numbers(model, 1000, seed=0)
    U.posterior_draws(model, CASE, theta)
    best, med = _best(lambda: U.posterior_draws(model, CASE, theta), args.repeat)
    rows.append(("posterior_draws, 1,000 given sets", best, med, 0.015))
    best, med = _best(lambda: U.draw_numbers(model, 1000, seed=0), args.repeat)
    rows.append(("draw_numbers, 1,000 x every number", best, med, None))
    best, med = _best(lambda: d.rests_on(), args.repeat)
    rows.append(("rests-on list, one case", best, med, 0.020))
    net = synthetic.with_ranges(synthetic.network(causes=40, findings=80, seed=2))
    f = net.finding_ids
    d40 = twitchnet.diagnose({"age": 55, f[0]: True, f[3]: True, f[7]: True, f[5]: False, f[9]: False}, model=net)
    d40.uncertainty(draws=10, seed=0)
    best, med = _best(lambda: d40.uncertainty(draws=1000, seed=0), 3)
    rows.append(("1,000 draws, 40 causes (Quickscore)", best, med, None))  # no goal set
    sweep = None
    if not args.no_sweep:
        cases = model.simulate(args.cases, seed=0)
        t = time.perf_counter()
        sweep = twitchnet.sensitivity(model, cases)
        s = time.perf_counter() - t
        rows.append((f"sensitivity, all numbers x {args.cases:,} cases", s, s, 10.0))
    load = os.getloadavg()[0]
    print(f"Uncertainty benchmark, KB {model.version}; load average {load:.2f} on {os.cpu_count()} CPUs")
    print(f"{'what':<44} {'best s':>10} {'median s':>10} {'goal s':>8}  met")
    for name, b, m, goal in rows:
        shown, met = ("-", "-") if goal is None else (f"{goal:.3f}", "yes" if m <= goal else "NO")
        print(f"{name:<44} {b:>10.4f} {m:>10.4f} {shown:>8}  {met}")
    if sweep is not None:
        print("\nTop numbers by share of cases whose top cause changes (low or high end):")
        for r in sweep.rows[:10]:
            print(f"  {r.changed:6.3f}  {r.where}  ({'judgement' if r.judgement else r.source})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"version": model.version, "load": load, "rows": [dict(zip(("what", "best_s", "median_s", "goal_s"), r)) for r in rows],
                       "sweep": [{"where": r.where, "changed": r.changed} for r in sweep.rows[:30]] if sweep else []}, f, indent=2)


if __name__ == "__main__":
    main()
