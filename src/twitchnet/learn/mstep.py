"""The M-step: new numbers from the expected counts (closed forms, and Newton for the logistic priors)."""

from __future__ import annotations

import math

import numpy as np

from twitchnet.learn.priors import _logit
from twitchnet.limits import MAX_ODDS_RATIO

_EPS = 1e-9  # fitted probabilities are kept in [_EPS, 1 - _EPS] (the loader needs (0, 1))
_LOG_OR_MAX = math.log(MAX_ODDS_RATIO)  # fitted log odds ratios and baseline logits: the loader's limits


# ---------------------------------------------------------------------------------------------- M-step
def _m_step(st, values, model, stats):
    """New values (dict where -> float) and effective sample sizes from the expected counts."""
    kb = model.kb
    lam = st.lam
    new = dict(values)
    n_eff = {}

    def beta(where, hits, trials):
        pr = st.prior[where]
        n_eff[where] = float(trials)
        if pr.fixed:
            return
        a = lam * pr.weight
        if trials + a <= 0:
            return  # no data and no prior weight: keep
        new[where] = min(max((hits + a * pr.center) / (trials + a), _EPS), 1.0 - _EPS)

    # links and leaks
    for f_i, f in enumerate(kb.findings):
        base = f"findings.toml: {f.id}"
        beta(f"{base}.leak", values[f"{base}.leak"] * stats["Lk"][f_i], stats["nobs"][f_i])
        for link in f.links:
            c = st.cause_ids.index(link.cause)
            w = f"{base}.causes.{link.cause}"
            beta(w, values[w] * stats["A"][f_i, c], stats["D"][f_i, c])
    # causes: logistic regression on the expected counts
    for c, cause in enumerate(kb.causes):
        e = stats["cause"][c].reshape(-1, 2)
        keys = [f"causes.toml: {cause.id}.baseline"] + [f"causes.toml: {cause.id}.effects.{ef.key}" for ef in cause.effects]
        theta = np.array([_logit(values[keys[0]])] + [math.log(values[k]) for k in keys[1:]])
        priors = [st.prior[k] for k in keys]
        x = np.hstack([np.ones((st.design[c].shape[0], 1)), st.design[c]])
        for i, k in enumerate(keys):
            n_eff[k] = float(e.sum()) if i == 0 else float(e[x[:, i] > 0].sum())
        theta = _newton(x, e[:, 1], e[:, 0], theta, priors, lam)
        # a fixed number (a single-point range) keeps its value exactly: expit(logit(p)) and
        # exp(log(r)) may differ from it in the last bit, and the loader then refuses the fitted
        # knowledge base (value outside its range [p, p])
        if not priors[0].fixed:
            new[keys[0]] = min(max(1.0 / (1.0 + math.exp(-theta[0])), _EPS), 1.0 - _EPS)
        for i, k in enumerate(keys[1:], 1):
            if not priors[i].fixed:
                new[k] = math.exp(theta[i])
    # risk factors
    _rf_step(st, kb, stats, values, new, n_eff, beta)
    return new, n_eff


def _newton(x, y1, y0, theta, priors, lam, iters=50):
    free = np.array([not p.fixed for p in priors])
    if not free.any():
        return theta
    mu = np.array([p.center for p in priors])
    prec = np.array([0.0 if p.fixed else lam * p.weight for p in priors])
    ntot = y1 + y0

    def objective(t):
        z = x @ t
        return float(y1 @ -np.logaddexp(0.0, -z) + y0 @ -np.logaddexp(0.0, z) - 0.5 * np.sum(prec[free] * (t[free] - mu[free]) ** 2))

    f0 = objective(theta)
    for _ in range(iters):
        z = x @ theta
        p = 1.0 / (1.0 + np.exp(-z))
        g = x.T @ (y1 - ntot * p) - prec * (theta - mu)
        h = (x * (ntot * p * (1.0 - p))[:, None]).T @ x + np.diag(prec)
        gf, hf = g[free], h[np.ix_(free, free)]
        scale = max(float(np.abs(np.diag(hf)).max(initial=0.0)), 1e-300)
        try:
            step = np.linalg.solve(hf + 1e-12 * scale * np.eye(hf.shape[0]), gf)
        except np.linalg.LinAlgError:
            step = gf / scale
        t = 1.0
        improved = False
        for _ in range(40):
            cand = theta.copy()
            cand[free] = np.clip(theta[free] + t * step, -_LOG_OR_MAX, _LOG_OR_MAX)
            f1 = objective(cand)
            if f1 >= f0:
                improved = True
                break
            t *= 0.5
        if not improved:
            break
        done = np.max(np.abs(cand - theta)) < 1e-12
        theta, f0 = cand, f1
        if done:
            break
    return theta


def _rf_step(st, kb, stats, values, new, n_eff, beta):
    """Risk-factor priors from the expected counts of the contexts and the private factors."""
    ctx = list(st.ctx_vars)
    k_n = st.ctx_states.shape[0]
    for r, rf in enumerate(kb.risk_factors):
        n_st = len(rf.states)
        par = st.rf_ids.index(rf.parent) if rf.parent else None
        n_par = len(kb.risk_factors[par].states) if par is not None else 1
        counts = np.zeros((n_par, n_st))
        if r in ctx:
            i = ctx.index(r)
            pi = ctx.index(par) if par is not None else None
            np.add.at(counts, (st.ctx_states[:, pi] if pi is not None else np.zeros(k_n, dtype=int), st.ctx_states[:, i]), stats["ctx"])
        else:
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
        keys = [f"risk_factors.toml: {rf.id}.prior[{i}]" for i in range(len(rf.prior))]
        if rf.kind == "binary":
            for s in range(n_par):
                beta(keys[s if rf.parent else 0], counts[s, 1], counts[s].sum())
            continue
        pr = st.prior[keys[0]]
        total = counts[0].sum()
        for k in keys:
            n_eff[k] = float(total)
        if pr.fixed:
            continue
        a = st.lam * pr.weight
        if total + a <= 0:
            continue
        m = np.array([st.prior[k].center for k in keys])
        p = np.maximum(counts[0] + a * m, 0.0) / (total + a)
        p = np.clip(p, _EPS, None)
        p /= p.sum()
        for k, x in zip(keys, p):
            new[k] = float(x)
