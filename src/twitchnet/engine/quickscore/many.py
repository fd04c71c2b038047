"""One case under many parameter vectors (uncertainty draws, sensitivity): each vector's weights,
links and leaks in a plan of its own, through the same sums.

Part of :mod:`twitchnet.engine.quickscore` (its docstring has the mathematics and the numerics).
"""

from __future__ import annotations

import math

import numpy as np

from twitchnet.engine.quickscore.combine import _lse
from twitchnet.engine.quickscore.plan import masses, plan_of
from twitchnet.limits import MAX_QUICKSCORE_POSITIVES


class _SetTables:
    """One parameter set's risk-factor weights for one case, laid out as
    :class:`~twitchnet.model.tables.FactorTables` (one pattern per cause, at code 0; one context row).
    """

    def __init__(self, w, pair):
        self.ctx_w = w[None, :]  # (1, K)
        self.q_all = pair  # (C, K, 2)
        self.q_offset = np.arange(pair.shape[0], dtype=np.int64)


class _SetPlan:
    """A :class:`QuickscorePlan` holding one parameter set's numbers: its weights for the case, and
    the links and leaks of the present findings (the only findings :func:`masses` then reads).
    """

    def __init__(self, qp, tables, p, leak):
        self.tables = tables
        self.n_causes = qp.n_causes
        self.parents = qp.parents
        self.p, self.leak = p, leak


def _set_weights(par, case, theta):
    """Every set's context weights (D, K) and per-cause ``(absent, present)`` weights (D, C, K, 2) for
    the case's risk factors, the absent findings folded into the present weights (as
    :func:`_weights` folds them), vectorised over the sets. Also the absent findings' ``log
    prod (1 - leak)`` (D,).
    """
    rf = np.asarray(case.rf_state, dtype=np.int64)
    fs = np.asarray(case.finding_state)
    t = par.compile(theta, findings=False)

    def agree(vars_, states):
        obs = rf[vars_] if vars_.size else np.zeros(0, dtype=np.int64)
        return ((obs[None, :] < 0) | (states == obs[None, :])).all(axis=1).astype(float)

    w = np.exp(t.log_ctx_prior) * agree(par.ctx_vars, par.ctx_states)
    pair = np.stack([np.stack([w0 @ m, w1 @ m], axis=-1)
                     for (w0, w1), m in zip(t.priv_weight, (agree(v_, s_) for v_, s_ in zip(par.priv_vars, par.priv_states)))], axis=1)
    th = par.ext(theta)
    neg = np.flatnonzero(fs == 0)
    pair[..., 1] *= np.exp(np.log1p(-th[:, par.link_pos[:, neg]]).sum(axis=-1))[..., None]
    return w, pair, np.log1p(-th[:, par.leak_pos[neg]]).sum(axis=-1)


def _set_group(sp, codes, positive, members, lev):
    """``P(at least one of members present | e)`` under one set: the chain of :func:`group_masses`."""
    terms = [masses(sp, codes, [], positive, absent=members[:i])[1][m] for i, m in enumerate(members)]
    with np.errstate(divide="ignore"):
        log_any = float(_lse(np.array(terms), axis=0)) if terms else -math.inf
    return 0.0 if not lev > -math.inf else float(min(1.0, np.exp(log_any - lev)))


def posterior_many(model, case, theta, groups=()):
    """One case under many parameter sets by Quickscore (see :meth:`twitchnet.engine.Engine.posterior_many`).

    The risk-factor weights and the absent findings of every set are computed at once (arrays
    with a leading set axis, from :meth:`twitchnet.model.parameters.Parameters.compile`); the sum
    over the present findings' subsets runs once per set, through :func:`masses` (its
    double-double sums, error bound and exact fallback unchanged).

    Parameters
    ----------
    model : DiagnosticModel
    case : Encoded
        Hard evidence.
    theta : ndarray of shape (D, P)
    groups : sequence of sequence of int, default=()

    Returns
    -------
    prob : ndarray of shape (D, C)
    group_prob : ndarray of shape (D, G)

    Raises
    ------
    EngineLimitError
        For more than ``limits.MAX_QUICKSCORE_POSITIVES`` present findings (before any work), or a
        set whose sums Quickscore cannot keep exact.
    """
    from twitchnet.model.parameters import parameters

    par = parameters(model)
    theta = par.check(theta).reshape(-1, par.n)
    qp = plan_of(model)
    positive = np.flatnonzero(np.asarray(case.finding_state) == 1).tolist()
    if len(positive) > MAX_QUICKSCORE_POSITIVES:
        masses(qp, list(case.codes), [], positive)  # raises the engine's own limit error
    w, pair, _ = _set_weights(par, case, theta)
    th = par.ext(theta)
    codes = [0] * (qp.n_causes + 1)
    prob = np.zeros((theta.shape[0], qp.n_causes))
    gprob = np.zeros((theta.shape[0], len(groups)))
    for d in range(theta.shape[0]):
        sp = _SetPlan(qp, _SetTables(w[d], pair[d]), {f: th[d, par.link_pos[qp.parents[f], f]] for f in positive},
                      {f: float(th[d, par.leak_pos[f]]) for f in positive})
        lev, l1, l0, _ = masses(sp, codes, [], positive)
        if lev > -math.inf:
            with np.errstate(over="ignore"):
                prob[d] = 1.0 / (1.0 + np.exp(l0 - l1))
        for j, members in enumerate(groups):
            gprob[d, j] = _set_group(sp, codes, positive, list(members), lev)
    return prob, gprob
