"""A model's Quickscore plan (links, leaks, parents) and one case's masses: each cause's weights with
the absent findings folded in, then the present findings' sum.

Part of :mod:`twitchnet.engine.quickscore` (its docstring has the mathematics and the numerics).
"""

from __future__ import annotations

import math

import numpy as np

from twitchnet._memo import memo
from twitchnet.engine.quickscore.combine import _check_positives, _combine, _lse


class QuickscorePlan:
    """Quickscore's view of a model: the shared risk-factor tables and each finding's links.

    Parameters
    ----------
    model : twitchnet.DiagnosticModel

    Attributes
    ----------
    tables : twitchnet.model.tables.FactorTables
    parents : tuple of ndarray of int
        Per finding, its causes.
    p : tuple of ndarray of float
        Per finding, the link probabilities ``p_cf`` (same order).
    log_keep : tuple of ndarray
        ``log(1 - p_cf)``.
    leak : ndarray of shape (F,)
    """

    def __init__(self, model):
        self.tables = model.factor_tables
        self.n_causes = len(model.cause_ids)
        index = {c: i for i, c in enumerate(model.cause_ids)}
        parents, p = [], []
        for f in model.kb.findings:
            parents.append(np.array([index[link.cause] for link in f.links], dtype=np.int64))
            p.append(np.array([link.p.value for link in f.links]))
        self.parents, self.p = tuple(parents), tuple(p)
        self.log_keep = tuple(np.log1p(-x) for x in p)
        self.leak = np.array([f.leak.value for f in model.kb.findings])
        self.log_leak_off = np.log1p(-self.leak)


def plan_of(model):
    """The model's :class:`QuickscorePlan`, built on first use and kept beside it."""
    return memo(model, "quickscore", lambda: QuickscorePlan(model))


def _weights(qp, codes, negative, absent=()):
    """Per live context: log of its constant, and each cause's normalised (absent, present) pair.

    ``absent``: causes held absent (their present weight set to 0), so that the masses are those
    of the evidence joint with every one of them absent (cause groups, :func:`group_masses`).
    """
    t = qp.tables
    w = t.ctx_w[codes[-1]]
    pair = t.q_all[np.asarray(codes[:-1], dtype=np.int64) + t.q_offset]  # (C, K, 2)
    a, b = pair[:, :, 0].T, pair[:, :, 1].T  # (K, C)
    if len(absent):
        b = b.copy()
        b[:, list(absent)] = 0.0
    const = 0.0
    if len(negative):
        lk = np.zeros(qp.n_causes)
        for f in negative:
            lk[qp.parents[f]] += qp.log_keep[f]
        b = b * np.exp(lk)
        const = float(sum(qp.log_leak_off[f] for f in negative))
    tot = a + b
    live = np.flatnonzero((w > 0) & (tot > 0).all(axis=1))
    a, b, tot = a[live], b[live], tot[live]
    with np.errstate(divide="ignore"):
        log_z0 = np.log(w[live]) + np.log(tot).sum(axis=1) + const
    return log_z0, a / tot, b / tot


def masses(qp, codes, negative, positive, exact=False, soft=(), absent=()):
    """Exact masses of one case.

    Soft findings (``soft``: ``(finding, likelihood ratio)`` pairs) multiply each cause state by
    ``P(f absent | s) + r P(f present | s)``, a combination with non-negative weights of the
    finding unknown and the finding present (or absent) (:func:`twitchnet.engine.soft_terms`):
    the masses are the same combination of the hard cases' masses, ``2**len(soft)`` Quickscore
    runs summed in log space, with no cancellation between them.

    Parameters
    ----------
    qp : QuickscorePlan
    codes : sequence of int
        Each cause's risk-factor pattern code, then the context's (``Encoded.codes``).
    negative, positive : sequence of int
        Indices of the findings observed absent and present.
    exact : bool, default=False
        Compute in exact rational arithmetic (the fallback, and the tests' oracle).
    absent : sequence of int, default=()
        Causes held absent: every mass is then joint with all of them absent (``log_evidence``
        is ``log P(e, those causes absent)``), their prior's present weight set to 0.

    Returns
    -------
    log_evidence : float
        ``log P(e)``; ``-inf`` for impossible evidence.
    log_present, log_absent : ndarray of shape (C,)
        ``log P(c present, e)`` and ``log P(c absent, e)``.
    path : {"double-double", "exact"}
    """
    if soft:
        return _soft_masses(qp, codes, negative, positive, exact, soft, absent)
    _check_positives(len(positive))
    log_z0, rho, pi = _weights(qp, codes, negative, absent)
    if log_z0.size == 0:
        return -math.inf, np.full(qp.n_causes, -np.inf), np.full(qp.n_causes, -np.inf), "double-double"
    lev, l1, l0, path, _ = _combine(qp, log_z0, rho, pi, positive, exact=exact)
    return float(lev[0]), l1[0], l0[0], path


def _soft_masses(qp, codes, negative, positive, exact, soft, absent=()):
    """:func:`masses` with soft findings: the weighted sum of the hard cases' masses."""
    import itertools

    from twitchnet.engine import soft_terms

    levs, l1s, l0s, paths = [], [], [], set()
    for combo in itertools.product(*(soft_terms(r) for _, r in soft)):
        neg, pos, log_w = list(negative), list(positive), 0.0
        for (f, _), (w, val) in zip(soft, combo):
            log_w += math.log(w)
            if val == 1:
                pos.append(f)
            elif val == 0:
                neg.append(f)
        lev, l1, l0, path = masses(qp, codes, sorted(neg), sorted(pos), exact=exact, absent=absent)
        levs.append(log_w + lev)
        l1s.append(log_w + l1)
        l0s.append(log_w + l0)
        paths.add(path)
    with np.errstate(divide="ignore", invalid="ignore"):
        lev = float(_lse(np.array(levs), axis=0))
        l1, l0 = _lse(np.array(l1s), axis=0), _lse(np.array(l0s), axis=0)
    return lev, l1, l0, "exact" if "exact" in paths else "double-double"
