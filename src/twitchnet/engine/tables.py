"""The fast exact engine: the sums of :mod:`twitchnet.engine.reference`, rearranged for speed.

:mod:`twitchnet.engine.reference` is the reference engine, a direct transcription of the formulas in log
space. This module computes the same posteriors in probability space with far fewer operations;
:func:`twitchnet.diagnose` and :func:`twitchnet.diagnose_frame` run it, and the property tests hold
it to the reference engine and to pgmpy. Every step is an exact identity:

1. **Lookup tables for the risk factors.** The private factors of each cause, and the context
   factors, are few and discrete, so every observation pattern (each factor unknown or in one of its
   states) is enumerated when the plan is built: ``Q_c[pattern, k] = (P(c absent, e_priv(c) | k),
   P(c present, e_priv(c) | k))`` for every context ``k``, and ``W[pattern, k] = P(k, e_ctx)``. A case
   costs one integer code and one gather per cause.
2. **Only context-dependent causes see the contexts.** A cause whose table does not vary with the
   context (in the default model medication, benign twitching and phantom vibration)
   factors out of the sum over contexts, which then runs over the ``2**|D|`` joint states of the
   dependent causes ``D`` only: ``G(s_D) = sum_k W_k prod_{c in D} Q_c[s_c, k]``. The prior over all
   ``2**C`` cause states is ``G`` times a Kronecker product of the other causes' pairs. Internally the
   dependent causes take the low bits of the state index (``Plan.perm`` maps back).
3. **Absent findings factor over causes.** Under noisy-OR
   ``P(f absent | s) = (1 - leak_f) prod_c (1 - p_cf)**s_c``, so all absent findings together are one
   factor per cause, folded into each cause's "present" weight before the Kronecker product. Only
   present findings need a table over the joint states: ``P(f present | s)``, multiplied in.
4. **Two sums per cause.** With ``J(s) = P(s, e)`` over the states, a product with ``[S, 1 - S]``
   gives for every cause the mass with it present and with it absent, so neither a posterior near 0
   nor one near 1 loses digits to cancellation.

Products of probabilities stay far above the floating-point floor for any realistic model; a row
where some mass falls below ``1e-280`` (impossible evidence, or odds beyond about ``e**±640``) is
recomputed by the reference engine in log space, so the result equals the reference everywhere.
"""

from __future__ import annotations

import itertools
import os

import numpy as np

from twitchnet.engine import reference as ref
from twitchnet.engine.kernel import TABLES, Explained, KernelPlan, _kernel
from twitchnet.engine.kernel import explain as _fastpath_explain

__all__ = ["Explained", "FactorTables", "Plan", "explain", "explained_from_log_odds", "posterior"]

_TINY = 1e-280
_CHUNK = 1024  # rows per block: keeps the (rows, 2**C) working arrays in cache


def _patterns(n_states):
    """Every observation pattern of variables with ``n_states`` states (-1 = unknown), in code order,
    and the mixed radix that maps ``state + 1`` to the pattern's row."""
    radix = np.ones(len(n_states), dtype=np.int64)
    for i in range(len(n_states) - 2, -1, -1):
        radix[i] = radix[i + 1] * (n_states[i + 1] + 1)
    rows = list(itertools.product(*(range(-1, int(n)) for n in n_states)))
    return np.array(rows, dtype=np.int64).reshape(len(rows), len(n_states)), radix


def _consistent(patterns, states):
    """``(P, J)`` mask: pattern ``p`` (with -1 = unknown) agrees with joint state ``j``."""
    if patterns.shape[1] == 0:
        return np.ones((patterns.shape[0], states.shape[0]), dtype=bool)
    return ((patterns[:, None, :] == -1) | (patterns[:, None, :] == states[None, :, :])).all(axis=2)


class FactorTables:
    """The risk-factor lookup tables shared by every engine, built once per model.

    Every observation pattern of each cause's private factors (each factor unknown or in one of its
    states) and of the context factors is enumerated, so a case costs one integer code per cause:
    ``q_all[q_offset[c] + code_c, k] = (P(c absent, e_priv(c) | k), P(c present, e_priv(c) | k))``
    and ``ctx_w[code_ctx, k] = P(k, e_ctx)``. Linear in the number of causes (no ``2**C`` table).

    Parameters
    ----------
    ctx_states, log_ctx_prior, priv_vars, priv_states, priv_weight
        As in :class:`twitchnet.engine.reference.Arrays`.
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
    code_terms : tuple of tuple of (int, int)
        Per risk factor, the ``(column, radix)`` terms of the pattern codes.
    """

    def __init__(self, ctx_states, log_ctx_prior, priv_vars, priv_states, priv_weight, n_rf):
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
            pats, radix_c = _patterns(n_s)
            codes[priv_vars[c], c] = radix_c
            m = _consistent(pats, states).astype(float)
            w0, w1 = priv_weight[c]
            table = np.stack([m @ w0.T, m @ w1.T], axis=-1)  # (P_c, K, 2)
            if n_k > 1 and not np.array_equal(table, np.broadcast_to(table[:, :1], table.shape)):
                dep.append(c)
            full.append(table)
        self._ctx_radix = radix
        self.codes = codes
        self.q_all = np.ascontiguousarray(np.concatenate(full)) if full else np.zeros((0, n_k, 2))
        self.sizes = tuple(t.shape[0] for t in full)
        self.q_offset = np.cumsum((0,) + self.sizes[:-1]).astype(np.int64)
        self.dep = tuple(dep)

    def set_context(self, ctx_vars):
        """Write the context factors' radix into the last column of ``codes`` (then freeze)."""
        self.codes[ctx_vars, -1] = self._ctx_radix
        self.code_terms = tuple(tuple((int(col), int(r)) for col, r in enumerate(row) if r) for row in self.codes.tolist())
        for value in (self.ctx_w, self.codes, self.q_all, self.q_offset):
            value.setflags(write=False)
        return self


class Plan:
    """Lookup tables and constant matrices of the fast engine, built once per model.

    Parameters
    ----------
    arr : twitchnet.engine.reference.Arrays

    Attributes
    ----------
    dep, indep : tuple of int
        Causes whose tables vary with the context, and the others.
    order : tuple of int
        Cause of each internal state bit (``dep`` first).
    perm : ndarray of int
        Standard state index of each internal state.
    codes : ndarray of shape (R, C + 1), int
        ``(rf_state + 1) @ codes`` gives each cause's private pattern code and, last, the context's.
    ctx_w : ndarray of shape (P_ctx, K)
        ``P(k, e_ctx)`` for every context pattern (0 where inconsistent).
    q_all : ndarray of shape (sum P_c, K, 2)
        Every cause's pattern table, cause ``c``'s rows starting at ``q_offset[c]``.
    p1 : ndarray of shape (F + 1, 2**C)
        ``P(f present | s)`` in internal state order; the last row is all ones (padding).
    log_keep : ndarray of shape (F, C)
        ``log(1 - p_cf)``: each cause's factor for an absent finding.
    log_leak_off : ndarray of shape (F,)
        ``log(1 - leak_f)``.
    split_lo, split_hi : ndarray
        Which internal state of each factor has each cause present (columns ``c``) or absent
        (columns ``C + c``).
    """

    def __init__(self, arr):
        self.arr = arr
        n_c = arr.n_causes
        ft = FactorTables(arr.ctx_states, arr.log_ctx_prior, arr.priv_vars, arr.priv_states, arr.priv_weight, arr.n_rf).set_context(arr.ctx_vars)
        n_k = self.n_ctx = ft.n_ctx
        self.n_causes = n_c
        self.ctx_w, self.codes, self.q_all, self.q_offset = ft.ctx_w, ft.codes, ft.q_all, ft.q_offset
        q = ft.sizes
        dep = list(ft.dep)
        self.dep = tuple(dep)
        self.indep = tuple(c for c in range(n_c) if c not in dep)
        self.order = self.dep + self.indep
        t = np.arange(2**n_c)
        self.perm = sum(((t >> i) & 1) << c for i, c in enumerate(self.order))
        with np.errstate(under="ignore"):
            p1 = np.exp(arr.log_f1[self.perm]).T  # (F, S)
            p0 = np.exp(arr.log_f0[self.perm]).T
        self.p1 = np.ascontiguousarray(np.vstack([p1, np.ones((1, 2**n_c))]))
        # rows (value * F + f) for the single-case path: P(f = value | s)
        self.p_obs = np.ascontiguousarray(np.vstack([p0, p1]))
        self.log_keep = np.ascontiguousarray(arr.b0.T)  # (F, C)
        self.log_leak_off = np.ascontiguousarray(arr.a0)
        s = arr.states[self.perm]
        self.states_t = np.ascontiguousarray(s.T)
        # the same sums from the two marginals u (over s_D) and v (over s_I): each cause's column
        # is filled from the factor that holds its bit
        n_lo, n_hi = 2 ** len(self.dep), 2 ** len(self.indep)
        self.split_lo = np.zeros((n_lo, 2 * n_c))
        self.split_hi = np.zeros((n_hi, 2 * n_c))
        for i, c in enumerate(self.order):
            if i < len(self.dep):
                bit = (np.arange(n_lo) >> i) & 1
                self.split_lo[:, c], self.split_lo[:, n_c + c] = bit, 1 - bit
            else:
                bit = (np.arange(n_hi) >> (i - len(self.dep))) & 1
                self.split_hi[:, c], self.split_hi[:, n_c + c] = bit, 1 - bit
        # counterfactual tables (see twitchnet.engine.counterfactual): per finding, g/(1-g) and 1/(1-g)
        # over the states, and the per-cause coefficients link odds and link probability
        with np.errstate(divide="ignore"):
            inv_on = 1.0 / p1
        self.cf_rows = np.ascontiguousarray(np.vstack([p0 * inv_on, inv_on]))  # (2F, S)
        self.cf_coef = np.ascontiguousarray(np.hstack([arr.link_odds, 1.0 - np.exp(arr.b0)]))  # (C, 2F)
        self.keep = np.ascontiguousarray(np.exp(arr.b0.T))  # (F, C): 1 - p_cf
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
        self.layout = np.array(
            [n_c, n_k, self.keep.shape[0], len(self.dep), len(self.indep), self.ctx_w.shape[0], self.codes.shape[0], *self.order, *q],
            dtype=np.int64,
        )
        # the kernel is compiled to twitchnet.limits; a larger network (Quickscore's) runs in numpy
        fits = _kernel is not None and n_c <= _kernel.MAXC and self.keep.shape[0] <= _kernel.MAXF
        self.kernel = _kernel.make_plan(self.layout, *(getattr(self, k) for k in TABLES)) if fits else None
        self.code_terms = ft.code_terms

    def kernel_plan(self):
        """The kernel's tables as a numpy-free :class:`twitchnet.engine.kernel.KernelPlan`."""
        return KernelPlan(self.layout.tobytes(), {k: np.ascontiguousarray(getattr(self, k)).tobytes() for k in TABLES}, self.code_terms)

    # ------------------------------------------------------------------ risk factors
    def factors(self, codes, keep=None):
        """The prior over cause states as two factors, for rows sharing one context pattern.

        ``P(s, e_R) = lo[s_D] * hi[s_I]`` summed over the live contexts inside ``lo``: the internal
        state index is ``hi_index * 2**|D| + lo_index``.

        Parameters
        ----------
        codes : ndarray of shape (N, C + 1), int
            Each cause's private pattern code, then the context's (``(rf_state + 1) @ self.codes``);
            the context code must be the same in every row.
        keep : ndarray of shape (N, C), optional
            An extra factor on each cause's present state (the absent findings' ``prod (1 - p_cf)``).

        Returns
        -------
        lo : ndarray of shape (N, 2**|D|)
        hi : ndarray of shape (N, 2**|I|)
        """
        n = codes.shape[0]
        w = self.ctx_w[codes[0, -1]]
        live = np.flatnonzero(w > 0)
        pair = np.take(self.q_all, codes[:, :-1] + self.q_offset, axis=0)  # (N, C, K, 2)
        if live.size < w.size:
            pair = pair[:, :, live]
        if keep is not None:
            pair[:, :, :, 1] *= keep[:, :, None]
        lo = np.broadcast_to(w[live][None, :, None], (n, live.size, 1))
        for c in self.dep:
            lo = (pair[:, c, :, :, None] * lo[:, :, None, :]).reshape(n, live.size, -1)
        lo = lo.sum(axis=1)  # (N, 2**|D|)
        hi = np.ones((n, 1))
        for c in self.indep:
            hi = (pair[:, c, 0, :, None] * hi[:, None, :]).reshape(n, -1)
        return lo, hi


def posterior(plan, rf_state, finding_state, chunk=_CHUNK, threads=None):
    """Posterior probabilities of every cause for many cases (the batch path).

    Rows are put in an order that shares work (by context pattern, then by number of present
    findings), processed in blocks of at most ``chunk`` rows on ``threads`` threads, and returned
    in the original order.

    Parameters
    ----------
    plan : Plan
    rf_state : ndarray of shape (N, R), int
        Risk-factor state indices, -1 where unknown.
    finding_state : ndarray of shape (N, F), int
        1 present, 0 absent, -1 unknown.
    chunk : int
        Rows per block.
    threads : int, optional
        Worker threads (numpy releases the GIL inside array operations). Default: the number of
        CPUs for batches of more than ``4 * chunk`` rows, else 1.

    Returns
    -------
    prob : ndarray of shape (N, C)
        ``P(c | e)``.
    log_evidence : ndarray of shape (N,)
        ``log P(e)``; ``-inf`` where the evidence is impossible (those rows of ``prob`` are 0).
    """
    n = rf_state.shape[0]
    prob = np.empty((n, plan.n_causes))
    log_ev = np.empty(n)
    if n == 0:
        return prob, log_ev
    if threads is None:
        threads = (os.cpu_count() or 1) if n > 4 * chunk else 1
    if plan.kernel is not None:  # row by row in C: no reordering needed
        rf8 = np.ascontiguousarray(rf_state, dtype=np.int8)
        fs8 = np.ascontiguousarray(finding_state, dtype=np.int8)
        hard = np.empty(n, dtype=np.uint8)

        def block(ab):
            a, b = ab
            _kernel.batch(plan.kernel, rf8[a:b], fs8[a:b], prob[a:b], log_ev[a:b], hard[a:b])

        _run(block, [(a, min(n, a + 4 * chunk)) for a in range(0, n, 4 * chunk)], threads)
        return _redo_hard(plan, np.flatnonzero(hard), rf_state, finding_state, prob, log_ev)
    codes = (rf_state.astype(np.int64) + 1) @ plan.codes
    count = (finding_state == 1).sum(axis=1)
    order = np.lexsort((-count, codes[:, -1]))
    ctx_sorted = codes[order, -1]
    cuts = np.flatnonzero(np.diff(ctx_sorted)) + 1
    bounds = []
    for a, b in zip(np.r_[0, cuts].tolist(), np.r_[cuts, n].tolist()):
        bounds += [(i, min(b, i + chunk)) for i in range(a, b, chunk)]

    def run(ab):
        a, b = ab
        rows = order[a:b]
        p, lev = _posterior_block(plan, codes[rows], rf_state[rows], finding_state[rows])
        prob[rows] = p
        log_ev[rows] = lev

    _run(run, bounds, threads)
    return prob, log_ev


def _run(fn, blocks, threads):
    """``fn`` on every block, on ``threads`` threads (numpy and the C kernel release the GIL)."""
    if threads > 1 and len(blocks) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(threads, len(blocks))) as pool:
            list(pool.map(fn, blocks))
    else:
        for ab in blocks:
            fn(ab)


def _posterior_block(plan, codes, rf_state, finding_state):
    """Rows sharing one context pattern, sorted by number of present findings, most first."""
    n_c = plan.n_causes
    absent = (finding_state == 0).astype(float)
    with np.errstate(under="ignore"):
        keep = np.exp(absent @ plan.log_keep)  # (N, C)
    lo, hi = plan.factors(codes, keep)  # absent findings folded in
    present = finding_state == 1
    count = present.sum(axis=1)
    m0 = int(np.count_nonzero(count))  # rows with a present finding come first
    # For every cause, the mass of the joint states with it present and absent: sums of
    # P(s, e) = hi[s_I] * lo[s_D] * prod_{f present} P(f | s) over the states, done as
    # u = lo * (hi @ T), v = hi * (T @ lo) with T the product table over (s_I, s_D).
    u = lo * hi.sum(axis=1, keepdims=True)  # rows without present findings: T = 1
    v = hi * lo.sum(axis=1, keepdims=True)
    if m0:
        f_idx = np.where(present[:m0], np.arange(present.shape[1], dtype=np.int16)[None, :], present.shape[1])
        f_idx.sort(axis=1)
        table = np.take(plan.p1, f_idx[:, 0], axis=0)
        neg = -count[:m0]
        for j in range(1, int(count[0])):
            m = int(np.searchsorted(neg, -j, side="left"))  # rows with more than j present
            table[:m] *= np.take(plan.p1, f_idx[:m, j], axis=0)
        table = table.reshape(m0, hi.shape[1], lo.shape[1])
        u[:m0] = np.matmul(hi[:m0, None, :], table)[:, 0] * lo[:m0]
        v[:m0] = np.matmul(table, lo[:m0, :, None])[:, :, 0] * hi[:m0]
    sums = u @ plan.split_lo + v @ plan.split_hi  # (N, 2C): mass with each cause present, then absent
    total = u.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        prob = sums[:, :n_c] / total[:, None]
        log_ev = np.log(total) + absent @ plan.log_leak_off
    return _redo_hard(plan, np.flatnonzero(~(sums.min(axis=1) > _TINY)), rf_state, finding_state, prob, log_ev)


def _redo_hard(plan, hard, rf_state, finding_state, prob, log_ev):
    """Recompute, with the reference engine in log space, the rows whose sums left the safe range."""
    if hard.size:
        post, _, lev = ref.posterior_log_odds(plan.arr, rf_state[hard].astype(np.int64), finding_state[hard].astype(np.int64), prior=False)
        prob[hard] = np.where(np.isfinite(lev)[:, None], ref.expit(post), 0.0)
        log_ev[hard] = lev
    return prob, log_ev


def explain(plan, codes, rows, positive):
    """One case with its sequential explanation and counterfactuals.

    Parameters
    ----------
    plan : Plan
    codes : sequence of int, length C + 1
        Each cause's private pattern code, then the context's.
    rows : sequence of int
        The observed findings in the order they are added, as rows ``value * F + f`` of
        ``plan.p_obs``.
    positive : sequence of int
        Indices of the findings observed present.

    Returns
    -------
    Explained or None
        None when a sum falls outside the floating-point range this path keeps exact (then use
        the reference engine: :func:`twitchnet.diagnose`). ``log_evidence`` is ``-inf`` when
        the evidence is impossible.
    """
    if plan.kernel is not None:
        return _fastpath_explain(plan, codes, rows, positive)
    n_c = plan.n_causes
    lo, hi = plan.factors(np.array([codes], dtype=np.int64))
    n = len(rows)
    buf = np.empty((n + 1, plan.p1.shape[1]))
    np.multiply(hi[0, :, None], lo[0, None, :], out=buf[0].reshape(hi.shape[1], lo.shape[1]))
    if n:
        table = plan.p_obs[list(rows)]
        for j in range(n):
            np.multiply(buf[j], table[j], out=buf[j + 1])
    b3 = buf.reshape(n + 1, hi.shape[1], lo.shape[1])
    sums = b3.sum(axis=1) @ plan.split_lo + b3.sum(axis=2) @ plan.split_hi
    total = sums[-1, 0] + sums[-1, n_c]
    if not total > 0:
        return Explained(-np.inf, *([None] * 7))
    if not (sums.min() > _TINY and np.isfinite(sums).all()):
        return None
    lg = np.log(sums)
    post = lg[:, :n_c] - lg[:, n_c:]
    if len(positive):
        idx = list(positive) + [plan.keep.shape[0] + f for f in positive]
        x = (plan.states_t * buf[-1]) @ plan.cf_rows[idx].T  # (C, 2P)
        x *= plan.cf_coef[:, idx]
        dis, suff = x[:, : len(positive)].sum(axis=1) / total, x[:, len(positive) :].sum(axis=1) / total
    else:
        dis = suff = np.zeros(n_c)
    return explained_from_log_odds(float(np.log(total)), post, dis, suff)


def explained_from_log_odds(log_ev, post, dis, suff):
    """An :class:`Explained` from the ``(n + 1, C)`` log-odds after each finding (row 0: risk
    factors only) and the counterfactual arrays."""
    ends = post[[0, -1]]
    with np.errstate(over="ignore"):
        prob = 1.0 / (1.0 + np.exp(-ends))
    return Explained(log_ev, ends[0].tolist(), ends[1].tolist(), prob[0].tolist(), prob[1].tolist(),
                     np.diff(post, axis=0).T.tolist(), np.asarray(dis).tolist(), np.asarray(suff).tolist())
