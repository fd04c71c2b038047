"""The compiled model's numeric core: every joint cause state with its finding tables.

Built by :meth:`twitchnet.DiagnosticModel.arrays` (and, for changed numbers, by
:mod:`twitchnet.explain.uncertainty` and :mod:`twitchnet.learn`); read by the enumeration engines
(:mod:`twitchnet.engine.reference`, :mod:`twitchnet.engine.kernel`). Plain arrays, read-only.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Arrays"]


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
    log_keep : ndarray of shape (C, F), optional
        ``log(1 - p_cf)`` of every link (0 where none), exactly; when omitted it is recovered from
        ``log_f0``, which loses the digits of a tiny link beside a large leak.
    """

    def __init__(self, states: np.ndarray, ctx_vars: np.ndarray, ctx_states: np.ndarray, log_ctx_prior: np.ndarray, priv_vars: list,
                 priv_states: list, priv_weight: list, log_f1: np.ndarray, log_f0: np.ndarray, log_keep: np.ndarray | None = None) -> None:
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
        # (given, log(1 - p_cf) exactly; else recovered from log_f0, to the precision of its sums)
        self.b0 = np.array(log_keep, dtype=float) if log_keep is not None else np.stack([log_f0[1 << c] - log_f0[0] for c in range(states.shape[1])])
        # per-cause sums over the states with the cause present, then absent: one product, (2**C, 2C)
        self.present_absent = np.hstack((states, 1.0 - states))
        # entry (i, s): 2 i + bit i of state s, the row of pair i's factor in a (2C, M) pair table
        # (small integers: below 256 for up to 128 causes)
        self.pair_index = (2 * np.arange(states.shape[1])[:, None] + states.T).astype(np.uint8)
        # the counterfactuals' per-link numbers (twitchnet.engine.counterfactual), disablement then
        # sufficiency: the odds p / (1 - p) and the probability p of each link, (2, C, F)
        # by expm1, not (1 - exp(b0)) / exp(b0), which loses every digit of a link near 0 (p = 1e-12
        # gave 1e-4 relative error; found by comparing Quickscore with this engine)
        self.cf_links = np.stack((np.expm1(-self.b0), -np.expm1(self.b0)))
        self.link_odds, self.link_p = self.cf_links  # (C, F) each
        for value in vars(self).values():
            for arr in value if isinstance(value, list) else [value]:
                for a in arr if isinstance(arr, tuple) else [arr]:
                    if isinstance(a, np.ndarray):
                        a.setflags(write=False)

    @property
    def n_causes(self) -> int:
        """Number of causes (columns of ``states``)."""
        return self.states.shape[1]
