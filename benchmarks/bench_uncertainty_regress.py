"""Regression dump for issue 23: uncertainty, rests_on, sensitivity and the compiled tables.

Dumps, for 20 fixed cases on the default model and 20 on a 6-cause synthetic network, the
uncertainty draws' posteriors (fixed seeds), the exact derivatives ``rests_on`` reads, the
sensitivity rows over a few cases, and the model's compiled arrays (``model.arrays``,
``model.factors``, ``model.factor_tables``), to an ``.npz`` file; ``--compare PATH`` compares a new
dump with an old one and prints the largest difference per entry (the issue's "unchanged" criterion
is 1e-12). Not a test: a script to run before and after a change.

Usage::

    python benchmarks/bench_uncertainty_regress.py --out /tmp/before.npz
    python benchmarks/bench_uncertainty_regress.py --out /tmp/after.npz --compare /tmp/before.npz
"""

from __future__ import annotations

import argparse
import json
import zlib

import numpy as np

import twitchnet
from twitchnet import synthetic
from twitchnet.explain import uncertainty as U


def _cases(model, n, seed):
    frame = model.simulate(n, seed=seed)
    out = []
    for _, row in frame.iterrows():
        ev = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items() if not (v is None or (isinstance(v, float) and v != v))}
        out.append(ev)
    return out


def _arrays(prefix, model, dump):
    arr = model.arrays
    for name in ("states", "ctx_vars", "ctx_states", "log_ctx_prior", "log_f1", "log_f0", "b0", "a0", "w_all", "cf_links"):
        dump[f"{prefix}arrays.{name}"] = np.asarray(getattr(arr, name), dtype=float)
    for c, (w0, w1) in enumerate(arr.priv_weight):
        dump[f"{prefix}arrays.priv_weight.{c}.0"] = w0
        dump[f"{prefix}arrays.priv_weight.{c}.1"] = w1
        dump[f"{prefix}arrays.priv_states.{c}"] = arr.priv_states[c].astype(float)
    f = model.factors
    dump[f"{prefix}factors.log_ctx_prior"] = f["log_ctx_prior"]
    for c, (w0, w1) in enumerate(f["priv_weight"]):
        dump[f"{prefix}factors.priv_weight.{c}"] = np.stack([w0, w1])
    t = model.factor_tables
    dump[f"{prefix}tables.q_all"] = t.q_all
    dump[f"{prefix}tables.ctx_w"] = t.ctx_w
    dump[f"{prefix}tables.codes"] = t.codes.astype(float)


def _features(prefix, model, cases, dump):
    for i, ev in enumerate(cases):
        try:
            d = twitchnet.diagnose(ev, model=model)
        except twitchnet.errors.TwitchnetError as exc:
            dump[f"{prefix}case{i}.error"] = np.array([zlib.crc32(type(exc).__name__.encode())], dtype=float)
            continue
        dump[f"{prefix}case{i}.posterior"] = np.array([r.probability for r in d.ranking])
        if not d.ranking:
            continue
        u = d.uncertainty(draws=300, seed=i)
        dump[f"{prefix}case{i}.samples"] = np.asarray(u.samples)
        dump[f"{prefix}case{i}.summary"] = np.array([[c.median, c.low, c.high, c.p_first, c.p_top3] for c in u.causes + u.groups])
        if u.group_samples is not None:
            dump[f"{prefix}case{i}.group_samples"] = np.asarray(u.group_samples)
        dump[f"{prefix}case{i}.derivatives"] = U.derivatives(model, d.evidence, groups=True)
        try:
            dump[f"{prefix}case{i}.rests_on"] = np.array([[r.derivative, r.effect] for r in d.rests_on(k=None)])
        except twitchnet.errors.EngineLimitError:
            dump[f"{prefix}case{i}.rests_on_refused"] = np.ones(1)
    theta = U.draw_numbers(model, 50, seed=7)
    dump[f"{prefix}draw_numbers"] = theta
    if cases:
        dump[f"{prefix}posterior_draws"] = U.posterior_draws(model, cases[0], theta)
    s = twitchnet.sensitivity(model, cases=200, seed=3)
    dump[f"{prefix}sensitivity"] = np.array([[r.value, r.low, r.high, r.changed_low, r.changed_high, r.changed] for r in s.rows])
    dump[f"{prefix}sensitivity.order"] = np.array([zlib.crc32(r.where.encode()) for r in s.rows], dtype=float)
    dump[f"{prefix}moved_posterior"] = U.moved_posterior(model, 5, model.kb.causes[0].baseline.high, cases[:10])



def dump_all():
    dump = {}
    model = twitchnet.load_model()
    _arrays("default.", model, dump)
    _features("default.", model, _cases(model, 20, 11), dump)
    net = synthetic.with_ranges(synthetic.network(causes=6, findings=14, seed=5))
    _arrays("syn6.", net, dump)
    _features("syn6.", net, _cases(net, 20, 12), dump)
    return dump


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--compare", metavar="OLD")
    ap.add_argument("--json", metavar="PATH")
    args = ap.parse_args()
    dump = dump_all()
    np.savez(args.out, **dump)
    print(f"{len(dump)} arrays written to {args.out}")
    if not args.compare:
        return
    old = dict(np.load(args.compare))
    worst, rows = 0.0, []
    for key in sorted(set(old) | set(dump)):
        if key not in old or key not in dump:
            rows.append((key, "missing in " + ("old" if key not in old else "new")))
            worst = float("inf")
            continue
        a, b = old[key], dump[key]
        if a.shape != b.shape:
            rows.append((key, f"shape {a.shape} -> {b.shape}"))
            worst = float("inf")
            continue
        same_inf = (a == b)
        diff = float(np.max(np.where(same_inf, 0.0, np.abs(a - b)), initial=0.0))
        if diff > 0:
            rows.append((key, f"{diff:.3e}"))
        worst = max(worst, diff if np.isfinite(diff) else float("inf"))
    for key, msg in rows:
        print(f"  {key:<50} {msg}")
    print(f"largest difference over {len(old)} arrays: {worst:.3e} ({'unchanged to 1e-12' if worst <= 1e-12 else 'CHANGED'})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"max_diff": worst, "differences": rows}, f, indent=2)


if __name__ == "__main__":
    main()
