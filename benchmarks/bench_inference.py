"""Benchmark: twitchnet against pgmpy and pyAgrum on the same random cases, in one run.

Usage::

    python benchmarks/bench_inference.py            # full run (about 2 minutes)
    python benchmarks/bench_inference.py --quick    # well under a minute
    python benchmarks/bench_inference.py --json benchmarks/results/inference.json

What is timed (median over the same seeded cases of the best of three runs of each case, for every
engine):

* ``twitchnet diagnose``: one whole ``twitchnet.diagnose`` call (validation, red flags,
  posterior, counterfactuals, triage and result objects; the explanation's steps are computed
  when a contribution is first read), and ``... every contribution read``: the call plus reading
  every cause's contributions (one more kernel run, with the steps).
* ``twitchnet posterior``: validation plus the fast engine for one case (``encode``, then
  ``Engine.explain`` of the enumeration engine): the posterior, explanation and counterfactuals that ``diagnose``
  computes, without building the result objects. Its difference column is against the log-space
  reference engine (``twitchnet.engine.reference``).
* ``twitchnet batch``: ``diagnose_frame`` on a DataFrame of distinct random rows (encoding, red
  flags and triage included), once with the yes/no columns as Python objects (True/False/NaN, as
  a frame built from dicts holds them) and once typed (pandas ``boolean``, from
  ``convert_dtypes()``, not timed); and the batch engine alone (``Engine.posterior`` of the enumeration engine, on
  all cores), as time per row. No two rows are the same, so nothing is shared between them.
* ``pgmpy VE``: ``VariableElimination(model.to_pgmpy()).query(causes, evidence, joint=False)``,
  one call returning all the cause marginals (faster than separate queries).
* ``pyAgrum LP``: one ``LazyPropagation`` object reused across cases: ``setEvidence``,
  ``makeInference``, then every cause's posterior.

Also: the largest absolute difference from twitchnet for each engine, the whole-process wall time
of a cold ``twitchnet diagnose`` (median of several runs), and the peak resident memory of a
1,000,000-row ``diagnose_frame`` in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

import twitchnet
from twitchnet import engine as tn_engines
from twitchnet.engine.reference import expit, posterior_log_odds
from twitchnet.model import PLAUSIBLE_AGES


def random_cases(model, n, seed):
    """Seeded random evidence: each risk factor and finding known with probability 1/2."""
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(n):
        ev = {}
        for rf in model.kb.risk_factors:
            if rng.random() < 0.5:
                if rf.kind == "number":
                    ev[rf.id] = int(rng.integers(int(rf.low), int(rf.high) + 1))
                elif rf.kind == "category":
                    ev[rf.id] = str(rng.choice(rf.states))
                else:
                    ev[rf.id] = bool(rng.random() < 0.5)
        for f in model.finding_ids:
            if rng.random() < 0.5:
                ev[f] = bool(rng.random() < 0.3)
        if ev.get("sex") == "male" and ev.get("pregnancy"):
            ev["pregnancy"] = False
        lo, hi = PLAUSIBLE_AGES["pregnancy"]  # the model refuses a pregnancy outside these ages
        if ev.get("pregnancy") and "age" in ev and not lo <= ev["age"] <= hi:
            ev["pregnancy"] = False
        cases.append(ev)
    return cases


def per_case(fn, cases, repeat=1):
    times = []
    out = []
    for ev in cases:
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            r = fn(ev)
            best = min(best, time.perf_counter() - t)
        times.append(best)
        out.append(r)
    return statistics.median(times), out


def cold_cli(runs):
    exe = os.path.join(os.path.dirname(sys.executable), "twitchnet")
    cmd = [exe] if os.path.exists(exe) else [sys.executable, "-m", "twitchnet"]
    cmd += ["diagnose", "age=68", "sex=male", "tingling=yes", "diabetes=yes"]
    walls = []
    for _ in range(runs + 1):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        walls.append(time.perf_counter() - t)
    return statistics.median(walls[1:])


MILLION = r"""
import resource, time, numpy as np, pandas as pd, twitchnet
n = {n}
rng = np.random.default_rng(3)
m = twitchnet.load_model()
cols = {{"age": rng.integers(18, 95, n), "sex": rng.choice(np.array(["female", "male"], dtype=object), n)}}
for f in m.finding_ids:  # yes/no columns as pandas' nullable booleans (1 byte a cell plus a mask)
    cols[f] = pd.array(rng.choice(np.array([True, False, None], dtype=object), n), dtype="boolean")
df = pd.DataFrame(cols)
del cols
t = time.perf_counter()
out = twitchnet.diagnose_frame(df, progress=False)
dt = time.perf_counter() - t
try:  # this process's own high-water mark: ru_maxrss would report the parent's, inherited at fork
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(dt, peak, len(out))
"""


def million_rows(n):
    r = subprocess.run([sys.executable, "-c", MILLION.format(n=n)], check=True, capture_output=True, text=True)
    dt, rss_mib, rows = r.stdout.split()
    return float(dt), float(rss_mib), int(rows)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=300)
    p.add_argument("--batch", type=int, default=200_000, help="rows for the batch timing")
    p.add_argument("--million", type=int, default=1_000_000, help="rows for the peak-memory run (0 to skip)")
    p.add_argument("--seed", type=int, default=20261125)
    p.add_argument("--quick", action="store_true", help="fewer cases and rows")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = p.parse_args(argv)
    if args.quick:
        args.cases, args.batch, args.million = 60, 50_000, 0

    import pandas as pd
    import pyagrum as gum
    from pgmpy.inference import VariableElimination

    from twitchnet.model.pyagrum_bridge import to_pyagrum

    load0 = os.getloadavg()
    model = twitchnet.load_model()
    causes = list(model.cause_ids)
    cases = random_cases(model, args.cases, args.seed)
    ours = np.array([[twitchnet.diagnose(ev)[c].probability for c in causes] for ev in cases])

    eng = tn_engines.get("enumeration", model)  # the C kernel when built, else the reference engine

    def engine_one(ev):
        return eng.explain(model, model.encode(ev)).probability

    def diagnose_read(ev):
        d = twitchnet.diagnose(ev)
        return [tuple(r.contributions) for r in d.ranking]

    def diagnose_reference(ev):
        return twitchnet.diagnose(ev, engine="reference")

    def reference_one(ev):
        enc = model.encode(ev)
        return expit(posterior_log_odds(model.arrays, enc.rf_state[None], enc.finding_state[None], prior=False)[0][0])

    ve = VariableElimination(model.to_pgmpy())

    def pgmpy_one(ev):
        res = ve.query(causes, evidence=model.to_pgmpy_evidence(ev), joint=False, show_progress=False)
        return [res[c].get_value(**{c: "True"}) for c in causes]

    bn = to_pyagrum(model)
    ie = gum.LazyPropagation(bn)

    def agrum_one(ev):
        ie.eraseAllEvidence()
        ie.setEvidence(model.to_pgmpy_evidence(ev))
        ie.makeInference()
        return [ie.posterior(c)[1] for c in causes]

    # Interleaved in blocks of 10 cases: each block goes through every engine (each engine warm
    # within its block) before the next block, so that a drift in the machine's speed during the run
    # (seen here: up to 2x over minutes) hits all engines alike. pgmpy, the slowest, sees the first
    # third of the cases; its ratio uses the same cases.
    n_pg = max(20, len(cases) // 3)
    engines = {"diagnose": twitchnet.diagnose, "diagnose_read": diagnose_read, "posterior": engine_one, "reference": diagnose_reference, "pgmpy": pgmpy_one, "pyagrum": agrum_one}
    times = {k: [] for k in engines}
    outs = {k: [] for k in engines}
    for a in range(0, len(cases), 10):
        for name, fn in engines.items():
            block = cases[a : min(a + 10, n_pg if name == "pgmpy" else len(cases))]
            if not block:
                continue
            for ev in block:
                sec, out = per_case(fn, [ev], repeat=3)
                times[name].append(sec)
                outs[name].append(out[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    t_diag, t_post, t_pgmpy, t_agrum = med["diagnose"], med["posterior"], med["pgmpy"], med["pyagrum"]
    t_diag_pg = statistics.median(times["diagnose"][:n_pg])  # on pgmpy's cases
    t_ref_pg = statistics.median(times["reference"][:n_pg])
    pg_cases, pg_out, ag_out = cases[:n_pg], outs["pgmpy"], outs["pyagrum"]
    diff_pgmpy = float(np.max(np.abs(np.array(pg_out) - ours[: len(pg_cases)])))
    diff_agrum = float(np.max(np.abs(np.array(ag_out) - ours)))

    batch_cases = random_cases(model, args.batch, args.seed + 1)  # distinct rows
    big = pd.DataFrame(batch_cases)
    t = time.perf_counter()
    frame = twitchnet.diagnose_frame(big, progress=False)
    t_frame = (time.perf_counter() - t) / len(big)
    typed = big.convert_dtypes()  # yes/no columns as pandas "boolean", as a typed extract holds them
    t = time.perf_counter()
    frame_typed = twitchnet.diagnose_frame(typed, progress=False)
    t_frame_typed = (time.perf_counter() - t) / len(typed)
    check = min(len(big), 300)
    frame_ref = np.array([[twitchnet.diagnose(ev)[c].probability for c in causes] for ev in batch_cases[:check]])
    diff_frame = float(np.max(np.abs(frame[causes].to_numpy()[:check] - frame_ref)))
    diff_typed = float(np.max(np.abs(frame_typed[causes].to_numpy()[:check] - frame_ref)))
    encs = [model.encode(ev) for ev in batch_cases]
    rf = np.stack([e.rf_state for e in encs]).astype(np.int8)
    fs = np.stack([e.finding_state for e in encs]).astype(np.int8)
    eng.posterior(model, rf[:1000], fs[:1000])  # warm up the thread pool
    t = time.perf_counter()
    prob, _ = eng.posterior(model, rf, fs)
    t_engine_batch = (time.perf_counter() - t) / len(rf)
    diff_batch = float(np.max(np.abs(prob[:check] - frame_ref)))
    exact = np.array([reference_one(ev) for ev in cases])
    diff_self = float(np.max(np.abs(exact - ours)))

    t_cli = cold_cli(3 if args.quick else 10)
    million = million_rows(args.million) if args.million else None

    rows = [
        ("twitchnet diagnose (whole call)", t_diag, len(cases), 0.0),
        ("twitchnet diagnose, every contribution read", med["diagnose_read"], len(cases), 0.0),
        ("twitchnet posterior (engine, one case)", t_post, len(cases), diff_self),
        ("twitchnet diagnose, engine='reference' (numpy)", med["reference"], len(cases), diff_self),
        ("twitchnet diagnose_frame, object columns", t_frame, len(big), diff_frame),
        ("twitchnet diagnose_frame, typed columns", t_frame_typed, len(typed), diff_typed),
        (f"twitchnet {eng.name} engine, batch, per row", t_engine_batch, len(rf), diff_batch),
        (f"pgmpy VariableElimination ({len(model.cause_ids)} marginals)", t_pgmpy, len(pg_cases), diff_pgmpy),
        (f"pyAgrum LazyPropagation ({len(model.cause_ids)} posteriors)", t_agrum, len(cases), diff_agrum),
    ]
    print(f"twitchnet {twitchnet.__version__}; Python {platform.python_version()}; {os.cpu_count()} cores; seed {args.seed}; "
          f"load average {load0[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end")
    print(f"{'engine':<46} {'per case':>12} {'cases':>8} {'max |diff|':>11}")
    for name, sec, n, diff in rows:
        print(f"{name:<46} {sec * 1e6:>9.1f} us {n:>8} {diff:>11.1e}")
    print()
    ratios = {
        "pgmpy / twitchnet diagnose": t_pgmpy / t_diag_pg,
        "pgmpy / twitchnet diagnose, contributions read": t_pgmpy / statistics.median(times["diagnose_read"][:n_pg]),
        "pyAgrum / twitchnet diagnose": t_agrum / t_diag,
        "pgmpy / twitchnet diagnose, reference engine": t_pgmpy / t_ref_pg,
        "pgmpy / twitchnet batch row": t_pgmpy / t_frame,
        "pyAgrum / twitchnet batch row": t_agrum / t_frame,
    }
    for k, v in ratios.items():
        print(f"{k:<46} {v:>9.0f}x")
    print(f"{'batch throughput (diagnose_frame, object)':<46} {1 / t_frame:>9.0f} rows/s")
    print(f"{'batch throughput (diagnose_frame, typed)':<46} {1 / t_frame_typed:>9.0f} rows/s")
    print(f"{'batch throughput (engine.posterior)':<46} {1 / t_engine_batch:>9.0f} rows/s")
    print(f"{'C kernel':<46} {'yes' if tn_engines.get('enumeration').name == 'enumeration' else 'no (reference)':>9}")
    print(f"{'cold CLI diagnose, whole process (median)':<46} {t_cli:>9.3f} s")
    if million:
        print(f"{'1,000,000-row diagnose_frame':<46} {million[0]:>9.1f} s, peak RSS {million[1]:.0f} MiB")
    if args.json:
        out = {
            "per_case_seconds": {name: sec for name, sec, _, _ in rows},
            "cases": {name: n for name, _, n, _ in rows},
            "max_abs_diff": {name: d for name, _, _, d in rows},
            "ratios": ratios,
            "batch_rows_per_second": 1 / t_frame,
            "typed_batch_rows_per_second": 1 / t_frame_typed,
            "engine_rows_per_second": 1 / t_engine_batch,
            "kernel": tn_engines.get("enumeration").name == "enumeration",
            "cold_cli_seconds": t_cli,
            "million_rows": None if not million else {"seconds": million[0], "peak_rss_mib": million[1], "rows": million[2]},
            "python": platform.python_version(),
            "cores": os.cpu_count(),
            "seed": args.seed,
            "load_average_start": load0,
            "load_average_end": os.getloadavg(),
        }
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=2)


if __name__ == "__main__":
    main()
