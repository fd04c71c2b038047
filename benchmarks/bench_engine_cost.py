"""Measure what one explained case costs each exact engine, to calibrate ``engine="auto"``.

Usage::

    python benchmarks/bench_engine_cost.py            # about 2 minutes
    python benchmarks/bench_engine_cost.py --quick
    python benchmarks/bench_engine_cost.py --json benchmarks/results/engine_cost.json

For synthetic networks (:func:`twitchnet.synthetic.network`, 8 contexts) of 6 to 13 causes (enumeration's limit) and for
the packaged model, times ``Engine.explain`` (what ``diagnose`` runs: the sequential explanation
and the counterfactuals) of the enumeration engine (the C kernel, or the reference engine under
``TWITCHNET_NO_KERNEL=1``) and of Quickscore, on cases with a given number of observed findings of
which a given number are present; context known (one live context) or unknown (all live). Prints
one line per configuration (median over cases of the best of three runs) and a least-squares fit of
the cost model of :func:`twitchnet.engine.choose`:

* enumeration: ``t = e0 + e1 * 2**C * (K + m + 2 p)``
* Quickscore: ``t = (m + 1 + 2 p) * (q0 + q1 * [p > 0] + q2 * K * 2**p * (p + 1))``

with ``C`` causes, ``K`` contexts, ``m`` observed findings of which ``p`` present.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np

import twitchnet
from twitchnet import engine as engines
from twitchnet import synthetic


def best(fn, repeat=3):
    out = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t)
    return out


def cases(model, n_obs, n_pos, known_context, n, rng):
    ids = list(model.finding_ids)
    out = []
    for _ in range(n):
        pick = rng.choice(len(ids), size=min(n_obs, len(ids)), replace=False)
        ev = {ids[j]: bool(i < n_pos) for i, j in enumerate(pick)}
        if known_context:
            ev["age"], ev["sex"] = 45, "female"
        out.append(ev)
    return out


def measure(model, n_obs, n_pos, known_context, n, rng):
    enum = engines.get("enumeration", model)
    qs = engines.get("quickscore")
    t_e, t_q = [], []
    for ev in cases(model, n_obs, n_pos, known_context, n, rng):
        enc = model.encode(ev)
        t_e.append(best(lambda: enum.explain(model, enc)))
        t_q.append(best(lambda: qs.explain(model, enc)))
    return enum.name, statistics.median(t_e), statistics.median(t_q)


def fit(rows):
    """Least squares, in relative error, of the two cost models of :func:`twitchnet.engine.cost`."""
    g = {k: np.array([r[k] for r in rows], dtype=float) for k in ("causes", "contexts", "observed", "present", "enumeration_s", "quickscore_s")}
    c, k, m, p, te, tq = (g[x] for x in ("causes", "contexts", "observed", "present", "enumeration_s", "quickscore_s"))
    runs = m + 1 + 2 * p
    a = np.stack([np.ones_like(te), 2**c * (k + m + 2 * p)], axis=1)
    e = np.linalg.lstsq(a / te[:, None], np.ones_like(te), rcond=None)[0]
    b = np.stack([runs, runs * (p > 0), runs * k * 2**p * (p + 1)], axis=1)
    q = np.linalg.lstsq(b / tq[:, None], np.ones_like(tq), rcond=None)[0]
    agree = int((((a @ e) <= (b @ q)) == (te <= tq)).sum())
    return e, q, agree


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--json", metavar="PATH")
    args = p.parse_args(argv)
    rng = np.random.default_rng(7)
    n = 3 if args.quick else 5
    sizes = (6, 10, 13) if args.quick else (6, 8, 10, 11, 12, 13)  # 13 causes x 8 contexts: enumeration's limit
    grid = [(4, 0), (4, 2), (12, 0), (12, 3), (12, 6), (24, 0), (24, 2), (24, 4)]
    models = [(f"synthetic {c} causes", synthetic.network(causes=c, findings=40, parents_per_finding=(1, 4), seed=c)) for c in sizes]
    models.append(("packaged", twitchnet.load_model()))
    rows = []
    print(f"{'model':<22} {'K':>3} {'known':>5} {'obs':>4} {'pos':>4} {'enumeration':>12} {'quickscore':>12}")
    for label, model in models:
        for known in (False, True):
            for n_obs, n_pos in grid:
                if n_obs > len(model.finding_ids):
                    continue
                name, t_e, t_q = measure(model, n_obs, n_pos, known, n, rng)
                rows.append({"model": label, "engine": name, "causes": len(model.cause_ids), "contexts": model.n_contexts, "known_context": known,
                             "observed": n_obs, "present": n_pos, "enumeration_s": t_e, "quickscore_s": t_q})
                print(f"{label:<22} {model.n_contexts:>3} {known!s:>5} {n_obs:>4} {n_pos:>4} {t_e * 1e6:>9.0f} us {t_q * 1e6:>9.0f} us")
    e, q, agree = fit(rows)
    print(f"\nenumeration ({rows[0]['engine']}): t = {e[0] * 1e6:.2f} us + {e[1] * 1e6:.5f} us * 2**C * (K + m + 2p)")
    print(f"quickscore: t = (m + 1 + 2p) * ({q[0] * 1e6:.1f} us + {q[1] * 1e6:.1f} us * [p > 0] + {q[2] * 1e6:.3f} us * K * 2**p * (p + 1))")
    print(f"the fitted rule picks the measured faster engine in {agree} of {len(rows)} configurations")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"rows": rows, "enumeration": e.tolist(), "quickscore": q.tolist()}, fh, indent=2)


if __name__ == "__main__":
    main()
