"""One Quickscore run: the present findings split into connected components, each summed on the
cheapest path that meets the tolerance, the results combined in log space.

Part of :mod:`twitchnet.engine.quickscore` (its docstring has the mathematics and the numerics).
"""

from __future__ import annotations

import numpy as np

from twitchnet import _validation as v
from twitchnet.engine.quickscore.doubles import _WIDE
from twitchnet.engine.quickscore.sums import TOLERANCE, _dd_sums, _exact_sums
from twitchnet.errors import EngineLimitError
from twitchnet.limits import MAX_EXACT_FALLBACK_TERMS, MAX_QUICKSCORE_POSITIVES


def _check_positives(n_pos):
    if n_pos > MAX_QUICKSCORE_POSITIVES:
        raise v.fail(
            EngineLimitError, "engine",
            f"at most {MAX_QUICKSCORE_POSITIVES} present findings for engine 'quickscore' (its exact sum runs over "
            f"the 2**present subsets; twitchnet.limits.MAX_QUICKSCORE_POSITIVES)",
            f"{n_pos} present findings",
        )


def _combine(qp, log_z0, rho, pi, positive, exact=False, n_q=1, split=False, keep=None):
    """The masses of ``n_q`` queries sharing the present findings, from their stacked weights.

    ``log_z0``, ``rho``, ``pi`` (from :func:`_weights`) hold ``n_q`` blocks of the same number of
    contexts, one block per query (queries differ in their absent findings only), so one pass of
    :func:`_dd_sums` serves them all; each query's precision is checked on its own block.

    Parameters
    ----------
    split : bool, default=False
        Also return, for each present finding ``f`` and each of its causes ``c``,
        ``log P(c present, e without f)`` and ``log P(c present, e with f absent instead)``
        (the counterfactuals' masses), read off the same inclusion-exclusion sum: the subsets
        without ``f``, and (negated) those with it. Only for ``n_q == 1``.
    keep : dict, optional
        Present finding -> bool per query: the queries' own present findings (each sums over
        the subsets of its own, :func:`_signed_leaks`). Default: all of ``positive`` for all.

    Returns
    -------
    log_evidence : ndarray of shape (n_q,)
    log_present, log_absent : ndarray of shape (n_q, C)
    path : {"double-double", "exact"}
    split : dict or None
        Present finding -> ``(causes, log_without, log_off)`` when ``split``.

    Returns None instead when ``n_q > 1`` or ``split`` and double-double cannot promise the
    tolerance for some query (the caller then runs each query alone through :func:`masses`).
    """
    _check_positives(len(positive))
    n_c = qp.n_causes
    # Present findings with no cause in common are independent given the context: each connected
    # component is summed on its own (2**|A| terms, and only its own cancellation), and
    # P(F+ | k) is the product over the components. Everything per context in log space.
    paths = set()
    cf_parts = []
    with np.errstate(divide="ignore"):
        lz = np.zeros(log_z0.size)
        l1, l0 = np.log(pi), np.log(rho)  # causes with no present child: their prior share
        parts = []
        for comp in _components(qp, positive):
            out = None if exact else _dd_sums(qp, comp, rho, pi, n_q=n_q, split=split, keep=keep)
            if out is None and not exact and _WIDE:  # cancels beyond double-double: the same sums, wider
                out = _dd_sums(qp, comp, rho, pi, n_q=n_q, split=split, keep=keep, wide=True)
            if out is None:
                if n_q > 1 or split or keep is not None:
                    return None
                n_terms = (1 << len(comp)) * len(np.unique(np.concatenate([qp.parents[f] for f in comp])))
                if n_terms > MAX_EXACT_FALLBACK_TERMS and not exact:
                    raise v.fail(
                        EngineLimitError, "engine",
                        f"a case whose inclusion-exclusion sum double-double arithmetic keeps to a relative {TOLERANCE} "
                        f"(it cancels more digits here), or one small enough for the exact rational fallback "
                        f"(at most {MAX_EXACT_FALLBACK_TERMS} subsets x causes involved; twitchnet.limits.MAX_EXACT_FALLBACK_TERMS)",
                        f"{len(comp)} connected present findings with {n_terms} terms",
                    )
                log_z, log_m1, log_m0 = _exact_sums(qp, comp, rho, pi)  # logs: no underflow to 0
                paths.add("exact")
            else:
                log_z, log_m1, log_m0 = (np.log(x) for x in out[:3])
                paths.add("double-double")
                if split:
                    cf_parts.append((log_z, out[3]))
            rel = np.unique(np.concatenate([qp.parents[f] for f in comp]))
            with np.errstate(invalid="ignore"):  # a context where this component is impossible adds nothing
                live = np.isfinite(log_z)[:, None]
                parts.append((log_z, rel, np.where(live, log_m1[:, rel] - log_z[:, None], -np.inf),
                              np.where(live, log_m0[:, rel] - log_z[:, None], -np.inf)))
        for log_z, rel, r1, r0 in parts:
            lz = lz + log_z
            l1[:, rel], l0[:, rel] = r1, r0  # P(c, F+_A | k) / P(F+_A | k)
        lz = (log_z0 + lz).reshape(n_q, -1)
        lev = _lse(lz, axis=1)
        l1 = _lse(lz[:, :, None] + l1.reshape(n_q, lz.shape[1], n_c), axis=1)
        l0 = _lse(lz[:, :, None] + l0.reshape(n_q, lz.shape[1], n_c), axis=1)
        cf = _split_masses(lz[0], cf_parts) if split else None
    return lev, l1, l0, "exact" if exact or "exact" in paths else "double-double", cf


def _split_masses(lz, cf_parts):
    """Per present finding, its causes' counterfactual masses in log space (see :func:`_combine`)."""
    cf = {}
    for log_z, (causes_of, without, off) in cf_parts:
        with np.errstate(divide="ignore", invalid="ignore"):
            live = np.isfinite(log_z)[:, None]
            base = lz[:, None]
            for f, (idx, cs) in causes_of.items():
                w = np.where(live, np.log(without[:, idx[0], idx[1]]) - log_z[:, None], -np.inf)
                o = np.where(live, np.log(off[:, idx[0], idx[1]]) - log_z[:, None], -np.inf)
                cf[f] = (cs, _lse(base + w, axis=0), _lse(base + o, axis=0))
    return cf


def _components(qp, positive):
    """The present findings in groups connected by shared causes (union-find), in order."""
    parent = list(range(len(positive)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first = {}
    for i, f in enumerate(positive):
        for c in qp.parents[f].tolist():
            j = first.setdefault(c, i)
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    comps = {}
    for i, f in enumerate(positive):
        comps.setdefault(find(i), []).append(f)
    return list(comps.values())


def _lse(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return np.squeeze(np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m, axis=axis)
