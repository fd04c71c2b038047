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

__all__ = ["logsumexp", "posterior_log_odds", "log_joint", "log_odds", "posterior_batch", "prior_states", "expit", "Arrays"]


def logsumexp(a, axis=-1):
    """``log(sum(exp(a)))`` along ``axis``; rows that are all ``-inf`` give ``-inf`` (no NaN)."""
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return np.squeeze(out, axis=axis)


class Arrays:
    """The numeric core of a compiled model (built by :class:`twitchnet.model.DiagnosticModel`).

    Attributes
    ----------
    states : ndarray of shape (2**C, C), float
        Every joint cause state, one row each (bit ``c`` of the row index is cause ``c``).
    ctx_vars : ndarray of int
        Risk-factor indices forming the context.
    ctx_states : ndarray of shape (K, len(ctx_vars)), int
        State index of each context variable in each context.
    log_ctx_prior : ndarray of shape (K,)
    priv_vars : list of ndarray of int
        Per cause, the indices of its private risk factors.
    priv_states : list of ndarray of shape (J_c, len(priv_vars[c])), int
    priv_weight : list of tuple (W0, W1) of ndarrays of shape (K, J_c)
        ``P(priv = j | k) * P(cause absent / present | k, j)``.
    log_f1, log_f0 : ndarray of shape (2**C, F)
        ``log P(finding present | s)`` and ``log P(finding absent | s)``.
    """

    def __init__(self, states, ctx_vars, ctx_states, log_ctx_prior, priv_vars, priv_states, priv_weight, log_f1, log_f0):
        self.states = states
        self.ctx_vars = ctx_vars
        self.ctx_states = ctx_states
        self.log_ctx_prior = log_ctx_prior
        self.ctx_prior = np.exp(log_ctx_prior)
        self.priv_vars = priv_vars
        self.priv_states = priv_states
        self.priv_weight = priv_weight
        self.log_f1 = log_f1
        self.log_f0 = log_f0
        # All causes' private states in one padded table (-2 = not this cause's factor) and block
        # weights, so one matmul gives every (context, cause) pair: see cause_pairs().
        n_rf = max([int(v.max()) + 1 for v in priv_vars if v.size] + [int(ctx_vars.max()) + 1 if ctx_vars.size else 0])
        n_k = ctx_states.shape[0]
        n_c = states.shape[1]
        rows = []
        self.w_all = np.zeros((2, sum(s.shape[0] for s in priv_states), n_k * n_c))
        j0 = 0
        for c in range(n_c):
            tab = np.full((priv_states[c].shape[0], n_rf), -2, dtype=np.int64)
            tab[:, priv_vars[c]] = priv_states[c]
            rows.append(tab)
            j1 = j0 + tab.shape[0]
            for b in (0, 1):
                self.w_all[b, j0:j1, c::n_c] = priv_weight[c][b].T  # column k * C + c
            j0 = j1
        self.priv_all = np.concatenate(rows) if rows else np.zeros((0, n_rf), dtype=np.int64)
        self.n_rf = n_rf
        # Lookup tables: row (r, state + 1) says which private states (or contexts) agree with risk
        # factor r being in that state; index 0 is "unknown" (all agree). One gather per case.
        n_states = int(max(self.priv_all.max(initial=0), ctx_states.max(initial=0))) + 1
        self.priv_lookup = np.ones((n_rf, n_states + 1, self.priv_all.shape[0]), dtype=bool)
        for r in range(n_rf):
            col = self.priv_all[:, r]
            for s in range(n_states):
                self.priv_lookup[r, s + 1] = (col == -2) | (col == s)
        self.ctx_lookup = np.ones((len(ctx_vars), n_states + 1, n_k), dtype=bool)
        for i in range(len(ctx_vars)):
            for s in range(n_states):
                self.ctx_lookup[i, s + 1] = ctx_states[:, i] == s
        self.rf_range = np.arange(n_rf)[None, :]
        self.ctx_range = np.arange(len(ctx_vars))[None, :]
        # both halves of every pair in one matrix: column (k * C + c) * 2 + b
        self.w_pairs = np.stack((self.w_all[0], self.w_all[1]), axis=-1).reshape(self.w_all.shape[1], -1)
        # log P(f absent | s) is linear in s under noisy-OR: a0[f] + sum_c s_c * b0[c, f]
        self.a0 = log_f0[0].copy()
        self.b0 = np.stack([log_f0[1 << c] - log_f0[0] for c in range(states.shape[1])])
        # per-cause sums over the states with the cause present, then absent: one product, (2**C, 2C)
        self.present_absent = np.hstack((states, 1.0 - states))
        self.not_states = self.present_absent[:, states.shape[1] :]
        # entry (i, s): 2 i + bit i of state s, the row of pair i's factor in a (2C, M) pair table
        # (small integers: below 256 for up to 128 causes)
        self.pair_index = (2 * np.arange(states.shape[1])[:, None] + states.T).astype(np.uint8)
        # the counterfactuals' per-link numbers (twitchnet.engine.counterfactual), disablement then
        # sufficiency: the odds p / (1 - p) and the probability p of each link, (2, C, F)
        one_minus_p = np.exp(self.b0)
        self.cf_links = np.stack(((1.0 - one_minus_p) / one_minus_p, 1.0 - one_minus_p))
        self.link_odds = self.cf_links[0]  # (C, F)
        for value in vars(self).values():
            for arr in value if isinstance(value, list) else [value]:
                for a in arr if isinstance(arr, tuple) else [arr]:
                    if isinstance(a, np.ndarray):
                        a.setflags(write=False)

    @property
    def n_causes(self):
        """Number of causes (columns of ``states``)."""
        return self.states.shape[1]


_CHUNK = 256  # rows per block of the prior: keeps the (2**(C/2), rows, contexts) halves in cache


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

    Given the context ``k`` the causes are independent, so the table over cause states is the
    Kronecker product of the per-cause pairs ``(P(c absent, e_priv(c) | k), P(c present,
    e_priv(c) | k))`` (cause 0 is the lowest bit of the state index). Split the causes into a low
    half (the low bits) and a high half: the table is the outer product ``hi_k (x) lo_k`` of the
    halves' Kronecker products, and the sum over contexts with weights ``P(k, e_ctx)`` is one
    matrix product per row, ``hi.T @ (w * lo)`` of shape (2**(C - C/2), 2**(C/2)), whose
    row-major order is the state index. Only products and sums of nonnegative numbers: no
    cancellation, and with validated probabilities (strictly inside (0, 1)) nothing underflows.
    Distinct risk-factor rows are computed once, in blocks of ``_CHUNK`` rows.

    Parameters
    ----------
    arr : Arrays
    rf_state : ndarray of shape (N, R), int
        State index of each risk factor, -1 where unknown.
    """
    uniq, inv = unique_rows(rf_state)
    out = np.empty((uniq.shape[0], arr.states.shape[0]))
    n_c = arr.n_causes
    low = n_c // 2
    w_all, q_all = cause_pairs(arr, uniq)
    for a in range(0, uniq.shape[0], _CHUNK):
        w, q = w_all[a : a + _CHUNK], q_all[a : a + _CHUNK]
        n, n_k = w.shape
        pairs = q.transpose(2, 3, 0, 1).reshape(n_c, 2, n * n_k)  # (cause, bit, row and context)
        lo = kronecker_pairs(arr, pairs[:low]).reshape(-1, n, n_k) * w  # (2**low, n, K), weighted
        hi = kronecker_pairs(arr, pairs[low:]).reshape(-1, n, n_k)  # (2**(C - low), n, K)
        out[a : a + _CHUNK] = np.matmul(hi.transpose(1, 0, 2), lo.transpose(1, 2, 0)).reshape(n, -1)
    return out if inv.size == 1 else out[inv]


def kronecker_pairs(arr, pairs):
    """Kronecker product of (absent, present) pairs, column by column.

    ``pairs`` of shape (c, 2, M) gives (2**c, M): row ``s`` is ``prod_i pairs[i, bit i of s]``,
    taken literally: gather each pair's entry at its bit of every ``s``, then multiply.
    """
    c, _, m = pairs.shape
    return pairs.reshape(2 * c, m)[arr.pair_index[:c, : 1 << c]].prod(axis=0)


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
    prior_p = prior_states(arr, rf_state)
    with np.errstate(divide="ignore"):
        lp = np.log(prior_p)
    post, log_ev = log_odds(arr, lp + log_likelihood_states(arr, finding_state), with_total=True)
    # the prior is at hand in probability space: its sums need no exponentials
    return post, (log_odds(arr, lp, p=prior_p) if prior else None), log_ev


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


def log_odds(arr, lj, with_total=False, p=None):
    """Per-cause log-odds from ``log P(s, e)`` over states (N, 2**C).

    After a per-row shift (the largest term becomes 1), one matrix product gives every cause's
    sums over the states with it present and with it absent. Where a sum underflows (log-odds
    beyond about +-700, or a cause impossible), the exact ``logsumexp`` over each half of the
    states, read off by reshaping so that one axis is the cause's bit.

    Parameters
    ----------
    arr : Arrays
    lj : ndarray of shape (N, 2**C)
    with_total : bool, default=False
        Also return ``log sum_s P(s, e)`` per row (``log P(e)``).
    p : ndarray of shape (N, 2**C), optional
        ``exp(lj)`` itself, when the caller has it (then no shift and no exponentials).
    """
    n_c = arr.n_causes
    if p is None:
        shift = lj.max(axis=1, keepdims=True)
        shift = np.where(np.isfinite(shift), shift, 0.0)
        p = np.exp(lj - shift)
    else:
        shift = np.zeros((lj.shape[0], 1))
    sums = p @ arr.present_absent
    present, absent = sums[:, :n_c], sums[:, n_c:]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log(present) - np.log(absent)
    if not sums.min(initial=np.inf) > 1e-280:
        hard = np.flatnonzero(~(sums > 1e-280).all(axis=1))
        sub = lj[hard]
        with np.errstate(invalid="ignore"):
            for c in range(n_c):
                halves = sub.reshape(hard.size, -1, 2, 1 << c)  # axis 2 is cause c's bit
                out[hard, c] = logsumexp(halves[:, :, 1], axis=(1, 2)) - logsumexp(halves[:, :, 0], axis=(1, 2))
    if not with_total:
        return out
    with np.errstate(divide="ignore"):
        total = np.log(present[:, 0] + absent[:, 0]) + shift[:, 0]
    return out, total


def expit(x):
    """The logistic function ``1 / (1 + exp(-x))``; exp overflows to inf for very negative x and
    gives 0, whose error is below 1e-300."""
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
    prior = prior_states(arr, rf_state)
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
