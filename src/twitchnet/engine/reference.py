"""Exact inference on arrays: pure functions, no names, no validation.

The network has three layers: risk factors -> causes -> findings.

* Risk factors that feed more than one cause (or another risk factor) form the *context*
  (age, sex and heavy_alcohol in the default model); its joint states are enumerated, ``K`` of them.
* Every other risk factor is *private* to one cause; given the context, each cause with its
  private factors is independent of the others, so its private factors are summed out exactly.
* Findings are noisy-OR with a leak. The ``2**C`` joint cause states are enumerated, which is
  exact and cheap for a handful of causes.

For cause state ``s`` and evidence ``e`` (all in log space)::

    log P(s, e_R) = logsumexp_k [ log P(k, e_ctx) + sum_c log P(c = s_c, e_priv(c) | k) ]
    log P(e_F | s) = sum_f [e_f = 1] log P(f | s) + [e_f = 0] log P(not f | s)

and each cause's posterior log-odds is ``logsumexp`` over the states with the cause present
minus ``logsumexp`` over the states with it absent. Working with log-odds keeps probabilities near
0 or 1 exact to the last bits; the probability is ``expit(log-odds)``.
"""

from __future__ import annotations

import numpy as np

from twitchnet.engine import Engine, Explained
from twitchnet.model.arrays import Arrays

__all__ = ["REFERENCE", "Arrays", "ReferenceEngine", "expit", "explain_rows", "log_joint", "log_odds", "logsumexp", "posterior_log_odds", "prior_states"]


_CHUNK = 256  # rows per block in the Kronecker build: keeps the (rows, contexts, 2**C) block in cache
_FEW = 8  # up to this many distinct risk-factor rows, build the prior by a log-space matmul


def logsumexp(a, axis=-1):
    """``log(sum(exp(a)))`` along ``axis``; rows that are all ``-inf`` give ``-inf`` (no NaN)."""
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return np.squeeze(out, axis=axis)


def cause_pairs(arr, rf_state):
    """Context weights and every cause's (absent, present) pair in every context.

    Returns
    -------
    w : ndarray of shape (N, K)
        ``P(k, e_ctx)``; zero for contexts the evidence rules out.
    q : ndarray of shape (N, K, C, 2)
        ``P(c = b, e_priv(c) | k)`` for ``b`` in (absent, present).
    """
    n = rf_state.shape[0]
    n_k = arr.ctx_states.shape[0]
    obs = rf_state[:, : arr.n_rf] + 1  # 0 = unknown
    m = arr.priv_lookup[arr.rf_range, obs].all(axis=1).astype(float)  # (N, J_all)
    live = arr.ctx_lookup[arr.ctx_range, rf_state[:, arr.ctx_vars] + 1].all(axis=1)  # (N, K)
    w = arr.ctx_prior * live
    q = m @ arr.w_pairs  # (N, K * C * 2)
    return w, q.reshape(n, n_k, arr.n_causes, 2)


def prior_states(arr, rf_state):
    """``P(s, e_R)`` for every cause state, in probability space: shape (N, 2**C).

    For each context ``k`` the cause states form a Kronecker product of the per-cause pairs
    ``(P(c absent, e_priv(c) | k), P(c present, e_priv(c) | k))`` (cause 0 is the lowest bit of the
    state index); the contexts are then summed with weights ``P(k, e_ctx)``. Only products and sums
    of positive numbers: no cancellation, and with validated probabilities (strictly inside (0, 1))
    nothing underflows. Distinct risk-factor rows are computed once. For many rows, rows are
    grouped by which contexts their evidence leaves possible (a row with age and sex known builds
    one table instead of eight) and the tables are built in cache-sized blocks.

    Parameters
    ----------
    arr : Arrays
    rf_state : ndarray of shape (N, R), int
        State index of each risk factor, -1 where unknown.
    """
    uniq, inv = unique_rows(rf_state)
    w, q = cause_pairs(arr, uniq)
    if uniq.shape[0] == 1 and inv.size == 1:
        inv = None  # one row: no gather needed
    if uniq.shape[0] <= _FEW:
        out = np.empty((uniq.shape[0], arr.states.shape[0]))
        for u in range(uniq.shape[0]):
            live = np.flatnonzero((w[u] > 0) & (q[u].sum(axis=2) > 0).all(axis=1))  # possible contexts
            with np.errstate(divide="ignore"):
                lq = np.log(q[u, live])  # (k, C, 2)
            if not np.isfinite(lq).all():  # a cause certainly present or absent: products, no logs
                out[u] = _prior_states_many(arr, w[u : u + 1], q[u : u + 1])[0]
                continue
            # log prod_c q[c, s_c] = sum_c lq0 + s @ (lq1 - lq0), for each live context
            per = np.exp(lq[:, :, 0].sum(axis=1)[:, None] + (lq[:, :, 1] - lq[:, :, 0]) @ arr.states.T)
            out[u] = w[u, live] @ per
        return out if inv is None else out[inv]
    out = _prior_states_many(arr, w, q)
    return out if inv is None else out[inv]


def _prior_states_many(arr, w, q):
    n = w.shape[0]
    n_c = arr.n_causes
    live = w > 0
    out = np.zeros((n, 2**n_c))
    patterns, which = unique_rows(live.astype(np.int64))
    for g, pattern in enumerate(patterns):
        ks = np.flatnonzero(pattern)
        rows = np.flatnonzero(which == g)
        if ks.size == 0:
            continue  # no context possible: probability zero
        for a in range(0, rows.size, _CHUNK):
            r = rows[a : a + _CHUNK]
            qq = q[r][:, ks]  # (rows, k, C, 2)
            table = np.empty((r.size, ks.size, 2**n_c))
            table[:, :, 0] = 1.0
            for c in range(n_c):
                h = 1 << c
                np.multiply(table[:, :, :h], qq[:, :, c, 1, None], out=table[:, :, h : 2 * h])
                table[:, :, :h] *= qq[:, :, c, 0, None]
            out[r] = np.einsum("nk,nks->ns", w[r][:, ks], table)
    return out


def log_prior_states(arr, rf_state):
    """``log P(s, e_R)`` for every cause state: shape (N, 2**C). See :func:`prior_states`."""
    with np.errstate(divide="ignore"):
        return np.log(prior_states(arr, rf_state))


def log_likelihood_states(arr, finding_state):
    """``log P(e_F | s)`` for every cause state: shape (N, 2**C).

    ``finding_state`` is (N, F) with 1 present, 0 absent, -1 unknown.
    """
    pos = (finding_state == 1).astype(float)
    neg = (finding_state == 0).astype(float)
    # absent findings: linear in the cause state, so (N, F) @ (F, C) then (N, C) @ (C, 2**C)
    return pos @ arr.log_f1.T + ((neg @ arr.b0.T) @ arr.states.T + (neg @ arr.a0)[:, None])


def posterior_log_odds(arr, rf_state, finding_state, prior=True):
    """Exact posterior and prior log-odds of every cause.

    Parameters
    ----------
    arr : Arrays
    rf_state : ndarray of shape (N, R), int
    finding_state : ndarray of shape (N, F), int
    prior : bool, default=True
        Also return the prior log-odds (risk factors only).

    Returns
    -------
    post : ndarray of shape (N, C)
        ``log P(c | e) - log P(not c | e)``.
    prior : ndarray of shape (N, C) or None
        The same given the risk factors only (None when called with ``prior=False``).
    log_evidence : ndarray of shape (N,)
        ``log P(e)`` of all the evidence; ``-inf`` means the evidence is impossible.
    """
    lp, lj = log_joint(arr, rf_state, finding_state)
    post, log_ev = log_odds(arr, lj, with_total=True)
    return post, (log_odds(arr, lp) if prior else None), log_ev


def log_joint(arr, rf_state, finding_state):
    """Log-probabilities over the joint cause states.

    Returns
    -------
    log_prior : ndarray of shape (N, 2**C)
        ``log P(s, e_R)``: cause state with the risk-factor evidence.
    log_joint : ndarray of shape (N, 2**C)
        ``log P(s, e)``: with all the evidence. Normalise over axis 1 for ``P(s | e)``.
    """
    lp = log_prior_states(arr, rf_state)
    return lp, lp + log_likelihood_states(arr, finding_state)


def log_odds(arr, lj, with_total=False):
    """Per-cause log-odds from log P(s, e) over states: two matmuls after a per-row shift, with
    the exact logsumexp for rows where a sum underflows (log-odds beyond about +-700).

    With ``with_total``, also return ``log sum_s P(s, e)`` per row (``log P(e)``).
    """
    shift = lj.max(axis=1, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0.0)
    p = np.exp(lj - shift)
    present = p @ arr.states
    absent = p @ arr.not_states
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(present) - np.log(absent)
    hard = np.flatnonzero(~((present > 1e-280) & (absent > 1e-280)).all(axis=1))
    if hard.size:
        sub = lj[hard]
        with np.errstate(invalid="ignore"):
            out[hard] = logsumexp(sub[:, arr.idx1], axis=2) - logsumexp(sub[:, arr.idx0], axis=2)
    if not with_total:
        return out
    with np.errstate(divide="ignore"):
        total = np.log(present[:, 0] + absent[:, 0]) + shift[:, 0]
    return out, total


def expit(x):
    """The logistic function ``1 / (1 + exp(-x))``; exp overflows to inf for very negative x and
    gives 0, whose error is below 1e-300.
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def unique_rows(rf_state):
    """Distinct rows of a small-integer matrix and the inverse index (fast path via a base-b code)."""
    n, r = rf_state.shape
    if n == 0:
        return rf_state, np.zeros(0, dtype=np.int64)
    if r == 0 or n == 1 or (rf_state == rf_state[0]).all():
        return rf_state[:1], np.zeros(n, dtype=np.int64)
    base = int(rf_state.max(initial=0)) + 2
    if r * np.log(base) < 62 * np.log(2):
        code = (rf_state.astype(np.int64) + 1) @ (base ** np.arange(r, dtype=np.int64))
        _, first, inv = np.unique(code, return_index=True, return_inverse=True)
        return rf_state[first], inv.reshape(-1)
    uniq, inv = np.unique(rf_state, axis=0, return_inverse=True)
    return uniq, inv.reshape(-1)


def posterior_batch(arr, rf_state, finding_state):
    """Posterior probabilities for many cases at once (the batch path).

    Same mathematics as :func:`posterior_log_odds`, arranged for throughput: the risk-factor part
    is computed once per distinct risk-factor pattern, and the sums over cause states are matrix
    products in probability space after subtracting each row's maximum log-probability (so the
    largest term is 1 and nothing overflows). Terms smaller than about 1e-308 of the largest
    underflow to zero, which changes a probability by less than 1e-300.

    Returns
    -------
    prob : ndarray of shape (N, C)
        ``P(c | e)``.
    log_evidence : ndarray of shape (N,)
        ``log P(e)``; ``-inf`` where the evidence is impossible (those rows of ``prob`` are 0 and
        must not be used).
    """
    uniq, inv = unique_rows(rf_state)
    prior = prior_states(arr, uniq)[inv]
    ll = log_likelihood_states(arr, finding_state)
    shift = ll.max(axis=1, keepdims=True)  # finite: every P(f | s) is strictly inside (0, 1)
    joint = prior * np.exp(ll - shift)
    present = joint @ arr.states
    total = joint.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        prob = present / total[:, None]
        log_ev = np.log(total) + shift[:, 0]
    dead = total <= 0.0
    prob[dead] = 0.0
    return np.clip(prob, 0.0, 1.0), log_ev


def explain_rows(case):
    """Evidence rows for the sequential explanation of one encoded case.

    Row 0 holds the risk factors only; row ``j`` adds the first ``j`` observed findings in
    knowledge-base order; the last row is all the evidence.

    Returns
    -------
    finding_state : ndarray of shape (n + 1, F)
    observed : ndarray of int
        Indices of the observed findings, in the order they were added.
    """
    observed = np.flatnonzero(case.finding_state >= 0)
    n = observed.size
    fs = np.full((n + 1, case.finding_state.size), -1, dtype=np.int64)
    # row j + 1 holds the first j + 1 observed findings: a lower-triangular pattern
    fs[1:, observed] = np.where(np.tri(n, dtype=bool), case.finding_state[observed][None, :], -1)
    return fs, observed


def explained_from_log_odds(log_ev, post, dis, suff):
    """An :class:`twitchnet.engine.Explained` from the ``(n + 1, C)`` log-odds after each finding
    (row 0: risk factors only) and the counterfactual arrays.
    """
    ends = post[[0, -1]]
    prob = expit(ends)
    return Explained(log_ev, ends[0].tolist(), ends[1].tolist(), prob[0].tolist(), prob[1].tolist(),
                     np.diff(post, axis=0).T.tolist(), np.asarray(dis).tolist(), np.asarray(suff).tolist())


def _arrays_of(source):
    return source if isinstance(source, Arrays) else source.arrays


class ReferenceEngine(Engine):
    """The ``"reference"`` engine: the formulas above, in log space, on :class:`Arrays`."""

    name = "reference"

    def supports(self, model):
        """Whether the model is small enough to enumerate (see :func:`twitchnet.limits.enumeration_ok`)."""
        return model.enumerable

    def explain(self, model, case):
        """One case with its sequential explanation and counterfactuals (never None: log space
        keeps every sum exact).
        """
        from twitchnet.engine.counterfactual import counterfactuals

        arr = model.arrays
        fs, _ = explain_rows(case)
        # every explanation row shares the risk factors: their prior over cause states is computed once
        lj = log_prior_states(arr, case.rf_state[None]) + log_likelihood_states(arr, fs)
        post, log_total = log_odds(arr, lj, with_total=True)
        log_ev = float(log_total[-1])
        if not np.isfinite(log_ev):
            return Explained.impossible()
        dis, suff = counterfactuals(arr, np.exp(lj[-1] - log_ev), np.flatnonzero(case.finding_state == 1))
        return explained_from_log_odds(log_ev, post, dis, suff)

    def posterior(self, source, rf_state, finding_state, *, threads=None):
        """Many cases: :func:`posterior_log_odds` and the logistic function (``threads`` unused)."""
        post, _, log_ev = posterior_log_odds(_arrays_of(source), np.asarray(rf_state, dtype=np.int64),
                                             np.asarray(finding_state, dtype=np.int64), prior=False)
        return np.where(np.isfinite(log_ev)[:, None], expit(post), 0.0), log_ev

#: The one instance (the engine holds no state of its own).
REFERENCE = ReferenceEngine()
