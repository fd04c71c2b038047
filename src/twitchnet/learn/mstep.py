"""The M-step: new numbers from the expected counts (closed forms, and Newton for the logistic priors)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from twitchnet.limits import MAX_ODDS_RATIO
from twitchnet.model.parameters import logistic_pair, logit

if TYPE_CHECKING:
    from twitchnet.learn.priors import Structure

_EPS = 1e-9  # fitted probabilities are kept in [_EPS, 1 - _EPS] (the loader needs (0, 1))
_LOG_OR_MAX = math.log(MAX_ODDS_RATIO)  # fitted log odds ratios and baseline logits: the loader's limits


class _Update:
    """The new vector and effective sample sizes being written by one M-step."""

    def __init__(self, st, theta):
        self.st, self.theta = st, theta
        self.new = np.array(theta, dtype=float)
        self.n_eff = np.zeros(theta.shape[0])

    def beta(self, i, hits, trials):
        """Number ``i`` (a probability) as the mode of its Beta posterior: ``hits`` out of ``trials``."""
        st = self.st
        self.n_eff[i] = float(trials)
        if st.fixed[i]:
            return
        a = st.lam * st.weight[i]
        if trials + a <= 0:
            return  # no data and no prior weight: keep
        self.new[i] = min(max((hits + a * st.center[i]) / (trials + a), _EPS), 1.0 - _EPS)


def m_step(st: Structure, theta: np.ndarray, stats: dict) -> tuple[np.ndarray, np.ndarray]:
    """New numbers from the expected counts of one E-step.

    Parameters
    ----------
    st : twitchnet.learn.priors.Structure
    theta : ndarray of shape (P,)
        The current numbers (:mod:`twitchnet.model.parameters` order).
    stats : dict
        The expected counts (:func:`twitchnet.learn.estep.suff_stats`).

    Returns
    -------
    new : ndarray of shape (P,)
    n_eff : ndarray of shape (P,)
        Effective sample size of every number (0 for the triage threshold).
    """
    up = _Update(st, theta)
    p = st.params
    for f_i in range(p.leak_pos.size):  # links and leaks
        up.beta(p.leak_pos[f_i], theta[p.leak_pos[f_i]] * stats["Lk"][f_i], stats["nobs"][f_i])
        for c in np.flatnonzero(p.link_pos[:, f_i] < p.n).tolist():
            i = p.link_pos[c, f_i]
            up.beta(i, theta[i] * stats["A"][f_i, c], stats["D"][f_i, c])
    for c in range(st.n_c):
        _cause_step(st, up, c, stats["cause"][c].reshape(-1, 2))
    _rf_step(st, stats, up)
    return up.new, up.n_eff


def _cause_step(st, up, c, e):
    """Cause ``c``'s logistic prior (baseline and log odds ratios) by Newton on its expected counts ``e`` (K * J, 2)."""
    p = st.params
    keys = np.concatenate([[p.base_pos[c]], p.eff_pos[c]]).astype(np.int64)
    theta = np.array([logit(float(up.theta[keys[0]]))] + [math.log(x) for x in up.theta[keys[1:]].tolist()])
    x = np.hstack([np.ones((st.design[c].shape[0], 1)), st.design[c]])
    up.n_eff[keys[0]] = float(e.sum())
    for i, k in enumerate(keys[1:].tolist(), 1):
        up.n_eff[k] = float(e[x[:, i] > 0].sum())
    start = theta.copy()
    theta = _newton(x, e[:, 1], e[:, 0], theta, st.center[keys], _precision(st, keys), ~st.fixed[keys])
    # a fixed number (a single-point range) keeps its value exactly: expit(logit(p)) and
    # exp(log(r)) may differ from it in the last bit, and the loader then refuses the fitted
    # knowledge base (value outside its range [p, p])
    # a coefficient Newton left where it was (no data and no prior on it: not identifiable) keeps
    # its number exactly too, not the round trip through its logit or log
    if not st.fixed[keys[0]] and theta[0] != start[0]:
        up.new[keys[0]] = min(max(logistic_pair(float(theta[0]))[0], _EPS), 1.0 - _EPS)
    for i, k in enumerate(keys[1:].tolist(), 1):
        if not st.fixed[k] and theta[i] != start[i]:
            up.new[k] = math.exp(theta[i])


def _precision(st, keys):
    """The normal priors' precisions at ``keys``, 0 for fixed numbers."""
    w = st.weight[keys].copy()
    w[st.fixed[keys]] = 0.0
    return st.lam * w


def _newton(x, y1, y0, theta, mu, prec, free, iters=100):
    """Maximise the logistic log likelihood of ``y1`` present / ``y0`` absent counts at design ``x``
    plus the normal log prior ``-prec (theta - mu)**2 / 2`` over the ``free`` coefficients.

    Newton steps with step halving, so the objective never decreases while it can tell two points
    apart. Near the maximum a step's gain falls below the objective's rounding (about
    ``1e-16 * |objective|``): there the full Newton step is taken while it shrinks the gradient, so
    the coefficients converge to machine precision wherever the objective has curvature (stopping
    at the objective's rounding left them up to ~1e-8 from the maximum, wherever rounding chose).
    A coefficient, or a combination of them, with neither data nor prior weight is not
    identifiable (the objective is flat along it): it keeps its value (see :func:`_newton_step`).
    """
    ntot = y1 + y0
    # a coefficient whose column carries no count and which has no prior weight is not identifiable:
    # left out of the solve, it keeps its value to the bit whatever the rounding of the other counts
    free = free & ((np.abs(x).T @ ntot > 0) | (prec > 0))
    if not free.any():
        return theta

    def objective(t):
        z = x @ t
        return float(y1 @ -np.logaddexp(0.0, -z) + y0 @ -np.logaddexp(0.0, z) - 0.5 * np.sum(prec[free] * (t[free] - mu[free]) ** 2))

    def gradient(t):
        p = 1.0 / (1.0 + np.exp(-(x @ t)))
        return (x.T @ (y1 - ntot * p) - prec * (t - mu))[free], p

    f0 = objective(theta)
    gf, p = gradient(theta)
    for _ in range(iters):
        h = (x * (ntot * p * (1.0 - p))[:, None]).T @ x + np.diag(prec)
        step = _newton_step(h[np.ix_(free, free)], gf)
        cand, f1, g1, p1 = _line_search(objective, gradient, theta, free, step, f0, gf)
        if cand is None:
            break
        done = np.max(np.abs(cand - theta)) <= 4 * np.finfo(float).eps * (1.0 + np.max(np.abs(theta)))
        theta, f0, gf, p = cand, f1, g1, p1
        if done:
            break
    return theta


def _newton_step(hf, gf):
    """``hf^-1 gf`` on the directions where the objective has curvature; none along a flat one.

    Along a direction where the Hessian vanishes (coefficients the data cannot tell apart, and no
    prior on them: maximum likelihood) the objective is flat and the gradient is zero but for
    rounding; a ridge-regularised solve would divide that rounding by the ridge and move the
    coefficients by up to ~1e-3 at random. Eigen-directions below ``1e-10`` of the largest
    curvature are left where they are (where the prior, or the start, put them).
    """
    lam, vec = np.linalg.eigh(hf)
    keep = lam > 1e-10 * max(float(lam.max(initial=0.0)), 1e-300)
    vk = vec[:, keep]
    return vk @ ((vk.T @ gf) / lam[keep])


def _line_search(objective, gradient, theta, free, step, f0, g0):
    """The longest of ``step``, ``step / 2``, ... that does not decrease the objective; when none
    does by more than its rounding, the full step if it shrinks the gradient. ``(None, ...)``: no
    step helps (converged).
    """
    t = 1.0
    noise = 64 * np.finfo(float).eps * (1.0 + abs(f0))
    for _ in range(40):
        cand = theta.copy()
        cand[free] = np.clip(theta[free] + t * step, -_LOG_OR_MAX, _LOG_OR_MAX)
        f1 = objective(cand)
        if f1 > f0 + noise or (f1 >= f0 and t < 1.0):
            g1, p1 = gradient(cand)
            return cand, f1, g1, p1
        if f1 >= f0 - noise and t == 1.0:  # within rounding: the gradient decides
            g1, p1 = gradient(cand)
            if np.max(np.abs(g1)) < np.max(np.abs(g0)):
                return cand, max(f0, f1), g1, p1
        t *= 0.5
    return None, f0, g0, None


def _rf_counts(st, r, stats):
    """Expected counts ``(parent state, state)`` of risk factor ``r``, from the contexts' or its cause's counts."""
    kb = st.kb
    rf = kb.risk_factors[r]
    ctx = list(st.ctx_vars)
    k_n = st.ctx_states.shape[0]
    par = st.rf_ids.index(rf.parent) if rf.parent else None
    n_par = len(kb.risk_factors[par].states) if par is not None else 1
    counts = np.zeros((n_par, len(rf.states)))
    if r in ctx:
        i = ctx.index(r)
        pi = ctx.index(par) if par is not None else None
        np.add.at(counts, (st.ctx_states[:, pi] if pi is not None else np.zeros(k_n, dtype=int), st.ctx_states[:, i]), stats["ctx"])
        return counts
    c = next(c for c in range(st.n_c) if r in st.priv_vars[c])
    i = list(st.priv_vars[c]).index(r)
    joint = stats["cause"][c].sum(axis=2)  # (K, J)
    pj = st.priv_states[c][:, i]
    if par is not None and par not in ctx:  # a test result and the factor it measures, both private
        pk = st.priv_states[c][:, list(st.priv_vars[c]).index(par)]
        np.add.at(counts, (np.tile(pk, k_n), np.tile(pj, k_n)), joint.ravel())
    else:
        pk = st.ctx_states[:, ctx.index(par)] if par is not None else np.zeros(k_n, dtype=int)
        np.add.at(counts, (np.repeat(pk, pj.size), np.tile(pj, k_n)), joint.ravel())
    return counts


def _rf_step(st, stats, up):
    """Risk-factor priors from the expected counts: a Beta mode per parent state, or a Dirichlet mode."""
    for r, rf in enumerate(st.kb.risk_factors):
        counts = _rf_counts(st, r, stats)
        keys = st.rf_pos[r]
        if rf.kind == "binary":
            for s in range(counts.shape[0]):
                up.beta(keys[s if rf.parent else 0], counts[s, 1], counts[s].sum())
            continue
        total = counts[0].sum()
        up.n_eff[keys] = float(total)
        if st.fixed[keys[0]] or total + st.lam * st.weight[keys[0]] <= 0:
            continue
        a = st.lam * st.weight[keys[0]]
        p = np.maximum(counts[0] + a * st.center[keys], 0.0) / (total + a)
        p = np.clip(p, _EPS, None)
        p /= p.sum()
        up.new[keys] = p
