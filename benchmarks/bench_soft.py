"""Benchmark: a single diagnose with soft evidence (twitchnet.maybe) against the same case hard.

Usage::

    python benchmarks/bench_soft.py [--cases N] [--soft K] [--repeat R] [--json PATH]

Seeded random cases on the default model (each risk factor and finding known with probability 1/2,
as in ``bench_inference.py``). Each case's soft twin turns up to ``K`` of its observed findings
(never red flags) into ``maybe``: ratio 3 for a present one, 1/3 for an absent one, so both cases
observe the same findings. Per case the best of ``R`` repeats, hard and soft taken in turn; the table gives medians over the
cases of the time of the hard case, of the soft case, and of each case's ratio soft / hard, for:

* ``twitchnet.diagnose`` with ``engine="auto"`` (the engine that ran is shown) and with
  ``engine="reference"`` (the numpy engine, which answered every soft case before the C kernel
  took them);
* pgmpy's ``VariableElimination`` on ``model.to_pgmpy()``: hard evidence against the same case
  with ``virtual_evidence`` (one query for every cause);
* pyAgrum's ``LazyPropagation``: hard evidence against soft evidence (a likelihood ``[1, ratio]``).

It also reports the largest difference in any cause's probability between twitchnet and each
library on the soft cases. Goal (issue 25): soft no slower than 2x hard on a single diagnose.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import twitchnet

sys.path.insert(0, str(Path(__file__).parent))
from bench_inference import random_cases  # noqa: E402


def soft_twins(model, cases, k, seed):
    """Each case with up to ``k`` of its observed non-red-flag findings given as ``maybe``."""
    rng = np.random.default_rng(seed)
    red = set(model.red_flag_ids)
    out = []
    for ev in cases:
        free = [f for f in model.finding_ids if f in ev and f not in red]
        chosen = rng.choice(free, size=min(k, len(free)), replace=False) if free else []
        out.append({key: (twitchnet.maybe(3.0 if val else 1.0 / 3.0) if key in chosen else val) for key, val in ev.items()})
    return out


def best(fn, repeat):
    t_best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        t_best = min(t_best, time.perf_counter() - t)
    return t_best


def paired(hard_fn, soft_fn, pairs, repeat):
    """Best of ``repeat`` per case for the hard and the soft call, taken alternately (hard, soft,
    hard, ...) so that a change of the machine's load hits both alike."""
    hard_t, soft_t = [], []
    for h, s in pairs:
        bh = bs = float("inf")
        for _ in range(repeat):
            bh = min(bh, best(lambda h=h: hard_fn(h), 1))
            bs = min(bs, best(lambda s=s: soft_fn(s), 1))
        hard_t.append(bh)
        soft_t.append(bs)
    return hard_t, soft_t


def split(model, ev):
    """The hard part of a case and its soft findings ``{id: ratio}``."""
    hard = {k: v for k, v in ev.items() if not isinstance(v, twitchnet.Likelihood)}
    return hard, {k: v.ratio for k, v in ev.items() if isinstance(v, twitchnet.Likelihood)}


def row(label, hard_t, soft_t, engines=""):
    ratios = [s / h for h, s in zip(hard_t, soft_t)]
    return {"what": label, "hard_ms": 1e3 * statistics.median(hard_t), "soft_ms": 1e3 * statistics.median(soft_t),
            "ratio_median": statistics.median(ratios), "ratio_max": max(ratios), "engines": engines}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=20)
    p.add_argument("--soft", type=int, default=2, help="findings per case given as maybe")
    p.add_argument("--repeat", type=int, default=20, help="repeats per case for twitchnet (the libraries: a fifth, at least 2)")
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--no-libraries", action="store_true", help="twitchnet only (no pgmpy, no pyAgrum)")
    p.add_argument("--json", metavar="PATH")
    args = p.parse_args(argv)
    model = twitchnet.load_model()
    red = set(model.red_flag_ids)  # red flags present are left unknown: the cases are ranked, not triaged
    cases = [{k: v for k, v in ev.items() if not (k in red and v is True)} for ev in random_cases(model, args.cases * 3, args.seed)]
    cases = [ev for ev in cases if _rankable(model, ev)][: args.cases]
    twins = soft_twins(model, cases, args.soft, args.seed)
    rows = []
    for eng in ("auto", "reference"):
        for ev in cases + twins:  # warm: plans, caches
            twitchnet.diagnose(ev, model=model, engine=eng)
        run = lambda ev, eng=eng: twitchnet.diagnose(ev, model=model, engine=eng)  # noqa: E731
        hard_t, soft_t = paired(run, run, list(zip(cases, twins)), args.repeat)
        ran = sorted({twitchnet.diagnose(ev, model=model, engine=eng).engine for ev in cases}), sorted(
            {twitchnet.diagnose(ev, model=model, engine=eng).engine for ev in twins})
        rows.append(row(f"twitchnet diagnose engine={eng!r}", hard_t, soft_t, f"hard: {','.join(ran[0])}; soft: {','.join(ran[1])}"))
    agree = {}
    lib_repeat = max(2, args.repeat // 5)
    if not args.no_libraries:
        rows_lib, agree = libraries(model, cases, twins, lib_repeat)
        rows += rows_lib
    load = " ".join(f"{x:.2f}" for x in _loadavg())
    print(f"soft vs hard, single case, default model: {len(cases)} cases, up to {args.soft} findings as maybe; "
          f"best of {args.repeat} (libraries {lib_repeat}) per case; load average {load}")
    print(f"{'':40s} {'hard ms':>9s} {'soft ms':>9s} {'soft/hard':>10s} {'max':>7s}  engines")
    for r in rows:
        print(f"{r['what']:40s} {r['hard_ms']:9.3f} {r['soft_ms']:9.3f} {r['ratio_median']:10.2f} {r['ratio_max']:7.2f}  {r['engines']}")
    for lib, diff in agree.items():
        print(f"largest |P(cause)| difference vs {lib} on the soft cases: {diff:.1e}")
    if args.json:
        Path(args.json).write_text(json.dumps({"cases": len(cases), "soft_per_case": args.soft, "repeat": args.repeat, "load": _loadavg(),
                                               "rows": rows, "max_abs_diff": agree}, indent=2))


def _rankable(model, ev):
    try:
        return bool(twitchnet.diagnose(ev, model=model).ranking)
    except twitchnet.errors.EvidenceError:
        return False


def _loadavg():
    try:
        import os

        return list(os.getloadavg())
    except OSError:  # pragma: no cover - no load average on this platform
        return []


def libraries(model, cases, twins, repeat):
    """pgmpy virtual evidence and pyAgrum soft evidence against their hard evidence."""
    from pgmpy.factors.discrete import TabularCPD
    from pgmpy.inference import VariableElimination

    causes = list(model.cause_ids)
    ve = VariableElimination(model.to_pgmpy())
    parts = [split(model, ev) for ev in twins]
    hard_ev = [model.to_pgmpy_evidence(ev) for ev in cases]
    soft_ev = [(model.to_pgmpy_evidence(h), [TabularCPD(f, 2, [[1.0 / (1.0 + r)], [r / (1.0 + r)]], state_names={f: ["False", "True"]})
                                             for f, r in s.items()]) for h, s in parts]

    def pg_hard(e):
        return ve.query(causes, evidence=e, joint=False, show_progress=False)

    def pg_soft(e):
        return ve.query(causes, evidence=e[0], virtual_evidence=e[1], joint=False, show_progress=False)

    rows = [row("pgmpy VariableElimination (virtual)", *paired(pg_hard, pg_soft, list(zip(hard_ev, soft_ev)), repeat))]
    agree = {"pgmpy": max(abs(twitchnet.diagnose(ev, model=model)[c].probability - res[c].get_value(**{c: "True"}))
                          for ev, e in zip(twins, soft_ev) for res in [pg_soft(e)] for c in causes)}
    try:
        import pyagrum as gum
    except ImportError:
        return rows, agree
    bn = model.to_pyagrum()

    def ag(hard, soft):
        ie = gum.LazyPropagation(bn)
        ie.setEvidence(hard)
        for f, r in soft.items():
            ie.addEvidence(f, [1.0, r])
        ie.makeInference()
        return {c: ie.posterior(c)[1] for c in causes}

    ag_soft = [(model.to_pgmpy_evidence(h), s) for h, s in parts]
    rows.append(row("pyAgrum LazyPropagation (soft)", *paired(lambda e: ag(e, {}), lambda e: ag(*e), list(zip(hard_ev, ag_soft)), repeat)))
    agree["pyAgrum"] = max(abs(twitchnet.diagnose(ev, model=model)[c].probability - got[c])
                           for ev, e in zip(twins, ag_soft) for got in [ag(*e)] for c in causes)
    return rows, agree


if __name__ == "__main__":
    main()
