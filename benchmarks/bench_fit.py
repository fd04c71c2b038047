"""Benchmark twitchnet.fit: one EM iteration over many records, pgmpy's EM, and recovery of known numbers.

Run::

    PYTHONPATH=src python benchmarks/bench_fit.py [--records 1000000] [--repeats 3] [--pgmpy-records 100]
        [--recovery-records 100000] [--recovery-iter 60] [--skip iteration,pgmpy,recovery] [--json PATH]

Prints a table (``--json PATH`` also writes the numbers as JSON). Nothing here is asserted: the
numbers are reported, with the machine's load average (the machine may be shared).

* ``iteration``: simulate ``--records`` records from the packaged model, encode and group them
  (once), then time one EM iteration as :func:`twitchnet.fit` runs it (compile the numbers'
  arrays, E-step, M-step), ``--repeats`` times; the median is reported, with the rows the
  engine enumerates (a distinct pattern, plus one per present finding) and the E-step's time per
  such row.
* ``pgmpy``: pgmpy's ``ExpectationMaximization`` (causes latent) for one iteration on a sample it
  can finish, against twitchnet's iteration on the same sample; the ratio is per record.
* ``recovery``: a model whose links, leaks, baselines and odds ratios are drawn inside their ranges
  (seeded) generates ``--recovery-records`` records without causes; ``fit`` (maximum likelihood,
  started from the packaged model) is scored by the largest link error and the largest relative
  baseline error.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import time
import warnings

import numpy as np

import twitchnet
from twitchnet import learn
from twitchnet.model import DiagnosticModel


def simulate(model, n, seed):
    """``model.simulate`` with pregnancy set False outside ages 12-55 (the simulation draws it
    independently of age; the frame encoder refuses such rows as implausible)."""
    df = model.simulate(n, seed=seed)
    df.loc[~df["age"].between(12, 55), "pregnancy"] = False
    return df


def one_iteration(model, records, repeats=1):
    """Encode ``records`` once, then time one EM iteration ``repeats`` times (medians)."""
    from twitchnet.learn import estep, mstep, patterns, priors

    t0 = time.perf_counter()
    pats = patterns._encode_checked(records, model)
    encode = time.perf_counter() - t0
    st = priors.Structure(model, 1.0)
    theta = st.params.values
    runs = []
    for _ in range(repeats):
        t1 = time.perf_counter()
        tb = estep.Tables(st.params.arrays(theta, model.arrays.states), st)
        t2 = time.perf_counter()
        stats = estep.suff_stats(tb, pats)
        t3 = time.perf_counter()
        mstep.m_step(st, theta, stats)
        t4 = time.perf_counter()
        runs.append((t2 - t1, t3 - t2, t4 - t3, t4 - t1))
    med = np.median(np.array(runs), axis=0)
    # the engine enumerates every distinct pattern once, and once more per present finding (the
    # link counts: evidence with that finding unknown); the E-step costs per engine row
    engine_rows = int(pats.counts.size + (pats.findings == 1).sum())
    return {"records": len(records), "distinct": int(pats.counts.size), "engine_rows": engine_rows, "e_step_us_per_engine_row": float(med[1]) / engine_rows * 1e6,
            "repeats": repeats, "encode_group_s": encode, "compile_s": float(med[0]),
            "e_step_s": float(med[1]), "m_step_s": float(med[2]), "iteration_s": float(med[3]), "iteration_min_s": float(min(r[3] for r in runs))}


def pgmpy_em(model, records):
    from pgmpy.estimators import ExpectationMaximization
    from pgmpy.models import DiscreteBayesianNetwork

    bn = model.to_pgmpy()
    latent = DiscreteBayesianNetwork(bn.edges(), latents=set(model.cause_ids))
    latent.add_nodes_from(bn.nodes())
    rows = [model.to_pgmpy_evidence(r) for r in records.to_dict("records")]
    import pandas as pd

    data = pd.DataFrame(rows)[[n for n in bn.nodes() if n not in model.cause_ids]]
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ExpectationMaximization(latent, data).get_parameters(latent_card={c: 2 for c in model.cause_ids}, max_iter=1, show_progress=False, seed=0)
    pg = time.perf_counter() - t0
    ours = one_iteration(model, records)["iteration_s"]
    return {"records": len(records), "pgmpy_s": pg, "twitchnet_s": ours, "ratio": pg / ours}


def truth_model(model, seed=0):
    """Links, leaks, baselines and odds ratios drawn inside their ranges (log-uniform for odds ratios)."""
    from twitchnet.model.parameters import parameters, with_numbers

    rng = np.random.default_rng(seed)
    values = {}
    for where, n in model.kb.numbers():
        if where.startswith(("model.toml", "risk_factors.toml")) or n.low == n.high:
            continue
        if ".effects." in where:
            values[where] = float(math.exp(rng.uniform(math.log(n.low), math.log(n.high))))
        else:
            values[where] = float(rng.uniform(max(n.low, 1e-4), min(n.high, 1 - 1e-4)))
    p = parameters(model)
    theta = p.values.copy()
    theta[[p.names.index(w) for w in values]] = list(values.values())
    return DiagnosticModel(with_numbers(model.kb, theta)), values


def recovery(model, n, iters, strength=0.0):
    truth, values = truth_model(model)
    records = simulate(truth, n, 1)
    t0 = time.perf_counter()
    fitted = learn.fit(records, model, prior_strength=strength, max_iter=iters, tol=1e-9)
    elapsed = time.perf_counter() - t0
    link_err = {w: abs(fitted.numbers[w].new - x) for w, x in values.items() if ".causes." in w}
    leak_err = {w: abs(fitted.numbers[w].new - x) for w, x in values.items() if w.endswith(".leak")}
    base_err = {w: abs(fitted.numbers[w].new - x) / x for w, x in values.items() if w.endswith(".baseline")}
    start = dict(model.kb.numbers())
    start_link = max(abs(start[w].value - x) for w, x in values.items() if ".causes." in w)
    worst_link = max(link_err, key=link_err.get)
    worst_base = max(base_err, key=base_err.get)
    return {
        "records": n, "iterations": fitted.iterations, "converged": fitted.converged, "fit_s": elapsed,
        "max_link_error": link_err[worst_link], "worst_link": worst_link, "links_within_0.02": sum(e <= 0.02 for e in link_err.values()),
        "links": len(link_err), "median_link_error": float(np.median(list(link_err.values()))), "max_link_error_at_start": start_link,
        "max_leak_error": max(leak_err.values()),
        "max_baseline_rel_error": base_err[worst_base], "worst_baseline": worst_base, "baselines_within_10pct": sum(e <= 0.10 for e in base_err.values()),
        "baselines": len(base_err), "baseline_rel_errors": {w.split(": ")[1]: round(e, 4) for w, e in base_err.items()},
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--pgmpy-records", type=int, default=100)
    ap.add_argument("--recovery-records", type=int, default=100_000)
    ap.add_argument("--recovery-iter", type=int, default=60)
    ap.add_argument("--skip", default="")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", metavar="PATH", help="also write the numbers to PATH as JSON")
    args = ap.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    model = twitchnet.load_model()
    out = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "causes": len(model.cause_ids),
                       "findings": len(model.finding_ids), "risk_factors": len(model.risk_factor_ids),
                       "load_average_1m_at_start": os.getloadavg()[0]}}
    if "iteration" not in skip:
        out["iteration"] = one_iteration(model, simulate(model, args.records, 0), args.repeats)
    if "pgmpy" not in skip:
        out["pgmpy"] = pgmpy_em(model, simulate(model, args.pgmpy_records, 2))
    if "recovery" not in skip:
        out["recovery"] = recovery(model, args.recovery_records, args.recovery_iter)
    out["machine"]["load_average_1m_at_end"] = os.getloadavg()[0]
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=2, default=lambda o: o.item() if hasattr(o, "item") else str(o))
    print(f"{'measure':44s} value")
    for section, d in out.items():
        for k, val in d.items():
            if isinstance(val, dict):
                continue
            print(f"{section + '.' + k:44s} {val:.4g}" if isinstance(val, float) else f"{section + '.' + k:44s} {val}")
    if "recovery" in out:
        print("baseline relative errors:", out["recovery"]["baseline_rel_errors"])


if __name__ == "__main__":
    main()
