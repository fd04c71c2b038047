"""The posterior of one case under many number sets on plain arrays, laid out numbers x draws.

The same sums as :func:`twitchnet.engine.many.posterior._log_odds` (which the dual numbers of the
derivatives still run), arranged for speed:

* the numbers the case reads are gathered once into a table ``V`` of rows (one row per number, its
  complement ``1 - p`` beside it, draws along the row), so that every term of every product is a
  whole row (:class:`_Rows`);
* a cause whose weights do not vary over the case's live contexts, linked to no present finding
  and in no asked-for group, is summed out of the joint table: its posterior is its own
  ``q1 / (q0 + q1)``, and the others' sums carry its factor ``q0 + q1`` (:class:`_Plan`);
* the sum over the joint states of the other causes runs on blocks of draws, its table
  ``(2**E, draws)`` built once and multiplied in place by each present finding's factor, laid over
  the table on the finding's linked causes only; each cause's two sums are taken by halving the
  table, a group's from slices of it (no matrix product).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from twitchnet.model.formulas import logistic_pair

BLOCK = 128  # draws per block of the joint-state tables


class _Rows:
    """One case's row indices into ``V`` (built once per case): which numbers to gather, and for
    every term of the products its row (the rows ``one`` and ``zero`` for padding).
    """

    def __init__(self, st: Any, case: Any) -> None:
        n = st.n
        idx, comp, cause_m, starts, seg_cause, e_pos, eff, seg = case.flat(st)
        ctx_i, ctx_c = st.ctx_idx[case.k], st.ctx_comp[case.k]
        absent = st.link_pos[:, case.absent]  # (C, A)
        base = np.asarray(st.base_pos, dtype=np.int64)
        leak = st.leak_pos[case.present]
        read = np.concatenate([idx.ravel(), ctx_i.ravel(), absent.ravel(), st.link_pos[:, case.present].ravel(), base, e_pos, leak])
        self.pos = np.unique(read[read < n])
        u = self.u = self.pos.size
        self.one, self.zero = 2 * u, 2 * u + 1
        rowmap = self.rowmap = np.full(n + 1, -1, dtype=np.int64)
        rowmap[self.pos] = np.arange(u)
        self.priv = self._rows(idx, comp, n)  # (M, n)
        self.ctx = self._rows(ctx_i, ctx_c, n)  # (K, n)
        self.cause_m, self.starts, self.seg_cause, self.seg = cause_m, starts, seg_cause, seg
        self.base = rowmap[base]
        # each entry's effects as a list of rows of log odds ratios, padded with a row of zeros
        per = [np.flatnonzero(eff[:, m]) for m in range(eff.shape[1])]
        self.e_rows = rowmap[e_pos] if e_pos.size else np.zeros(0, dtype=np.int64)
        self.eff = np.full((eff.shape[1], max([len(p) for p in per] + [0])), len(self.e_rows), dtype=np.int64)
        for m, p in enumerate(per):
            self.eff[m, : len(p)] = p
        # absent findings: the (cause, finding) links, grouped by cause
        cs, fs = np.nonzero(absent < n)
        self.absent_rows = rowmap[absent[cs, fs]]
        self.absent_causes, self.absent_starts = np.unique(cs, return_index=True)

    def _rows(self, i: np.ndarray, comp: np.ndarray, n: int) -> np.ndarray:
        """The rows of the terms ``(i, comp)`` of :func:`~twitchnet.model.formulas.prod_terms`."""
        pad = i >= n
        return np.where(pad, np.where(comp, self.one, self.zero), self.rowmap[np.minimum(i, n)] + np.where(comp, self.u, 0))

    def table(self, theta_t: np.ndarray, gathered: bool = False) -> np.ndarray:
        """``V`` (2u + 2, D): the rows the case reads from ``theta_t`` (P, D) (``gathered``: those
        rows only, in the order of :attr:`pos`), their complements, 1 and 0.
        """
        u = self.u
        v = np.empty((2 * u + 2, theta_t.shape[1]))
        if gathered:
            v[:u] = theta_t
        else:
            np.take(theta_t, self.pos, axis=0, out=v[:u])
        np.subtract(1.0, v[:u], out=v[u : 2 * u])
        v[2 * u] = 1.0
        v[2 * u + 1] = 0.0
        return v


class _Plan:
    """Which causes the joint table enumerates for one case and set of groups, in which bit order,
    and how each present finding's factor and each group lie over it.

    Attributes
    ----------
    order : tuple of int
        The enumerated causes, bit ``i`` of a state for ``order[i]``: every cause whose weights
        vary over the case's live contexts (:attr:`dep`), then those linked to a present finding
        or in a group.
    dep : tuple of int
    indep : tuple of int
        The enumerated causes whose weights do not vary with the context.
    out : tuple of int
        The causes summed out (independent of the context, of the present findings and of the groups).
    present : list of (rows, leak row, joint shape, factor shape)
    groups : list of tuple of int
        Each group's members as axes of the joint table viewed as a cube ``(2, ..., 2, Db)``.
    """

    def __init__(self, st: Any, case: Any, r: _Rows, groups: Sequence[Sequence[int]]) -> None:
        n = st.n
        linked = (st.link_pos[:, case.present] < n).any(axis=1)
        members = {m for g in groups for m in g}
        self.dep = case.dep
        indep = [c for c in range(len(st.cause_ids)) if c not in self.dep]
        self.indep = tuple(c for c in indep if linked[c] or c in members)
        self.out = tuple(c for c in indep if c not in self.indep)
        self.order = self.dep + self.indep
        bit = {c: i for i, c in enumerate(self.order)}
        e = len(self.order)
        self.present = []
        for f in case.present:
            pos = st.link_pos[list(self.order), f]
            on = pos < n
            runs: list[list[Any]] = []  # runs of linked / unlinked bits, highest first
            for i in range(e - 1, -1, -1):
                if runs and runs[-1][0] == on[i]:
                    runs[-1][1] += 1
                else:
                    runs.append([on[i], 1])
            self.present.append((r.rowmap[pos[on]] + r.u, r.rowmap[st.leak_pos[f]] + r.u,
                                 tuple(1 << k for _, k in runs), tuple(1 << k if o else 1 for o, k in runs)))
        self.groups = [tuple(e - 1 - bit[m] for m in g) for g in groups]


def _product(v: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``prod_i v[rows[:, i]]``, in the order of :func:`twitchnet.model.formulas.prod_terms`."""
    out = v[rows[:, 0]]
    for i in range(1, rows.shape[1]):
        out *= v[rows[:, i]]
    return out


def _private(st: Any, r: _Rows, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Context weights ``w`` (K, D) and each cause's sums ``q0``, ``q1`` (S, D) over its live
    private states (one row per cause and live context: rows ``seg[c]:seg[c + 1]`` are cause c's).
    """
    w = _product(v, r.ctx)
    pj = _product(v, r.priv)  # (M, D)
    lb = v[r.base]
    lz = np.log(lb) - np.log1p(-lb)  # (C, D)
    z = lz[r.cause_m]
    if r.eff.shape[1]:
        lor = np.log(v[r.e_rows])
        lor = np.concatenate([lor, np.zeros((1, v.shape[1]))])
        for i in range(r.eff.shape[1]):
            z += lor[r.eff[:, i]]
    q1, q0 = logistic_pair(z)
    q0 = np.add.reduceat(np.multiply(pj, q0, out=q0), r.starts, axis=0)
    q1 = np.add.reduceat(np.multiply(pj, q1, out=q1), r.starts, axis=0)
    if r.absent_rows.size:
        keep = np.add.reduceat(np.log1p(-v[r.absent_rows]), r.absent_starts, axis=0)  # (causes with absent links, D)
        factor = np.ones((len(st.cause_ids), v.shape[1]))
        factor[r.absent_causes] = np.exp(keep)
        q1 *= factor[r.seg_cause]
    return w, q0, q1


def _kron(pairs: Sequence[tuple[Any, np.ndarray]], first: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out[s] = first * prod_i (a1_i if bit i of s else a0_i)`` over the rows of ``out`` (2**n, ...);
    ``a0`` None means 1.
    """
    out[0] = first
    h = 1
    for a0, a1 in pairs:
        np.multiply(out[:h], a1, out=out[h : 2 * h])
        if a0 is not None:
            out[:h] *= a0
        h *= 2
    return out


def _joint(st: Any, r: _Rows, plan: _Plan, v: np.ndarray, w: np.ndarray, q0: np.ndarray, q1: np.ndarray) -> np.ndarray:
    """The joint table ``P(s, e)`` (2**E, Db) over the enumerated causes' states, for one block of draws
    (without the summed-out causes' factors).
    """
    db = v.shape[1]
    seg = r.seg
    g = np.empty((w.shape[0], 1 << len(plan.dep), db))  # (K, 2**dep, Db)
    _kron([(q0[seg[c] : seg[c + 1]], q1[seg[c] : seg[c + 1]]) for c in plan.dep], w, g.transpose(1, 0, 2))
    g = g.sum(axis=0)
    if plan.indep:
        h = _kron([(q0[seg[c]], q1[seg[c]]) for c in plan.indep], np.ones(db), np.empty((1 << len(plan.indep), db)))
        joint = np.empty((h.shape[0] * g.shape[0], db))
        np.multiply(h[:, None, :], g[None, :, :], out=joint.reshape(h.shape[0], g.shape[0], db))
    else:
        joint = g
    for keep_rows, leak_row, joint_shape, factor_shape in plan.present:
        # P(f present | s) = 1 - (1 - leak) * prod_c (1 - p_cf)**s_c, on the linked causes only
        off = _kron([(None, v[k]) for k in keep_rows], v[leak_row], np.empty((1 << len(keep_rows), db)))
        np.subtract(1.0, off, out=off)
        cube = joint.reshape(joint_shape + (db,))
        cube *= off.reshape(factor_shape + (db,))
    return joint


def _slice_sum(cube: np.ndarray, fixed: dict[int, int]) -> np.ndarray:
    """The sum of ``cube`` (2, ..., 2, Db) over its state axes, with the axes in ``fixed`` held at a state."""
    at: list[Any] = [slice(None)] * cube.ndim
    for ax, val in fixed.items():
        at[ax] = val
    view = cube[tuple(at)]
    return view.sum(axis=tuple(range(view.ndim - 1))) if view.ndim > 1 else view


def _block(st: Any, r: _Rows, plan: _Plan, v: np.ndarray, w: np.ndarray, q0: np.ndarray, q1: np.ndarray) -> tuple[np.ndarray, ...]:
    """``(s1, s0)`` (C, Db) for one block of draws, and ``(g1, g0)`` (G, Db): the sums of ``P(s, e)``
    over the states with each cause (group) present and absent.
    """
    joint = _joint(st, r, plan, v, w, q0, q1)
    db, e = v.shape[1], len(plan.order)
    g1, g0 = np.empty((len(plan.groups), db)), np.empty((len(plan.groups), db))
    cube = joint.reshape((2,) * e + (db,))
    for j, axes in enumerate(plan.groups):
        fixed: dict[int, int] = {}
        g1[j] = 0.0
        for ax in axes:  # at least one present: the first present member is at ax
            g1[j] += _slice_sum(cube, {**fixed, ax: 1})
            fixed[ax] = 0
        g0[j] = _slice_sum(cube, fixed)
    s1, s0 = np.empty((len(st.cause_ids), db)), np.empty((len(st.cause_ids), db))
    x = joint
    for i in range(e - 1, -1, -1):  # halving: the top bit's halves, then their sum for the bits below
        half = 1 << i
        lo, hi = x[:half], x[half : 2 * half]
        lo.sum(axis=0, out=s0[plan.order[i]])
        hi.sum(axis=0, out=s1[plan.order[i]])
        x = np.add(lo, hi, out=lo)
    if plan.out:  # the summed-out causes: each one's own two weights times the total of the rest
        total = x[0]
        m = [q0[r.seg[c]] + q1[r.seg[c]] for c in plan.out]
        every = np.prod(m, axis=0)
        for i, c in enumerate(plan.out):
            rest = total * np.prod(m[:i] + m[i + 1 :], axis=0) if len(m) > 1 else total
            s1[c], s0[c] = q1[r.seg[c]] * rest, q0[r.seg[c]] * rest
        s1[list(plan.order)] *= every
        s0[list(plan.order)] *= every
        g1 *= every
        g0 *= every
    return s1, s0, g1, g0


def sums(st: Any, case: Any, theta: np.ndarray, groups: Sequence[Sequence[int]] = ()) -> tuple[np.ndarray, ...]:
    """``(s1, s0, g1, g0)``: the sums of ``P(s, e)`` over the cause states with each cause present
    and absent (D, C), and with each group's members (at least one) present and all absent (D, G),
    for the number sets ``theta`` (D, P).
    """
    r = case.plain(st, "rows", lambda: _Rows(st, case))
    plan = case.plain(st, ("plan", tuple(map(tuple, groups))), lambda: _Plan(st, case, r, groups))
    theta = np.asarray(theta)
    if theta.T.flags.c_contiguous:  # numbers x draws in memory (as the uncertainty draws come)
        v = r.table(theta.T)
    else:
        v = r.table(np.ascontiguousarray(np.take(theta, r.pos, axis=1).T), gathered=True)
    parts = []
    for a in range(0, v.shape[1], BLOCK):
        vb = v[:, a : a + BLOCK]
        parts.append(_block(st, r, plan, vb, *_private(st, r, vb)))
    return tuple(np.concatenate([p[i] for p in parts], axis=1).T for i in range(4))
