"""The risk-factor lookup tables every engine reads, built once per model.

The private factors of each cause, and the context factors, are few and discrete, so every
observation pattern (each factor unknown or in one of its states) is enumerated when the tables
are built: ``Q_c[pattern, k] = (P(c absent, e_priv(c) | k), P(c present, e_priv(c) | k))`` for
every context ``k``, and ``W[pattern, k] = P(k, e_ctx)``. A case then costs one integer code per
cause and one gather. The C kernel (:mod:`twitchnet.engine.kernel`), Quickscore
(:mod:`twitchnet.engine.quickscore`) and learning (:mod:`twitchnet.learn`) read them.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

__all__ = ["FactorTables"]


def _patterns(n_states):
    """Every observation pattern of variables with ``n_states`` states (-1 = unknown), in code order,
    and the mixed radix that maps ``state + 1`` to the pattern's row.
    """
    radix = np.ones(len(n_states), dtype=np.int64)
    for i in range(len(n_states) - 2, -1, -1):
        radix[i] = radix[i + 1] * (n_states[i + 1] + 1)
    rows = list(itertools.product(*(range(-1, int(n)) for n in n_states)))
    return np.array(rows, dtype=np.int64).reshape(len(rows), len(n_states)), radix


def _patterns_radix(n_states):
    """The mixed radix of :func:`_patterns` alone (no pattern table)."""
    radix = np.ones(len(n_states), dtype=np.int64)
    for i in range(len(n_states) - 2, -1, -1):
        radix[i] = radix[i + 1] * (n_states[i + 1] + 1)
    return radix


def _consistent(patterns, states):
    """``(P, J)`` mask: pattern ``p`` (with -1 = unknown) agrees with joint state ``j``."""
    if patterns.shape[1] == 0:
        return np.ones((patterns.shape[0], states.shape[0]), dtype=bool)
    return ((patterns[:, None, :] == -1) | (patterns[:, None, :] == states[None, :, :])).all(axis=2)


_MASKS: dict = {}  # structure -> (patterns' radix, consistency mask as floats): the same for any numbers


def _pattern_mask(n_states, states):
    """``(radix, mask)`` of :func:`_patterns` and :func:`_consistent` for one group of factors,
    kept per structure (state counts and joint states): a model rebuilt with other numbers (a
    sensitivity sweep, uncertainty draws, EM steps) reuses them instead of rebuilding masks of up to
    thousands of patterns every time.
    """
    key = (tuple(n_states), states.shape, states.tobytes())
    hit = _MASKS.get(key)
    if hit is None:
        pats, radix = _patterns(n_states)
        hit = (radix, _consistent(pats, states).astype(float))
        if len(_MASKS) > 256:
            _MASKS.clear()
        _MASKS[key] = hit
    return hit


def _pattern_sums(w, states, n_s):
    """``(..., P)``: for every observation pattern, the sum of ``w`` (..., J) over the joint states
    that agree with it, by marginalising one factor at a time (pattern index 0 of a factor is
    "unknown": its sum), ``O(P * factors)`` instead of a ``(P, J)`` mask product. None when the
    joint states are not in product order (the last factor fastest), which it relies on, or too
    few for it to pay (below 8: the cached mask product is faster).
    """
    if states.shape[0] < 8 or states.shape[0] != int(np.prod(n_s)) or not np.array_equal(states, _product(tuple(n_s))):
        return None
    x = w.reshape(w.shape[:-1] + tuple(n_s))
    lead = w.ndim - 1
    for ax in range(len(n_s)):
        x = np.concatenate([x.sum(axis=lead + ax, keepdims=True), x], axis=lead + ax)
    return x.reshape(w.shape[:-1] + (-1,))


@functools.lru_cache(maxsize=256)
def _product(n_s):
    """Every joint state of factors with ``n_s`` states, the last fastest: (prod n_s, len(n_s))."""
    rows = list(itertools.product(*(range(int(n)) for n in n_s)))
    return np.array(rows, dtype=np.int64).reshape(len(rows), len(n_s))


class FactorTables:
    """The risk-factor lookup tables shared by every engine, built once per model.

    Every observation pattern of each cause's private factors (each factor unknown or in one of its
    states) and of the context factors is enumerated, so a case costs one integer code per cause:
    ``q_all[q_offset[c] + code_c, k] = (P(c absent, e_priv(c) | k), P(c present, e_priv(c) | k))``
    and ``ctx_w[code_ctx, k] = P(k, e_ctx)``. Linear in the number of causes (no ``2**C`` table).

    Parameters
    ----------
    ctx_states, log_ctx_prior, priv_vars, priv_states, priv_weight
        As in :class:`twitchnet.model.arrays.Arrays`.
    n_rf : int
        Risk factors used by some cause.

    Attributes
    ----------
    n_ctx : int
    ctx_w : ndarray of shape (P_ctx, K)
    codes : ndarray of shape (R, C + 1), int
        ``(rf_state + 1) @ codes`` gives each cause's pattern code, and last the context's.
    q_all : ndarray of shape (sum P_c, K, 2)
    q_offset : ndarray of shape (C,), int
    sizes : tuple of int
        Patterns per cause.
    dep : tuple of int
        Causes whose table varies with the context.
    """

    def __init__(self, ctx_states: np.ndarray, log_ctx_prior: np.ndarray, priv_vars: list, priv_states: list, priv_weight: list, n_rf: int) -> None:
        n_c = len(priv_vars)
        n_k = ctx_states.shape[0]
        self.n_ctx = n_k
        ctx_n = [int(ctx_states[:, i].max()) + 1 for i in range(ctx_states.shape[1])]
        pats, radix = _patterns(ctx_n)
        self.ctx_w = _consistent(pats, ctx_states) * np.exp(log_ctx_prior)[None, :]
        codes = np.zeros((max(n_rf, 1), n_c + 1), dtype=np.int64)
        full, dep = [], []
        for c in range(n_c):
            states = priv_states[c]
            n_s = [int(states[:, i].max()) + 1 for i in range(states.shape[1])]
            w0, w1 = priv_weight[c]
            sums = _pattern_sums(np.stack([w0, w1], axis=1).reshape(-1, states.shape[0]), states, n_s)  # (2K, P)
            if sums is None:
                radix_c, m = _pattern_mask(n_s, states)
                table = np.stack([m @ w0.T, m @ w1.T], axis=-1)  # (P_c, K, 2)
            else:
                radix_c = _patterns_radix(n_s)
                table = np.ascontiguousarray(sums.reshape(n_k, 2, -1).transpose(2, 0, 1))
            codes[priv_vars[c], c] = radix_c
            if n_k > 1 and not np.array_equal(table, np.broadcast_to(table[:, :1], table.shape)):
                dep.append(c)
            full.append(table)
        self._ctx_radix = radix
        self.codes = codes
        self.q_all = np.ascontiguousarray(np.concatenate(full)) if full else np.zeros((0, n_k, 2))
        self.sizes = tuple(t.shape[0] for t in full)
        self.q_offset = np.cumsum((0,) + self.sizes[:-1]).astype(np.int64)
        self.dep = tuple(dep)

    def set_context(self, ctx_vars: np.ndarray) -> FactorTables:
        """Write the context factors' radix into the last column of ``codes`` (then freeze)."""
        self.codes[ctx_vars, -1] = self._ctx_radix
        for value in (self.ctx_w, self.codes, self.q_all, self.q_offset):
            value.setflags(write=False)
        return self
