"""Benchmark: next best question and counterfactual rankings on the default model.

Usage::

    python benchmarks/bench_questions.py [--cases N] [--json PATH]

Prints, as medians over the same seeded random cases (about a third of all ids known):
``next_questions`` over every unasked id (exact information gain, findings and risk factors),
``next_tests`` over every test not yet done (which also lists the unasked red-flag questions), the
posterior alone (engine, one case), the counterfactual rankings alone (given the joint posterior),
and the added cost of counterfactuals relative to the posterior.
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
from twitchnet.engine.counterfactual import counterfactuals
from twitchnet.engine.reference import log_joint, logsumexp, posterior_log_odds
from twitchnet.explain.questions import next_questions
from twitchnet.explain.workup import next_tests

sys.path.insert(0, str(Path(__file__).parent))
from bench_inference import random_cases  # noqa: E402


def median_time(fn, cases, repeat=3):
    out = []
    for ev in cases:
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            fn(ev)
            best = min(best, time.perf_counter() - t)
        out.append(best)
    return statistics.median(out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=100)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", metavar="PATH")
    args = p.parse_args(argv)
    model = twitchnet.load_model()
    rng = np.random.default_rng(args.seed)
    cases = [{k: v for k, v in ev.items() if rng.random() < 0.6} for ev in random_cases(model, args.cases, args.seed)]
    arr = model.arrays
    encs = {id(ev): model.encode(ev) for ev in cases}

    def posterior(ev):
        e = encs[id(ev)]
        return posterior_log_odds(arr, e.rf_state[None], e.finding_state[None])

    def cf(ev):
        e = encs[id(ev)]
        _, lj = log_joint(arr, e.rf_state[None], e.finding_state[None])
        post = np.exp(lj[0] - logsumexp(lj[0], axis=0))
        return counterfactuals(arr, post, np.flatnonzero(e.finding_state == 1))

    e0 = encs[id(cases[0])]
    _, lj0 = log_joint(arr, e0.rf_state[None], e0.finding_state[None])
    post0 = np.exp(lj0[0] - logsumexp(lj0[0], axis=0))
    pos0 = np.flatnonzero(e0.finding_state == 1)

    t_nq = median_time(lambda ev: next_questions(model, ev, k=None), cases)
    t_nt = median_time(lambda ev: next_tests(model, ev, k=None), cases)
    t_post = median_time(posterior, cases)
    t_cf_only = median_time(lambda ev: counterfactuals(arr, post0, pos0), cases)
    t_cf_with_joint = median_time(cf, cases)
    rows = {
        "next_questions (every unasked id)": t_nq,
        "next_tests (every test, red flags listed)": t_nt,
        "posterior alone (engine, one case)": t_post,
        "counterfactual rankings alone": t_cf_only,
        "joint posterior + counterfactuals": t_cf_with_joint,
    }
    print(f"{len(cases)} cases, seed {args.seed}")
    for k, v in rows.items():
        print(f"{k:<40} {v * 1e3:>9.3f} ms")
    print(f"{'counterfactuals / posterior':<40} {t_cf_only / t_post:>9.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"seconds": rows, "cf_over_posterior": t_cf_only / t_post}, indent=2))


if __name__ == "__main__":
    main()
