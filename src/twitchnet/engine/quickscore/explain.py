"""The explanation: each observed finding's step in every cause's log-odds, by runs that share their
sums (rows with nested present sets stacked), computed when first read.

Part of :mod:`twitchnet.engine.quickscore` (its docstring has the mathematics and the numerics).
"""

from __future__ import annotations

import math

import numpy as np

from twitchnet.engine import Explained
from twitchnet.engine.quickscore.combine import _combine
from twitchnet.engine.quickscore.plan import _weights, masses, plan_of


def _explain(model, codes, observed, values, exact=False, soft=None, shared=True, lazy=False):
    """One case with its sequential explanation and counterfactuals, by Quickscore.

    The contract of :meth:`twitchnet.engine.Engine.explain`: row 0 of the explanation holds the risk
    factors only, and each observed finding is added in knowledge-base order. The
    counterfactuals (expected disablement and sufficiency, :mod:`twitchnet.engine.counterfactual`):
    ``suff_k = sum_f p_kf P(k, e without f) / P(e)`` and
    ``dis_k = sum_f p_kf / (1 - p_kf) P(k, e with f absent instead) / P(e)``. Written as one
    Quickscore run per observed finding and two per present finding (``shared=False``); by
    default the runs share their work (:func:`_explain_shared`), to the same numbers.

    Parameters
    ----------
    model : DiagnosticModel
    codes : sequence of int
    observed : sequence of int
        Observed finding indices, in knowledge-base order.
    values : sequence of bool
        Their values.
    exact : bool, default=False
    soft : dict, optional
        Finding index -> likelihood ratio, for the observed findings given as soft evidence
        (their ``values`` are ignored).
    shared : bool, default=True
        Share the work between the runs (:func:`_explain_shared`; hard evidence only). False
        runs them one by one: the tests' oracle.
    lazy : bool, default=False
        With ``shared``, the steps as a :class:`Steps` computed when first read (the engine's
        :meth:`QuickscoreEngine.explain` sets it: :func:`twitchnet.diagnose` reads them only when
        a contribution is read).

    Returns
    -------
    Explained
    """
    from twitchnet.engine.reference import explained_from_log_odds

    qp = plan_of(model)
    if shared and not exact and not soft:
        fast = _explain_shared(qp, codes, observed, values, lazy=lazy)
        if isinstance(fast, str):
            return Explained.impossible()
        if fast is not None:
            return fast
    neg, pos, sft = [], [], []
    rows = []
    lev = None
    for j in range(len(observed) + 1):
        if j:
            value = values[j - 1]
            if soft is not None and soft.get(observed[j - 1]) is not None:
                sft.append((observed[j - 1], soft[observed[j - 1]]))
            else:
                (pos if value else neg).append(observed[j - 1])
        lev, l1, l0, _ = masses(qp, codes, neg, pos, exact=exact, soft=sft)
        if not lev > -math.inf:
            return Explained.impossible()
        rows.append(l1 - l0)
    post = np.array(rows)
    n_c = qp.n_causes
    dis, suff = np.zeros(n_c), np.zeros(n_c)
    for f in pos:
        others = [g for g in pos if g != f]
        _, l1_without, _, _ = masses(qp, codes, neg, others, exact=exact, soft=sft)
        _, l1_off, _, _ = masses(qp, codes, sorted(neg + [f]), others, exact=exact, soft=sft)
        c = qp.parents[f]
        p = qp.p[f]
        suff[c] += p * np.exp(l1_without[c] - lev)
        dis[c] += p / (1.0 - p) * np.exp(l1_off[c] - lev)
    return explained_from_log_odds(lev, post, dis, suff)


def _explain_shared(qp, codes, observed, values, lazy=False):
    """:func:`_explain` with the work shared between its runs; None to run them one by one.

    The counterfactuals' ``2 |F+|`` runs are read off the full evidence's own sum (``split``).
    The explanation's rows (each a prefix of the observed findings) run in a few stacked sums
    (:func:`_chunks`, :func:`_stacked`), each row's masses by the same arithmetic as its own
    Quickscore run; a block double-double cannot promise to the tolerance runs row by row through
    :func:`masses` (with its exact fallback).

    Parameters
    ----------
    lazy : bool, default=False
        Leave the rows between the first (risk factors only) and the last (all the evidence) to
        be computed when the steps are first read (:class:`Steps`): a diagnosis pays for its
        posterior and counterfactuals, and for the explanation only when it is looked at.

    Returns
    -------
    Explained or "impossible" or None
    """
    rows = []
    neg, pos = [], []
    for j in range(len(observed) + 1):
        if j:
            (pos if values[j - 1] else neg).append(observed[j - 1])
        rows.append((tuple(neg), tuple(pos)))
    log_z0, rho, pi = _weights(qp, codes, list(neg))
    if log_z0.size == 0:
        return "impossible"
    full = _combine(qp, log_z0, rho, pi, list(pos), split=True)
    if full is None:
        return None
    lev, l1, l0, _, cf = full
    lev = float(lev[0])
    if not lev > -math.inf:
        return "impossible"
    with np.errstate(invalid="ignore"):
        last = l1[0] - l0[0]
    first = _stacked(qp, codes, rows[:1])[0][1] if len(rows) > 1 else last
    n_c = qp.n_causes
    dis, suff = np.zeros(n_c), np.zeros(n_c)
    for f in pos:
        c, l1_without, l1_off = cf[f]
        p = _link_p(qp, f, c)
        np.add.at(suff, c, p * np.exp(l1_without - lev))
        np.add.at(dis, c, p / (1.0 - p) * np.exp(l1_off - lev))
    steps = Steps(qp, codes, rows, first, last)
    if not lazy:
        steps.row(0)
    from twitchnet.engine.reference import expit

    ends = np.array([first, last])
    prob = expit(ends)
    return Explained(lev, ends[0].tolist(), ends[1].tolist(), prob[0].tolist(), prob[1].tolist(), steps,
                     dis.tolist(), suff.tolist())


class Steps:
    """The explanation's steps of every cause, computed when first read.

    Behaves as the list of per-cause lists of :class:`~twitchnet.engine.Explained` ``steps``
    (``len``, indexing, iteration); :meth:`row` is what :func:`twitchnet.diagnose` calls. The
    rows between the first and the last run in stacked sums (:func:`_chunks`); reading computes
    them all, once.
    """

    def __init__(self, qp, codes, rows, first, last):
        self._args = (qp, codes, rows, first, last)
        self._diff = None

    def _matrix(self):
        if self._diff is None:
            qp, codes, rows, first, last = self._args
            post = np.empty((len(rows), qp.n_causes))
            post[0], post[-1] = first, last
            mid = rows[1:-1]
            for js in _chunks([len(p) for _, p in mid], len(rows[-1][1])):
                for j, (_, d) in zip(js, _stacked(qp, codes, [mid[j] for j in js])):
                    post[j + 1] = d
            self._diff = np.diff(post, axis=0).T
        return self._diff

    def row(self, c):
        """Cause ``c``'s steps, as a list of floats."""
        return self._matrix()[c].tolist()

    def __len__(self):
        return self._args[0].n_causes

    def __getitem__(self, c):
        return self._matrix()[c].tolist()

    def __iter__(self):
        return iter(self._matrix().tolist())


def _link_p(qp, f, causes):
    """The link probabilities ``p_cf`` of finding ``f`` for ``causes``."""
    where = {c: i for i, c in enumerate(qp.parents[f].tolist())}
    return qp.p[f][[where[c] for c in causes.tolist()]]


def _chunks(sizes, n_pos):
    """The explanation's rows (by their number of present findings, which never decreases) in
    runs of consecutive rows whose stacked sum costs at most one run of the full evidence: rows
    times ``2**(largest present set)`` at most ``2**n_pos``.
    """
    chunks, cur = [], []
    for j, k in enumerate(sizes):
        if cur and (len(cur) + 1) << k > 1 << n_pos and k > sizes[cur[-1]]:
            chunks.append(cur)
            cur = []
        cur.append(j)
    return chunks + [cur] if cur else chunks


def _stacked(qp, codes, rows):
    """``[(log P(e), log-odds)]`` for rows ``(absent, present)`` whose present sets are nested
    (each holds the ones before): one stacked :func:`_combine` over the largest present set, each
    row keeping its own (:func:`_signed_leaks`), or one :func:`masses` per row when the blocks
    differ in live contexts or double-double cannot promise the tolerance for one of them.
    """
    positive = list(rows[-1][1])
    ws = [_weights(qp, codes, list(n)) for n, _ in rows]
    if len({w[0].size for w in ws}) == 1 and ws[0][0].size:
        keep = {f: np.array([f in p for _, p in rows]) for f in positive}
        out = _combine(qp, np.concatenate([w[0] for w in ws]), np.concatenate([w[1] for w in ws]),
                       np.concatenate([w[2] for w in ws]), positive, n_q=len(ws), keep=keep)
        if out is not None:
            lev, l1, l0, _, _ = out
            with np.errstate(invalid="ignore"):
                return list(zip(lev.tolist(), l1 - l0))
    res = []
    for n, p in rows:
        lev, l1, l0, _ = masses(qp, codes, list(n), list(p))
        with np.errstate(invalid="ignore"):
            res.append((lev, l1 - l0))
    return res
