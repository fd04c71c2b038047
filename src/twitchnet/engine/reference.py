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

from typing import TYPE_CHECKING, Any

import numpy as np

from twitchnet.engine import Engine, Explained
from twitchnet.limits import SAFE_FLOOR
from twitchnet.model.arrays import Arrays

if TYPE_CHECKING:
    from twitchnet.model import DiagnosticModel, Encoded

__all__ = ["REFERENCE", "Arrays", "ReferenceEngine", "expit", "log_joint", "log_odds", "logsumexp", "posterior_log_odds", "prior_states"]


_CHUNK = 256  # rows per block of the prior: keeps the (2**(C/2), rows, contexts) halves in cache


def logsumexp(a: np.ndarray, axis: int | tuple[int, ...] = -1) -> np.ndarray:
    """``log(sum(exp(a)))`` along ``axis``; rows that are all ``-inf`` give ``-inf`` (no NaN)."""
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return np.squeeze(out, axis=axis)


def cause_pairs(arr: Arrays, rf_state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def prior_states(arr: Arrays, rf_state: np.ndarray) -> np.ndarray:
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


def kronecker_pairs(arr: Arrays, pairs: np.ndarray) -> np.ndarray:
    """Kronecker product of (absent, present) pairs, column by column.

    ``pairs`` of shape (c, 2, M) gives (2**c, M): row ``s`` is ``prod_i pairs[i, bit i of s]``,
    taken literally: gather each pair's entry at its bit of every ``s``, then multiply.
    """
    c, _, m = pairs.shape
    return pairs.reshape(2 * c, m)[arr.pair_index[:c, : 1 << c]].prod(axis=0)


def log_prior_states(arr: Arrays, rf_state: np.ndarray) -> np.ndarray:
    """``log P(s, e_R)`` for every cause state: shape (N, 2**C). See :func:`prior_states`."""
    with np.errstate(divide="ignore"):
        return np.log(prior_states(arr, rf_state))


def log_likelihood_states(arr: Arrays, finding_state: np.ndarray) -> np.ndarray:
    """``log P(e_F | s)`` for every cause state: shape (N, 2**C).

    ``finding_state`` is (N, F) with 1 present, 0 absent, -1 unknown.
    """
    pos = (finding_state == 1).astype(float)
    neg = (finding_state == 0).astype(float)
    # absent findings: linear in the cause state, so (N, F) @ (F, C) then (N, C) @ (C, 2**C)
    return pos @ arr.log_f1.T + ((neg @ arr.b0.T) @ arr.states.T + (neg @ arr.a0)[:, None])


def posterior_log_odds(arr: Arrays, rf_state: np.ndarray, finding_state: np.ndarray, prior: bool = True) -> tuple[Any, Any, Any]:
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


def log_joint(arr: Arrays, rf_state: np.ndarray, finding_state: np.ndarray) -> tuple[Any, np.ndarray]:
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


def log_odds(arr: Arrays, lj: np.ndarray, with_total: bool = False, p: Any = None) -> Any:
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
    if not sums.min(initial=np.inf) > SAFE_FLOOR:
        hard = np.flatnonzero(~(sums > SAFE_FLOOR).all(axis=1))
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


def expit(x: Any) -> Any:
    """The logistic function ``1 / (1 + exp(-x))``; exp overflows to inf for very negative x and
    gives 0, whose error is below 1e-300.
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def unique_rows(rf_state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def explained_from_log_odds(log_ev: float, post: np.ndarray, dis: np.ndarray, suff: np.ndarray) -> Explained:
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

    def supports(self, model: DiagnosticModel) -> bool:
        """Whether the model is small enough to enumerate (see :func:`twitchnet.limits.enumeration_ok`)."""
        return model.enumerable

    def explain(self, model: DiagnosticModel, case: Encoded) -> Explained | None:
        """One case with its sequential explanation and counterfactuals (never None: log space
        keeps every sum exact).
        """
        from twitchnet.engine import observed_order
        from twitchnet.engine.counterfactual import counterfactuals

        arr = model.arrays
        order = observed_order(case)
        observed = [f for f, _, _ in order]
        positive = [f for f, val, _ in order if val == 1]
        # Row j of the explanation holds the risk factors and the first j observed findings
        # (knowledge-base order); the last row is all the evidence. The risk factors' log P(s, e_R)
        # is shared by every row; each finding adds its row log P(f = v | s), so row j adds the sum
        # of the first j of those rows: a lower-triangular matrix of ones times them. A soft
        # finding of likelihood ratio r adds log(P(f absent | s) + r P(f present | s)) (virtual
        # evidence with P(report | absent) = 1).
        rows = arr.log_f0.T[observed]  # log P(f absent | s), (n, 2**C), finite
        rows[[val == 1 for _, val, _ in order]] = arr.log_f1.T[positive]  # log P(f present | s) where present
        for i, (f, val, ratio) in enumerate(order):
            if val is None:
                rows[i] = np.logaddexp(arr.log_f0.T[f], np.log(ratio) + arr.log_f1.T[f])
        lj = log_prior_states(arr, case.rf_state[None]) + np.tri(len(observed) + 1, len(observed), -1) @ rows
        post, log_total = log_odds(arr, lj, with_total=True)
        log_ev = float(log_total[-1])
        if not np.isfinite(log_ev):
            return Explained.impossible()
        dis, suff = counterfactuals(arr, np.exp(lj[-1] - log_ev), positive)
        return explained_from_log_odds(log_ev, post, dis, suff)

    def posterior(self, source: Any, rf_state: np.ndarray, finding_state: np.ndarray, *, threads: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Many cases: :func:`posterior_log_odds` and the logistic function (``threads`` unused)."""
        post, _, log_ev = posterior_log_odds(_arrays_of(source), np.asarray(rf_state, dtype=np.int64),
                                             np.asarray(finding_state, dtype=np.int64), prior=False)
        return np.where(np.isfinite(log_ev)[:, None], expit(post), 0.0), log_ev

#: The one instance (the engine holds no state of its own).
REFERENCE = ReferenceEngine()
