"""How sure is the ranking? Uncertainty from the knowledge base's ``[low, high]`` ranges.

Every number of the knowledge base carries a plausible range. This module answers three questions
about them, exactly:

1. **How sure is one diagnosis** (:func:`uncertainty`, ``twitchnet.diagnose(..., uncertainty=1000)``,
   :meth:`twitchnet.Diagnosis.uncertainty`): every number is drawn from the distribution below,
   the exact posterior of every cause is computed for every draw at once (arrays with a leading
   draw axis, not a loop of :func:`twitchnet.diagnose`), and each cause gets the median and a 90%
   interval of its posterior over the draws, the share of draws in which it ranks first and in
   which it is among the first three.
2. **What one answer rests on** (:func:`rests_on`): the numbers that move the top cause's
   posterior log-odds most across their ranges, ``|d log-odds / d number| * (high - low) / 2``. The
   derivative is exact: forward-mode differentiation (dual numbers, :class:`_Dual`) of the same
   computation, not finite differences (the tests check it against them).
3. **What the model rests on** (:func:`sensitivity`): every number moved to its low and to its
   high end, one at a time, over a set of cases, ranked by the share of cases whose top cause
   changes. Each moved model is rebuilt (its arrays and the fast engine's tables) and run through
   the batch engine.

The distribution of a number
----------------------------
A probability is drawn on the logit scale, an odds ratio on the log scale. With ``g`` that
transform, ``m = g(value)``, ``a = g(low)`` and ``b = g(high)``, the draw is a two-piece (split)
normal on that scale::

    x = m + (m - a) / 1.96 * z   if z < 0,      x = m + (b - m) / 1.96 * z   if z >= 0,   z ~ N(0, 1)

so the point value is the median and ``low`` and ``high`` are exactly the 2.5% and 97.5% points:
95% of the mass lies inside ``[low, high]`` on the natural scale. When the range is symmetric on
the transformed scale this is the logit-normal (log-normal) distribution; otherwise each side has
its own width. Special cases:

* **Fixed numbers**: structural zeros and numbers whose range has zero width are never drawn.
  The red-flag rules have no numbers and always hold.
* **An end at 0 or 1** (a probability; infinite on the logit scale) takes the width of the other
  side; a probability with both ends open (``[0, 1]``) says nothing on that scale and is held at
  its value (listed in :attr:`Uncertainty.held`).
* **A value at an end of its range** (``value == low < high``): the half on that side collapses
  onto the value.
* **Never exactly 0 or 1.** A draw on the logit scale is finite, but its probability can round to
  exactly 0 or 1 (a logit above 36.7): such a draw is taken as the nearest double inside (0, 1)
  (:data:`OPEN_LOW`, :data:`OPEN_HIGH`), as is a range end at 0 or 1 in :func:`sensitivity`. The
  knowledge base's own values lie in (0, 1) (the loader refuses 0 and 1), so no draw or sweep makes
  a probability certain that the model says is not, and no logarithm is infinite.
* **Category priors** (e.g. the age groups) must sum to 1: each state is drawn as above, then the
  group is divided by its sum. In the sweep and the derivative, moving one state's probability
  scales the others of the group in proportion, ``p_j * (1 - p_new) / (1 - p_old)``.
* The draws of different numbers are independent.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field, replace

import numpy as np

from twitchnet import _validation as v
from twitchnet.errors import EngineLimitError, EvidenceError, TwitchnetError
from twitchnet.limits import MAX_DRAWS, SAFE_FLOOR

__all__ = [
    "CauseUncertainty",
    "Uncertainty",
    "RestsOn",
    "SensitivityRow",
    "Sensitivity",
    "uncertainty",
    "rests_on",
    "sensitivity",
    "draw_numbers",
    "with_numbers",
]

Z975 = 1.959963984540054  # the standard normal's 97.5% point
#: The smallest and largest probability a draw or a sweep gives a number: the doubles next to 0
#: (the smallest normal one) and next to 1, so that ``log(p)`` and ``log1p(-p)`` stay finite.
OPEN_LOW = float(np.finfo(float).tiny)
OPEN_HIGH = float(np.nextafter(1.0, 0.0))
#: Log odds ratios are clipped to +-this before ``exp`` (the loader bounds them to +-13.8).
_LOG_OR_CLIP = 700.0
LEVEL = 0.90  # the interval reported per cause
_CHUNK = 128  # draws per block: keeps the (draws, 2**C) working tables in cache


# ---------------------------------------------------------------------- forward-mode dual numbers
class _Dual:
    """A value and its tangents: ``t`` has the shape of ``v`` with one extra leading axis (one
    direction per number). Only the operations the posterior needs; every axis argument is
    negative, so that the same code runs on plain arrays and on duals.
    """

    __array_ufunc__ = None  # numpy defers to the reflected operators below
    __slots__ = ("v", "t")

    def __init__(self, v, t):
        self.v, self.t = v, t

    def __add__(self, o):
        return _Dual(self.v + o.v, self.t + o.t) if isinstance(o, _Dual) else _Dual(self.v + o, self.t)

    __radd__ = __add__

    def __neg__(self):
        return _Dual(-self.v, -self.t)

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return (-self) + o

    def __mul__(self, o):
        if isinstance(o, _Dual):
            return _Dual(self.v * o.v, self.t * o.v + self.v * o.t)
        return _Dual(self.v * o, self.t * o)

    __rmul__ = __mul__

    def __matmul__(self, m):  # by a constant matrix
        return _Dual(self.v @ m, self.t @ m)

    def __getitem__(self, key):  # keys start with Ellipsis
        return _Dual(self.v[key], self.t[key])

    def sum(self, axis):
        return _Dual(self.v.sum(axis=axis), self.t.sum(axis=axis))

    @property
    def shape(self):
        return self.v.shape


def _exp(x):
    if isinstance(x, _Dual):
        e = np.exp(x.v)
        return _Dual(e, x.t * e)
    return np.exp(x)


def _log(x):
    if isinstance(x, _Dual):
        return _Dual(np.log(x.v), x.t / x.v)
    return np.log(x)


def _log1m(x):
    """``log(1 - x)``."""
    if isinstance(x, _Dual):
        return _Dual(np.log1p(-x.v), -x.t / (1.0 - x.v))
    return np.log1p(-x)


def _expit_plain(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _concat(parts):
    if isinstance(parts[0], _Dual):
        return _Dual(np.concatenate([p.v for p in parts], axis=-1), np.concatenate([p.t for p in parts], axis=-1))
    return np.concatenate(parts, axis=-1)


def _outer_flat(h, g):
    """``h[..., i] * g[..., j]`` flattened to index ``i * len(g) + j``."""
    x = h[..., :, None] * g[..., None, :]
    n = h.shape[-1] * g.shape[-1]
    if isinstance(x, _Dual):
        return _Dual(x.v.reshape(x.v.shape[:-2] + (n,)), x.t.reshape(x.t.shape[:-2] + (n,)))
    return x.reshape(x.shape[:-2] + (n,))


def _prod_terms(th, idx, comp):
    """``prod_i (th[idx_i] or 1 - th[idx_i])`` over the last axis of ``idx`` (``comp`` marks the
    complements); sequential products, so a zero term gives an exact zero and no division.
    """
    out = None
    for i in range(idx.shape[-1]):
        c = comp[..., i].astype(float)
        term = th[..., idx[..., i]] * (1.0 - 2.0 * c) + c
        out = term if out is None else out * term
    return out


# ---------------------------------------------------------------------- the numbers of a model
class _Structure:
    """Where every number of a knowledge base enters the model's arrays (built once per model).

    Numbers are indexed in :meth:`KnowledgeBase.numbers` order; index ``P`` (one past the last)
    is a constant 0 column of the extended vector ``theta_ext``.
    """

    def __init__(self, model):  # noqa: C901 - one table per kind of number, laid out in KB order
        kb = model.kb
        arr = model.arrays
        pairs = list(kb.numbers())
        self.where = tuple(w for w, _ in pairs)
        self.numbers = tuple(n for _, n in pairs)
        n_p = len(pairs)
        self.n = n_p
        self.value = np.array([n.value for n in self.numbers])
        self.low = np.array([n.low for n in self.numbers])
        self.high = np.array([n.high for n in self.numbers])
        # positions, walking the knowledge base in numbers() order
        pos = 1  # 0 is the triage threshold
        rf_pos = {}
        for rf in kb.risk_factors:
            rf_pos[rf.id] = list(range(pos, pos + len(rf.prior)))
            pos += len(rf.prior)
        base_pos, eff_pos = [], []
        odds_ratio = np.zeros(n_p, dtype=bool)
        for c in kb.causes:
            base_pos.append(pos)
            eff_pos.append(list(range(pos + 1, pos + 1 + len(c.effects))))
            odds_ratio[pos + 1 : pos + 1 + len(c.effects)] = True
            pos += 1 + len(c.effects)
        cause_index = {c: i for i, c in enumerate(model.cause_ids)}
        zero = n_p
        self.leak_pos = np.zeros(len(kb.findings), dtype=np.int64)
        self.link_pos = np.full((len(kb.causes), len(kb.findings)), zero, dtype=np.int64)
        for f_i, f in enumerate(kb.findings):
            self.leak_pos[f_i] = pos
            pos += 1
            for link in f.links:
                self.link_pos[cause_index[link.cause], f_i] = pos
                pos += 1
        assert pos == n_p, "numbers() order changed"
        self.odds_ratio = odds_ratio
        self.structural = np.array([n.structural for n in self.numbers])
        self.fixed = self.structural | (self.low == self.high)
        # category priors: groups that must sum to 1
        self.groups = [np.array(rf_pos[rf.id]) for rf in kb.risk_factors if rf.kind != "binary"]
        self.group_of = np.full(n_p, -1, dtype=np.int64)
        for g, members in enumerate(self.groups):
            self.group_of[members] = g
        self._distribution()

        rfs = kb.risk_factors
        rf_index = {r.id: i for i, r in enumerate(rfs)}
        ctx_vars = [int(i) for i in arr.ctx_vars]
        ctx_col = {r: i for i, r in enumerate(ctx_vars)}

        def term(r, state, parent_state):
            """(position, complement) of P(risk factor r = state | its parent)."""
            rf = rfs[r]
            if rf.kind != "binary":
                return rf_pos[rf.id][state], False
            p = rf_pos[rf.id][0 if rf.parent is None else int(parent_state)]
            return p, state == 0

        def parent_states(r, ctx_states):
            rf = rfs[r]
            if rf.kind != "binary" or rf.parent is None:
                return np.zeros(ctx_states.shape[0], dtype=np.int64)
            return ctx_states[:, ctx_col[rf_index[rf.parent]]]

        n_k = arr.ctx_states.shape[0]
        self.n_ctx = n_k
        self.ctx_idx = np.full((n_k, max(len(ctx_vars), 1)), zero, dtype=np.int64)
        self.ctx_comp = np.ones(self.ctx_idx.shape, dtype=bool)
        for i, r in enumerate(ctx_vars):
            par = parent_states(r, arr.ctx_states)
            for k in range(n_k):
                self.ctx_idx[k, i], self.ctx_comp[k, i] = term(r, int(arr.ctx_states[k, i]), par[k])
        # per cause: private terms (K, J, n), effect matrix (E, K * J), baseline and effect positions
        self.priv_idx, self.priv_comp, self.effects, self.base_pos, self.eff_pos, dep = [], [], [], [], [], []
        for c, cause in enumerate(kb.causes):
            pv = [int(i) for i in arr.priv_vars[c]]
            ps = arr.priv_states[c]
            n_j = ps.shape[0]
            idx = np.full((n_k, n_j, max(len(pv), 1)), zero, dtype=np.int64)
            comp = np.ones(idx.shape, dtype=bool)
            uses_ctx = False
            for i, r in enumerate(pv):
                parent = rf_index.get(rfs[r].parent)
                if parent is not None and parent not in ctx_col:  # a test result and the factor it measures, both private
                    for k in range(n_k):
                        for j in range(n_j):
                            idx[k, j, i], comp[k, j, i] = term(r, int(ps[j, i]), ps[j, pv.index(parent)])
                    continue
                par = parent_states(r, arr.ctx_states)
                uses_ctx |= rfs[r].parent is not None
                for k in range(n_k):
                    for j in range(n_j):
                        idx[k, j, i], comp[k, j, i] = term(r, int(ps[j, i]), par[k])
            a = np.ones((len(cause.effects), n_k, n_j), dtype=bool)
            for e_i, e in enumerate(cause.effects):
                for f, st in e.conditions:
                    r = rf_index[f]
                    s = rfs[r].states.index(st)
                    if r in ctx_col:
                        uses_ctx = True
                        a[e_i] &= (arr.ctx_states[:, ctx_col[r]] == s)[:, None]
                    else:
                        a[e_i] &= (ps[:, pv.index(r)] == s)[None, :]
            self.priv_idx.append(idx)
            self.priv_comp.append(comp)
            self.effects.append(a.astype(float))
            self.base_pos.append(base_pos[c])
            self.eff_pos.append(np.array(eff_pos[c], dtype=np.int64))
            if uses_ctx and n_k > 1:
                dep.append(c)
        self.dep = tuple(dep)
        self.indep = tuple(c for c in range(len(kb.causes)) if c not in dep)
        order = self.dep + self.indep
        n_c = len(order)
        t = np.arange(2**n_c)
        self.states_int = np.zeros((2**n_c, n_c))
        for i, c in enumerate(order):
            self.states_int[:, c] = (t >> i) & 1
        self.not_states_int = 1.0 - self.states_int
        self.order = order
        # (2**C, 2C): column c is 1 on the internal states with cause c present, column C + c absent
        self.present_absent = np.hstack([self.states_int, self.not_states_int])
        self.cause_ids = model.cause_ids

    def _distribution(self):
        """Median and the two half-widths of every number on its transformed scale."""
        val, lo, hi = self.value, self.low, self.high
        prob = ~self.odds_ratio
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.where(prob, np.log(val) - np.log1p(-np.minimum(val, 1.0)), np.log(val))
            ga = np.where(prob, np.log(lo) - np.log1p(-lo), np.log(lo))
            gb = np.where(prob, np.log(hi) - np.log1p(-np.minimum(hi, 1.0)), np.log(hi))
            left, right = (g - ga) / Z975, (gb - g) / Z975
        open_left, open_right = ~np.isfinite(left), ~np.isfinite(right)
        left = np.where(open_left, right, left)
        right = np.where(open_right, left, right)
        held = ~self.fixed & open_left & open_right
        self.held = held
        self.drawn = ~self.fixed & ~held
        self.median = np.where(self.drawn, g, 0.0)
        self.left = np.where(self.drawn, left, 0.0)
        self.right = np.where(self.drawn, right, 0.0)
        self.drawn_p = np.flatnonzero(self.drawn & prob)
        self.drawn_or = np.flatnonzero(self.drawn & ~prob)

    # ------------------------------------------------------------------ numbers -> arrays
    def group_selector(self, members):
        """Boolean over the internal cause states (``order``): at least one of ``members`` present."""
        return (self.states_int[:, list(members)] > 0).any(axis=1)

    def ext(self, theta):
        """``theta`` (D, P) with the constant 0 column appended: (D, P + 1)."""
        return np.concatenate([theta, np.zeros(theta.shape[:-1] + (1,))], axis=-1)

    def arrays(self, theta, model):
        """The model's :class:`~twitchnet.model.arrays.Arrays` with the numbers ``theta`` (P,)."""
        from twitchnet.model.arrays import Arrays

        arr = model.arrays
        th = self.ext(np.asarray(theta, dtype=float)[None])[0]
        with np.errstate(divide="ignore"):
            log_ctx = np.log(_prod_terms(th, self.ctx_idx, self.ctx_comp))
        weights = []
        for c in range(len(self.cause_ids)):
            pj = _prod_terms(th, self.priv_idx[c], self.priv_comp[c])  # (K, J)
            b = th[self.base_pos[c]]
            z = math.log(b) - math.log1p(-b) + np.tensordot(np.log(th[self.eff_pos[c]]), self.effects[c], axes=1)
            weights.append((pj * (1.0 / (1.0 + np.exp(z))), pj * (1.0 / (1.0 + np.exp(-z)))))
        log_f0 = np.log1p(-th[self.leak_pos])[None, :] + arr.states @ np.log1p(-th[self.link_pos])
        log_f1 = np.log(-np.expm1(log_f0))
        return Arrays(arr.states, arr.ctx_vars, arr.ctx_states, log_ctx, arr.priv_vars, arr.priv_states, weights, log_f1, log_f0)

    def moved(self, i, x):
        """The numbers with number ``i`` set to ``x`` (the others of its category group scaled); a
        probability at 0 or 1 (a range end) is moved to the nearest double inside (0, 1).
        """
        if not self.odds_ratio[i]:
            x = min(max(x, OPEN_LOW), OPEN_HIGH)
        theta = self.value.copy()
        g = self.group_of[i]
        if g >= 0:
            others = self.groups[g][self.groups[g] != i]
            theta[others] *= (1.0 - x) / (1.0 - theta[i])
        theta[i] = x
        return theta


_STRUCTURES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _structure(model):
    st = _STRUCTURES.get(model)
    if st is None:
        st = _STRUCTURES[model] = _Structure(model)
    return st


# ---------------------------------------------------------------------- one case, many number sets
class _Case:
    """One case's evidence reduced to what the numbers act on: the live contexts, each cause's
    live private states, the absent and the present findings.
    """

    def __init__(self, st, model, rf_state, finding_state):
        arr = model.arrays
        rf = np.asarray(rf_state, dtype=np.int64)
        fs = np.asarray(finding_state, dtype=np.int64)
        obs_ctx = rf[arr.ctx_vars] if arr.ctx_vars.size else np.zeros(0, dtype=np.int64)
        ok = ((obs_ctx[None, :] < 0) | (arr.ctx_states == obs_ctx[None, :])).all(axis=1)
        self.k = np.flatnonzero(ok)
        self.rows = []
        for c in range(len(st.cause_ids)):
            pv = arr.priv_vars[c]
            obs = rf[pv]
            j = np.flatnonzero(((obs[None, :] < 0) | (arr.priv_states[c] == obs[None, :])).all(axis=1))
            ks = self.k if c in st.dep else self.k[:1]
            kk, jj = np.ix_(ks, j)
            self.rows.append((st.priv_idx[c][kk, jj], st.priv_comp[c][kk, jj], st.effects[c][:, kk, jj]))
        self.absent = np.flatnonzero(fs == 0)
        self.present = np.flatnonzero(fs == 1)
        # the numbers _log_odds reads for this case (a finding left unknown sums out: its link and
        # leak numbers cannot move the posterior), with whole category groups: only these are drawn
        read = [st.ctx_idx[self.k].ravel(), np.asarray(st.base_pos, dtype=np.int64), st.link_pos[:, self.absent].ravel(),
                st.link_pos[:, self.present].ravel(), st.leak_pos[self.present]]
        read += [idx.ravel() for idx, _, _ in self.rows] + list(st.eff_pos)
        used = np.zeros(st.n + 1, dtype=bool)
        used[np.concatenate(read)] = True
        used = used[: st.n]
        for members in st.groups:
            if used[members].any():
                used[members] = True
        self.used = used
        self._flat = None
        self._buffers = {}

    def buffer(self, name, shape):
        """A work array reused from block to block (fresh large arrays cost page faults)."""
        b = self._buffers.get(name)
        if b is None or b.shape != shape:
            b = self._buffers[name] = np.empty(shape)
        return b

    def flat(self, st):
        """Every cause's live private states side by side (built once per case), for the plain
        array path of :func:`_log_odds`: one gather, one product and one matrix product for all
        causes instead of a dozen small operations per cause. Entries ``m`` run over the causes,
        then their live contexts, then their private states; padding terms are the constant
        column taken as a complement (a factor of exactly 1), absent effects exact zeros.
        """
        if self._flat is None:
            n = max(r[0].shape[-1] for r in self.rows)
            idx, comp, cause_m, starts, seg_cause = [], [], [], [], []
            e_pos, blocks = [], []
            m = 0
            for c, (i, cp, a) in enumerate(self.rows):
                k, j, w = i.shape
                padded_i = np.full((k * j, n), st.n, dtype=i.dtype)  # np.pad costs 60 us a call
                padded_i[:, :w] = i.reshape(k * j, w)
                padded_c = np.ones((k * j, n), dtype=bool)
                padded_c[:, :w] = cp.reshape(k * j, w)
                idx.append(padded_i)
                comp.append(padded_c)
                cause_m.append(np.full(k * j, c))
                starts += range(m, m + k * j, j)
                seg_cause += [c] * k
                if a.shape[0]:
                    e_pos.append(st.eff_pos[c])
                    blocks.append((m, a.reshape(a.shape[0], k * j)))
                m += k * j
            eff = np.zeros((sum(b.shape[0] for _, b in blocks), m))
            row = 0
            for col, b in blocks:
                eff[row : row + b.shape[0], col : col + b.shape[1]] = b
                row += b.shape[0]
            seg = np.cumsum([0] + [r[0].shape[0] for r in self.rows])
            self._flat = (np.concatenate(idx), np.concatenate(comp), np.concatenate(cause_m), np.array(starts),
                          np.array(seg_cause), np.concatenate(e_pos) if e_pos else np.zeros(0, dtype=np.int64), eff, seg)
        return self._flat


def _private_plain(st, case, th):
    """The per-cause sums ``(q0, q1)`` of :func:`_log_odds` for plain arrays, all causes at once."""
    idx, comp, cause_m, starts, seg_cause, e_pos, eff, seg = case.flat(st)
    pj = _prod_terms(th, idx, comp)  # (D, M)
    lb = th[..., st.base_pos]  # (D, C)
    z = (np.log(lb) - np.log1p(-lb))[..., cause_m]
    if e_pos.size:
        z = z + np.log(th[..., e_pos]) @ eff
    q1, q0 = _expit_pair(z)
    q0 = np.add.reduceat(pj * q0, starts, axis=-1)  # (D, S): one sum per cause and live context
    q1 = np.add.reduceat(np.multiply(pj, q1, out=pj), starts, axis=-1)
    if case.absent.size:
        q1 *= np.exp(np.log1p(-th[..., st.link_pos[:, case.absent]]).sum(axis=-1))[..., seg_cause]
    return [(q0[..., seg[c] : seg[c + 1]], q1[..., seg[c] : seg[c + 1]]) for c in range(len(st.cause_ids))]


def _log_odds(st, case, th, groups=None):
    """Posterior log-odds of every cause, (D, C), for number sets ``th`` (D, P + 1) (an array,
    or a :class:`_Dual` for the derivatives); also the sums ``S1``, ``S0`` of ``P(s, e)`` over the
    cause states with each cause present and absent. Factors common to all cause states are
    dropped: they cancel in the log-odds.

    With ``groups`` (a sequence of member cause-index tuples), the same three for each group as
    well, ``(D, G)`` each: the sums over the states with at least one member present and with
    none, each summed directly (a group's probability is exact in every draw).
    """
    n_c = len(st.cause_ids)
    w = _prod_terms(th, st.ctx_idx[case.k], st.ctx_comp[case.k])  # (D, K)
    keep_pos = st.link_pos[:, case.absent]  # (C, A)
    q = [] if isinstance(th, _Dual) else _private_plain(st, case, th)
    for c in range(n_c if isinstance(th, _Dual) else 0):
        idx, comp, a = case.rows[c]
        pj = _prod_terms(th, idx, comp)  # (D, K, J)
        lb = th[..., st.base_pos[c]]
        z = (_log(lb) - _log1m(lb))[..., None, None]
        if a.shape[0]:
            z = z + _effects(th, st.eff_pos[c], a)
        q1, q0 = _expit_pair(z)
        q0 = (pj * q0).sum(axis=-1)  # (D, K)
        q1 = (pj * q1).sum(axis=-1)
        if case.absent.size:
            q1 = q1 * _exp(_log1m(th[..., keep_pos[c]]).sum(axis=-1))[..., None]
        q.append((q0, q1))
    g = _kron([q[c] for c in st.dep], w)  # (D, K, 2**|dep|)
    g = g.sum(axis=-2)  # (D, 2**|dep|)
    if st.indep and not isinstance(th, _Dual):
        h = _kron([(q[c][0][..., 0], q[c][1][..., 0]) for c in st.indep])
        joint = case.buffer("joint", g.shape[:-1] + (h.shape[-1] * g.shape[-1],))
        np.multiply(h[..., :, None], g[..., None, :], out=joint.reshape(h.shape + g.shape[-1:]))  # as _outer_flat
    elif st.indep:
        h = _kron([(q[c][0][..., 0], q[c][1][..., 0]) for c in st.indep])
        joint = _outer_flat(h, g)  # (D, 2**C), internal state order
    else:
        joint = g
    if case.present.size and not isinstance(th, _Dual):
        # the loop below with the tables updated in place (no temporaries of 2**C per draw)
        for f in case.present:
            pos = st.link_pos[st.order, f]
            keep = 1.0 - th[..., pos]  # (D, C) in internal order
            off = _kron([(None, keep[..., i]) for i in range(len(pos))], linked=pos < st.n, out=case.buffer("off", joint.shape))
            off *= (1.0 - th[..., st.leak_pos[f]])[..., None]
            np.subtract(1.0, off, out=off)
            joint *= off
        present = ()
    else:
        present = case.present
    for f in present:
        # P(f absent | s) / (1 - leak) = prod_c (1 - p_cf)**s_c, a Kronecker product over causes
        pos = st.link_pos[st.order, f]
        keep = 1.0 - th[..., pos]  # (D, C) in internal order
        off = _kron([(None, keep[..., i]) for i in range(len(pos))], linked=pos < st.n)
        joint = joint * (1.0 - off * (1.0 - th[..., st.leak_pos[f]])[..., None])
    out = None
    if groups:
        g1, g0 = [], []
        for members in groups:
            sel = st.group_selector(members)
            g1.append(joint[..., np.flatnonzero(sel)].sum(axis=-1))
            g0.append(joint[..., np.flatnonzero(~sel)].sum(axis=-1))
        g1, g0 = _stack(g1), _stack(g0)
        out = (_log(g1) - _log(g0), g1, g0)
    if isinstance(joint, _Dual):
        s1, s0 = _bit_sums(joint, st.order)
    else:  # both sums of every cause in one matrix product
        sums = joint @ st.present_absent
        s1, s0 = sums[..., : len(st.order)], sums[..., len(st.order) :]
    if out is not None:
        return (_log(s1) - _log(s0), s1, s0) + out
    return _log(s1) - _log(s0), s1, s0


def _kron(pairs, first=None, linked=None, out=None):
    """Kronecker product of per-cause pairs ``(a0, a1)`` (arrays of equal shape; ``a0`` None means
    1) along a new last axis: entry ``s`` is ``first * prod_i (a1_i if bit i of s else a0_i)``.
    ``linked`` False marks pairs equal to ``(1, 1)`` (copied, not multiplied). Plain arrays are
    filled in place in one preallocated table; duals by concatenation.
    """
    if isinstance(first, _Dual) or any(isinstance(p[1], _Dual) for p in pairs):
        t = first[..., None] if first is not None else None
        for a0, a1 in pairs:
            lo = a0[..., None] if a0 is not None else None
            hi = a1[..., None]
            if t is None:
                t = _concat([hi * 0.0 + 1.0 if lo is None else lo, hi])
            else:
                t = _concat([t if lo is None else t * lo, t * hi])
        return t
    shape = np.shape(first if first is not None else pairs[0][1])
    if out is None:
        out = np.empty(shape + (1 << len(pairs),))
    out[..., 0] = 1.0 if first is None else first
    h = 1
    for i, (a0, a1) in enumerate(pairs):
        if linked is not None and not linked[i]:
            out[..., h : 2 * h] = out[..., :h]
        else:
            np.multiply(out[..., :h], a1[..., None], out=out[..., h : 2 * h])
            if a0 is not None:
                out[..., :h] *= a0[..., None]
        h *= 2
    return out


def _expit_pair(z):
    """``(expit(z), expit(-z))``, each without cancellation."""
    zv = z.v if isinstance(z, _Dual) else z
    e = np.exp(-np.abs(zv))
    r = 1.0 / (1.0 + e)
    er = e * r
    pos = zv >= 0
    p1, p0 = np.where(pos, r, er), np.where(pos, er, r)
    if isinstance(z, _Dual):
        dz = z.t * (p1 * p0)
        return _Dual(p1, dz), _Dual(p0, -dz)
    return p1, p0


def _bit_sums(joint, order):
    """For every cause, the sum of ``joint`` (D, 2**C) over the states with it present and with
    it absent, by halving: the top bit's halves, then their sum for the bits below.
    """
    n_c = len(order)
    s1, s0 = [None] * n_c, [None] * n_c
    x = joint
    for i in range(n_c - 1, -1, -1):
        half = 1 << i
        lo_half, hi_half = x[..., :half], x[..., half:]
        s0[order[i]], s1[order[i]] = lo_half.sum(axis=-1), hi_half.sum(axis=-1)
        x = lo_half + hi_half if isinstance(x, _Dual) else np.add(lo_half, hi_half, out=lo_half)
    return _stack(s1), _stack(s0)


def _stack(parts):
    if isinstance(parts[0], _Dual):
        return _Dual(np.stack([p.v for p in parts], axis=-1), np.stack([p.t for p in parts], axis=-1))
    return np.stack(parts, axis=-1)


def _effects(th, pos, a):
    """``sum_e log(OR_e) * a[e]``: (D, K, J) from the effect matrix ``a`` (E, K, J)."""
    lor = _log(th[..., pos])  # (D, E)
    flat = lor @ a.reshape(a.shape[0], -1)
    tail = a.shape[1:]
    if isinstance(flat, _Dual):
        return _Dual(flat.v.reshape(flat.v.shape[:-1] + tail), flat.t.reshape(flat.t.shape[:-1] + tail))
    return flat.reshape(flat.shape[:-1] + tail)


def draw_numbers(model, draws, seed=None):
    """Draw every number of a model's knowledge base ``draws`` times (see the module docstring).

    Parameters
    ----------
    model : DiagnosticModel
    draws : int
    seed : int or None
        Seed for :func:`numpy.random.default_rng`; the same seed gives the same draws.

    Returns
    -------
    ndarray of shape (draws, P)
        Columns in :meth:`KnowledgeBase.numbers` order.
    """
    st = _structure(model)
    z = np.random.default_rng(seed).standard_normal((draws, st.n))
    return np.concatenate([_transform(st, z[a : a + _CHUNK]) for a in range(0, draws, _CHUNK)]) if draws else _transform(st, z)


def _transform(st, z, used=None):
    """Numbers on the natural scale from standard normal draws ``z`` (D, P); with ``used`` (a mask
    of the numbers that matter to one case), the others stay at their values.
    """
    theta = np.repeat(st.value[None], z.shape[0], axis=0)
    for cols, prob in ((st.drawn_p, True), (st.drawn_or, False)):
        if used is not None:
            cols = cols[used[cols]]
        zc = z[:, cols]
        x = st.median[cols] + np.where(zc < 0, st.left[cols], st.right[cols]) * zc
        if prob:  # expit, without cancellation on either side, never rounded to exactly 0 or 1
            e = np.exp(-np.abs(x))
            r = 1.0 / (1.0 + e)
            np.multiply(e, r, out=e)
            np.copyto(e, r, where=x >= 0)
            theta[:, cols] = np.clip(e, OPEN_LOW, OPEN_HIGH, out=e)
        else:
            theta[:, cols] = np.exp(np.clip(x, -_LOG_OR_CLIP, _LOG_OR_CLIP))
    for members in st.groups:
        if st.drawn[members].any() and (used is None or used[members[0]]):
            theta[:, members] /= theta[:, members].sum(axis=1, keepdims=True)
    return theta


def with_numbers(kb, theta, *, ranges=None, collapse=False):
    """A copy of ``kb`` whose numbers are ``theta`` (in :meth:`KnowledgeBase.numbers` order).

    Parameters
    ----------
    kb : KnowledgeBase
    theta : sequence of float
    ranges : sequence of (low, high), optional
        New ranges; by default each keeps its range, widened where the value falls outside it.
    collapse : bool, default=False
        Give every number the zero-width range ``[value, value]``.

    Returns
    -------
    KnowledgeBase
        Not validated again, without content hash or location: for tests and experiments.
    """
    values = iter(np.asarray(theta, dtype=float).tolist())
    bounds = iter(ranges) if ranges is not None else None

    def num(n):
        x = next(values)
        if collapse:
            return replace(n, value=x, low=x, high=x)
        if bounds is not None:
            lo, hi = next(bounds)
            return replace(n, value=x, low=float(lo), high=float(hi))
        return replace(n, value=x, low=min(n.low, x), high=max(n.high, x))

    threshold = num(kb.routine_threshold)
    rfs = tuple(replace(rf, prior=tuple(num(n) for n in rf.prior)) for rf in kb.risk_factors)
    causes = []
    for c in kb.causes:
        base = num(c.baseline)
        causes.append(replace(c, baseline=base, effects=tuple(replace(e, odds_ratio=num(e.odds_ratio)) for e in c.effects)))
    findings = []
    for f in kb.findings:
        leak = num(f.leak)
        findings.append(replace(f, leak=leak, links=tuple(replace(link, p=num(link.p)) for link in f.links)))
    return replace(kb, routine_threshold=threshold, risk_factors=rfs, causes=tuple(causes), findings=tuple(findings),
                   content_hash="", location="")


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class CauseUncertainty:
    """How sure one cause's place in the ranking is, over draws of the knowledge base's numbers.

    Attributes
    ----------
    cause, name : str
    probability : float
        The posterior at the point values (as in the diagnosis).
    median, low, high : float
        Median and the 5% and 95% points of the posterior over the draws (a 90% interval).
    p_first : float
        Share of draws in which the cause ranks first (sums to 1 over the causes).
    p_top3 : float
        Share of draws in which it is among the first three.
    """

    cause: str
    name: str
    probability: float
    median: float
    low: float
    high: float
    p_first: float
    p_top3: float


@dataclass(frozen=True)
class Uncertainty:
    """The uncertainty of one diagnosis (see :func:`uncertainty`).

    Attributes
    ----------
    causes : tuple of CauseUncertainty
        In the order of the diagnosis' ranking.
    draws : int
    seed : int or None
    level : float
        The coverage of ``low``-``high`` (0.90).
    held : tuple of str
        Numbers with a range but held at their value (a probability ranging over all of [0, 1]).
    samples : ndarray of shape (draws, C)
        The posterior of every cause (knowledge-base order) in every draw; read-only.
    cause_ids : tuple of str
        The causes of the columns of ``samples`` (knowledge-base order).
    """

    causes: tuple
    draws: int
    seed: int | None
    level: float = LEVEL
    held: tuple = ()
    samples: np.ndarray | None = field(default=None, repr=False, compare=False)
    #: the cause groups (``CauseUncertainty`` with ``cause`` the group id): the group's exact
    #: probability in every draw; ``p_first``/``p_top3`` the share of draws in which its best
    #: member ranks first / in the first three
    groups: tuple = ()
    #: the groups' probabilities in every draw, (draws, G), knowledge-base order; read-only
    group_samples: np.ndarray | None = field(default=None, repr=False, compare=False)
    cause_ids: tuple = field(default=(), repr=False, compare=False)

    def __getitem__(self, cause):
        """The :class:`CauseUncertainty` of a cause id or a cause-group id."""
        for c in self.causes + self.groups:
            if c.cause == cause:
                return c
        raise KeyError(cause)

    def to_xarray(self):
        """The draws as an ``xarray.Dataset`` for ArviZ and xarray tools (``pip install 'twitchnet[arviz]'``).

        Returns
        -------
        xarray.Dataset
            One variable per cause id, its posterior in each draw, with dimensions ``chain`` (one
            chain) and ``draw``; the attributes hold ``draws``, ``seed`` and ``level``. ArviZ reads it
            as a posterior group: ``arviz.convert_to_inference_data(u.to_xarray())``.
        """
        from twitchnet._extras import require

        xr = require("xarray", "arviz", "Uncertainty.to_xarray()")
        data = {c: (("chain", "draw"), self.samples[None, :, j]) for j, c in enumerate(self.cause_ids)}
        coords = {"chain": [0], "draw": np.arange(self.samples.shape[0])}
        return xr.Dataset(data, coords=coords, attrs={"draws": self.draws, "seed": -1 if self.seed is None else self.seed,
                                                      "level": self.level, "source": "twitchnet uncertainty draws"})

    def to_arviz(self):
        """The draws as an ``arviz.InferenceData`` with a ``posterior`` group (see :meth:`to_xarray`);
        ``pip install 'twitchnet[arviz]'``.

        Returns
        -------
        arviz.InferenceData
        """
        from twitchnet._extras import require

        az = require("arviz", "arviz", "Uncertainty.to_arviz()")
        return az.InferenceData(posterior=self.to_xarray())

    def to_frame(self):
        """One row per cause, then one per cause group: probability, median, low, high, p_first,
        p_top3, and ``group`` (True on the groups' rows).
        """
        import pandas as pd

        rows = [vars(c) | {"group": False} for c in self.causes] + [vars(c) | {"group": True} for c in self.groups]
        return pd.DataFrame(rows).set_index("cause")

    def __str__(self):
        lines = [f"{'cause':<34} {'posterior':>9}  {'median':>7}  {'90% interval':>15}  {'P(first)':>8}  {'P(top 3)':>8}"]
        for c in self.causes + self.groups:
            lines.append(f"{c.name:<34} {c.probability:>9.3f}  {c.median:>7.3f}  {c.low:>7.3f}-{c.high:<7.3f}  {c.p_first:>8.3f}  {c.p_top3:>8.3f}")
        lines.append(f"({self.draws} draws of the knowledge base's numbers within their ranges, seed {self.seed})")
        return "\n".join(lines)


@dataclass(frozen=True)
class RestsOn:
    """One knowledge-base number and how much the top cause's log-odds rests on it.

    Attributes
    ----------
    where : str
        The number's place, as in :meth:`KnowledgeBase.numbers`.
    cause : str
        The cause whose log-odds is differentiated (the top of the ranking).
    value, low, high : float
    derivative : float
        ``d log-odds / d number`` at the point values (exact).
    effect : float
        ``derivative * (high - low) / 2``: the change in log-odds across half the range, to first order.
    source : str
    citation : str
        The full citation, or ``"judgement: <note>"``.
    judgement : bool
    """

    where: str
    cause: str
    value: float
    low: float
    high: float
    derivative: float
    effect: float
    source: str
    citation: str
    judgement: bool

    def __str__(self):
        return f"{self.where} = {self.value:g} [{self.low:g}, {self.high:g}] (log-odds {self.effect:+.2f} over half its range; {self.citation})"


# ---------------------------------------------------------------------- the public functions
def _check_draws(draws, key="draws"):
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 1 <= draws <= MAX_DRAWS:
        raise v.fail(EvidenceError, key, f"a whole number of draws from 1 to {MAX_DRAWS} (twitchnet.limits.MAX_DRAWS)", draws)
    return int(draws)


def _check_seed(seed):
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise v.fail(EvidenceError, "seed", "a whole number >= 0 or None", seed)
    return None if seed is None else int(seed)


def posterior_draws(model, evidence, theta):
    """The posterior of every cause for each row of numbers ``theta`` (D, P): (D, C), exact."""
    st = _structure(model)
    enc = model.encode(evidence)
    case = _Case(st, model, enc.rf_state, enc.finding_state)
    theta = np.asarray(theta, dtype=float)
    return np.concatenate([_posterior_block(st, model, enc, case, theta[a : a + _CHUNK]) for a in range(0, theta.shape[0], _CHUNK)])


def _posterior_block(st, model, enc, case, theta, groups=None):
    """:func:`posterior_draws` for one block of draws. Rows whose sums leave the floating-point
    range this vectorised path keeps exact are recomputed by the reference engine, in log space,
    on rebuilt arrays. With ``groups`` (member cause-index tuples), also every group's
    probability in every draw: returns ``(prob, group_prob)``.
    """
    out = _log_odds(st, case, st.ext(theta), groups)
    lo, s1, s0 = out[:3]
    prob = _expit_plain(lo)
    ok = ((s1 > SAFE_FLOOR) & (s0 > SAFE_FLOOR)).all(axis=1)
    gprob = None
    if groups:
        glo, g1, g0 = out[3:]
        gprob = _expit_plain(glo)
        ok &= ((g1 > SAFE_FLOOR) & (g0 > SAFE_FLOOR)).all(axis=1)
    hard = np.flatnonzero(~ok)
    if hard.size:
        from twitchnet.engine import group_probabilities_of_arrays
        from twitchnet.engine import reference as ref

        for d in hard:
            arr = st.arrays(theta[d], model)
            post, _, _ = ref.posterior_log_odds(arr, enc.rf_state[None], enc.finding_state[None], prior=False)
            prob[d] = ref.expit(post[0])
            if groups:
                gprob[d] = group_probabilities_of_arrays(arr, enc.rf_state, enc.finding_state, [sum(1 << c for c in g) for g in groups])
    return prob if groups is None else (prob, gprob)


def uncertainty(diagnosis, draws=1000, seed=0):
    """The uncertainty of a diagnosis from the knowledge base's ranges.

    Parameters
    ----------
    diagnosis : Diagnosis
    draws : int, default=1000
        Number of draws of the knowledge base's numbers.
    seed : int or None, default=0

    Returns
    -------
    Uncertainty

    Raises
    ------
    EvidenceError
        For a bad ``draws`` or ``seed``.
    EngineLimitError
        Should a draw's posterior not be a finite number (it never is: see "Never exactly 0 or
        1" above), rather than a NaN interval.

    Every error carries the diagnosis' red flags (``red_flags``, ``urgent``), and its message
    then leads with the urgent advice.
    """
    return _carrying_red_flags(diagnosis, "uncertainty", _uncertainty, diagnosis, draws, seed)


def _carrying_red_flags(diagnosis, what, fn, *args):
    """``fn(*args)``; any error on the way is a :class:`~twitchnet.errors.TwitchnetError` carrying
    the diagnosis' red flags (an arithmetic failure becomes an :class:`EngineLimitError` naming
    ``what``), never a bare exception.
    """
    from twitchnet.diagnose import with_red_flags

    try:
        return fn(*args)
    except TwitchnetError as exc:
        raise with_red_flags(exc, diagnosis.red_flags)
    except (ArithmeticError, ValueError) as exc:
        err = v.fail(EngineLimitError, what, "a computation that stays within the floating-point range", f"{type(exc).__name__}: {exc}")
        raise with_red_flags(err, diagnosis.red_flags) from exc


def _uncertainty(diagnosis, draws, seed):
    draws = _check_draws(draws)
    seed = _check_seed(seed)
    model = diagnosis.model
    st = _structure(model)
    rng = np.random.default_rng(seed)  # as draw_numbers: the generator's stream continues from
    enc = model.encode(diagnosis.evidence)  # block to block, so the draws are the same
    case = _Case(st, model, enc.rf_state, enc.finding_state)
    prob = np.empty((draws, len(st.cause_ids)))
    index = {c: i for i, c in enumerate(model.cause_ids)}
    kb_groups = model.kb.groups
    members = [tuple(index[m] for m in g.members) for g in kb_groups]
    gprob = np.empty((draws, len(members)))
    for a in range(0, draws, _CHUNK):
        z = rng.standard_normal((min(_CHUNK, draws - a), st.n))
        th = _transform(st, z, case.used)
        if members:
            prob[a : a + _CHUNK], gprob[a : a + _CHUNK] = _posterior_block(st, model, enc, case, th, members)
        else:
            prob[a : a + _CHUNK] = _posterior_block(st, model, enc, case, th)
    bad = np.flatnonzero(~(np.isfinite(prob).all(axis=1) & np.isfinite(gprob).all(axis=1)))
    if bad.size:
        raise v.fail(EngineLimitError, "uncertainty", "a finite posterior in every draw of the knowledge base's numbers",
                     f"{bad.size} of {draws} draws without one (the first: draw {int(bad[0])})")
    prob.setflags(write=False)
    n_c = prob.shape[1]
    with np.errstate(divide="ignore"):
        lo = np.log(prob) - np.log1p(-prob)
    # rank in each draw as diagnose does: by log-odds, ties in knowledge-base order
    order = np.argsort(-lo, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n_c)[None, :], axis=1)
    p_first = (rank == 0).mean(axis=0)
    p_top3 = (rank < 3).mean(axis=0)
    q = np.quantile(prob, [0.5, (1 - LEVEL) / 2, (1 + LEVEL) / 2], axis=0)
    causes = tuple(
        CauseUncertainty(r.cause, r.name, r.probability, float(q[0, i]), float(q[1, i]), float(q[2, i]), float(p_first[i]), float(p_top3[i]))
        for r in diagnosis.ranking
        for i in (index[r.cause],)
    )
    groups = ()
    if members:  # a group is placed where its best member ranks, in every draw
        gprob.setflags(write=False)
        gq = np.quantile(gprob, [0.5, (1 - LEVEL) / 2, (1 + LEVEL) / 2], axis=0)
        at_point = diagnosis.groups
        groups = tuple(
            CauseUncertainty(g.id, g.id.replace("_", " "), float(at_point[g.id]), float(gq[0, j]), float(gq[1, j]), float(gq[2, j]),
                             float((rank[:, list(mem)].min(axis=1) == 0).mean()), float((rank[:, list(mem)].min(axis=1) < 3).mean()))
            for j, (g, mem) in enumerate(zip(kb_groups, members))
        )
    held = tuple(w for w, h in zip(st.where, st.held) if h)
    return Uncertainty(causes, draws, seed, LEVEL, held, prob, groups, gprob if members else None, tuple(model.cause_ids))


def derivatives(model, evidence, cause=None, groups=False):
    """Exact ``d log-odds / d number`` of every cause for every number: (P, C), by forward-mode
    differentiation. Fixed numbers (structural zeros, zero-width ranges) get 0. Moving a category
    prior scales the others of its group in proportion. With ``groups``, the knowledge base's cause
    groups follow as further columns, (P, C + G): the log-odds that at least one member is present.
    """
    st = _structure(model)
    enc = model.encode(evidence)
    case = _Case(st, model, enc.rf_state, enc.finding_state)
    free = np.flatnonzero(~st.fixed)
    th = st.ext(st.value[None])  # (1, P + 1)
    t = np.zeros((free.size, 1, st.n + 1))
    t[np.arange(free.size), 0, free] = 1.0
    for row, i in enumerate(free):
        g = st.group_of[i]
        if g >= 0:
            others = st.groups[g][st.groups[g] != i]
            t[row, 0, others] = -st.value[others] / (1.0 - st.value[i])
    index = {c: i for i, c in enumerate(model.cause_ids)}
    members = [tuple(index[m] for m in g.members) for g in model.kb.groups] if groups else []
    res = _log_odds(st, case, _Dual(th, t), members)
    cols = [res[0].t[:, 0, :]] + ([res[3].t[:, 0, :]] if members else [])
    tangents = np.concatenate(cols, axis=-1)
    out = np.zeros((st.n, tangents.shape[-1]))
    out[free] = tangents
    return out


def rests_on(diagnosis, k=5, cause=None):
    """What the ranking rests on: the numbers that move the top cause's log-odds most.

    Parameters
    ----------
    diagnosis : Diagnosis
    k : int or None, default=5
        How many numbers (None: every number with a range).
    cause : str, optional
        Another cause than the top of the ranking, or a cause-group id (the log-odds that at
        least one member is present).

    Returns
    -------
    tuple of RestsOn
        Largest ``|effect|`` first, where ``effect = d log-odds / d number * (high - low) / 2``.

    Raises
    ------
    EvidenceError
        For a bad ``k`` or ``cause``; it carries the diagnosis' red flags, as every error here does.
    """
    return _carrying_red_flags(diagnosis, "rests_on", _rests_on, diagnosis, k, cause)


def _rests_on(diagnosis, k, cause):
    k = v.check_count("k", k)
    model = diagnosis.model
    st = _structure(model)
    if cause is None:
        if not diagnosis.ranking:
            return ()
        cause = diagnosis.ranking[0].cause
    group_ids = [g.id for g in model.kb.groups]
    if cause in group_ids:
        d = derivatives(model, diagnosis.evidence, groups=True)[:, len(model.cause_ids) + group_ids.index(cause)]
    elif cause not in model.cause_ids:
        known = list(model.cause_ids) + group_ids
        raise v.fail(EvidenceError, "cause", "a cause or cause-group id", cause, v.close_matches(cause, known) if isinstance(cause, str) else ())
    else:
        d = derivatives(model, diagnosis.evidence)[:, model.cause_ids.index(cause)]
    effect = d * (st.high - st.low) / 2.0
    if not np.isfinite(effect[~st.fixed]).all():
        # a cause certain or impossible given the evidence (log-odds infinite), or a number at the
        # very edge of its range: the derivative has no finite value, so refuse rather than show one
        bad = st.where[int(np.flatnonzero(~np.isfinite(effect) & ~st.fixed)[0])]
        raise v.fail(EngineLimitError, "rests_on", f"a finite derivative of {cause}'s log-odds with respect to every number",
                     f"none for {bad} (the evidence makes {cause} certain or impossible, or the number sits at the edge of its range)")
    order = sorted(np.flatnonzero(~st.fixed).tolist(), key=lambda i: (-abs(effect[i]), i))
    if k is not None:
        order = order[:k]
    sources = model.kb.sources
    out = []
    for i in order:
        n = st.numbers[i]
        citation = f"judgement: {n.note}" if n.is_judgement else sources[n.source].citation
        out.append(RestsOn(st.where[i], cause, n.value, n.low, n.high, float(d[i]), float(effect[i]), n.source, citation, n.is_judgement))
    return tuple(out)


# ---------------------------------------------------------------------- the whole model
@dataclass(frozen=True)
class SensitivityRow:
    """One number swept to the ends of its range over a set of cases.

    Attributes
    ----------
    where : str
    value, low, high : float
    source : str
    judgement : bool
    changed_low, changed_high : float
        Share of cases whose top cause changes with the number at its low (high) end.
    changed : float
        Share of cases whose top cause changes at either end.
    """

    where: str
    value: float
    low: float
    high: float
    source: str
    judgement: bool
    changed_low: float
    changed_high: float
    changed: float


@dataclass(frozen=True)
class Sensitivity:
    """What the model rests on (see :func:`sensitivity`).

    Attributes
    ----------
    rows : tuple of SensitivityRow
        Every number with a range, largest ``changed`` first.
    cases : int
        Number of cases swept.
    model, version : str
    """

    rows: tuple
    cases: int
    model: str
    version: str

    def to_frame(self):
        """One row per number (index ``where``), in the order of :attr:`rows`."""
        import pandas as pd

        return pd.DataFrame([vars(r) for r in self.rows]).set_index("where")

    def __str__(self):
        lines = [f"{'number':<58} {'low':>7} {'high':>7}  {'changed':>7}  (at low / at high)"]
        for r in self.rows[:15]:
            lines.append(f"{r.where:<58} {r.low:>7g} {r.high:>7g}  {r.changed:>7.3f}  ({r.changed_low:.3f} / {r.changed_high:.3f})")
        lines.append(f"(share of {self.cases} cases whose top cause changes; {self.model} {self.version})")
        return "\n".join(lines)


def _cases_states(model, cases, seed):
    """(rf_state, finding_state) int8 arrays of the cases."""
    import pandas as pd

    from twitchnet.frame import encode_frame

    if isinstance(cases, (int, np.integer)) and not isinstance(cases, bool):
        if cases < 1:
            raise v.fail(EvidenceError, "cases", "a number of cases to simulate >= 1, a DataFrame or vignettes", cases)
        cases = model.simulate(int(cases), seed=seed)
    elif not isinstance(cases, pd.DataFrame):
        try:
            rows = [dict(c.evidence) if hasattr(c, "evidence") else dict(c) for c in cases]
        except (TypeError, ValueError):
            raise v.fail(EvidenceError, "cases", "a DataFrame, a sequence of vignettes or evidence mappings, or a number of cases", cases) from None
        encoded = [model.encode(r) for r in rows]
        rf = np.array([e.rf_states for e in encoded], dtype=np.int8).reshape(len(rows), len(model.risk_factor_ids))
        fs = np.array([e.finding_states for e in encoded], dtype=np.int8).reshape(len(rows), len(model.column_ids))
        return rf, fs
    from twitchnet.frame import _bad_cells_error, _with_frame_red_flags

    try:  # bad cells raise, listed by row and column (never dropped silently), with the rows' red flags
        rf, fs, _, bad = encode_frame(cases, model)
        if bad:
            raise _bad_cells_error(bad)
    except TwitchnetError as exc:
        raise _with_frame_red_flags(exc, model, cases) from None
    return rf, fs


def _moved(model, st, i, x, rf, fs, threads=None):
    """Posteriors of the cases with number ``i`` at ``x``: the model's arrays and the engine's
    tables rebuilt, then the batch engine.
    """
    from twitchnet.engine import get

    return get("enumeration").posterior(st.arrays(st.moved(i, x), model), rf, fs, threads=threads)[0]


def moved_posterior(model, i, x, cases, seed=0):
    """The posteriors (N, C) of ``cases`` with number ``i`` (:meth:`KnowledgeBase.numbers` order)
    at ``x``, the others at their values, as :func:`sensitivity` computes them.
    """
    st = _structure(model)
    rf, fs = _cases_states(model, cases, seed)
    return _moved(model, st, int(i), float(x), rf, fs)


def _top(prob):
    prob = np.clip(prob, 0.0, 1.0)  # a posterior of 1 may come back as 1 + 4e-16 (rounding)
    with np.errstate(divide="ignore"):
        return np.argmax(np.log(prob) - np.log1p(-prob), axis=1)


def sensitivity(model=None, cases=10000, *, seed=0, threads=None, progress=None):
    """What the model rests on: every number swept to the ends of its range over a set of cases.

    For each number with a range, the model is rebuilt with that number at its low end, and again
    at its high end (the others at their values; a category prior's other states scaled in
    proportion), and every case is diagnosed by the batch engine. Numbers are ranked by the share
    of cases whose top cause changes: the knowledge base's research agenda (which figure is most
    worth measuring).

    Parameters
    ----------
    model : DiagnosticModel, optional
        The packaged model when omitted.
    cases : DataFrame, sequence of Vignette or evidence mappings, or int, default=10000
        The cases; an int simulates that many from the model (:meth:`DiagnosticModel.simulate`).
        A DataFrame is read as :func:`twitchnet.diagnose_frame` reads it; bad cells raise one
        :class:`~twitchnet.errors.FrameEvidenceError` listing them (the red flags of the readable
        rows attached), never dropped silently.
    seed : int, default=0
        Seed of the simulation.
    threads : int, optional
        Passed to the enumeration engine (:meth:`twitchnet.engine.Engine.posterior`).
    progress : bool or None, default=None
        A tqdm bar over the numbers swept: ``True`` always, ``False`` never, ``None`` in a
        terminal or notebook once the sweep has run for two seconds.

    Returns
    -------
    Sensitivity
    """
    from twitchnet import _progress
    from twitchnet.engine import get

    if model is None:
        from twitchnet.model import load_model

        model = load_model()
    seed = _check_seed(seed)
    threads = v.check_threads(threads)
    progress = _progress.check_progress(progress)
    st = _structure(model)
    rf, fs = _cases_states(model, cases, seed)
    n = rf.shape[0]
    base = _top(get("enumeration").posterior(model, rf, fs, threads=threads)[0]) if n else np.zeros(0, dtype=np.int64)
    rows = []
    swept = np.flatnonzero(~st.fixed).tolist()
    bar = _progress.bar(progress, len(swept), desc="sensitivity", unit="numbers", purpose="sensitivity(progress=True)")
    for i in swept:
        bar.update(1)
        changed = []
        for x in (st.low[i], st.high[i]):
            if x == st.value[i] or not n:
                changed.append(np.zeros(n, dtype=bool))
                continue
            changed.append(_top(_moved(model, st, i, x, rf, fs, threads)) != base)
        num = st.numbers[i]
        shares = [float(m.mean()) if n else 0.0 for m in (changed[0], changed[1], changed[0] | changed[1])]
        rows.append(SensitivityRow(st.where[i], num.value, num.low, num.high, num.source, num.is_judgement, *shares))
    bar.close()
    rows.sort(key=lambda r: (-r.changed, -max(r.changed_low, r.changed_high), r.where))
    return Sensitivity(tuple(rows), n, model.name, model.version)
