"""The exact posterior of one case under many number sets: enumeration vectorised over the draws."""

from __future__ import annotations

import numpy as np

from twitchnet.engine.many.dual import _concat, _Dual, _exp, _expit_pair, _log, _log1m, _outer_flat, _stack
from twitchnet.model.parameters import logistic_pair
from twitchnet.model.parameters import prod_terms as _prod_terms


def _expit_plain(z):
    """``expit(z)`` without cancellation (a posterior from its log-odds)."""
    return logistic_pair(z)[0]


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
    """Posterior log-odds of every cause, (D, C), for number sets ``th`` (D, P + 1) (a
    :class:`_Dual` for the derivatives, or a plain array: the tests' second computation of
    :func:`twitchnet.engine.many.plain.sums`); also the sums ``S1``, ``S0`` of ``P(s, e)`` over the
    cause states with each cause present and absent. Factors common to all cause states are
    dropped: they cancel in the log-odds.

    With ``groups`` (a sequence of member cause-index tuples), the same three for each group as
    well, ``(D, G)`` each: the sums over the states with at least one member present and with
    none, each summed directly (a group's probability is exact in every draw).
    """
    n_c = len(st.cause_ids)
    w = _prod_terms(th, st.ctx_idx[case.k], st.ctx_comp[case.k])  # (D, K)
    keep_pos = st.link_pos[:, case.absent]  # (C, A)
    q = []
    for c in range(n_c):
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
    if st.indep:
        h = _kron([(q[c][0][..., 0], q[c][1][..., 0]) for c in st.indep])
        joint = _outer_flat(h, g)  # (D, 2**C), internal state order
    else:
        joint = g
    for f in case.present:
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
    s1, s0 = _bit_sums(joint, st.order)
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


def _effects(th, pos, a):
    """``sum_e log(OR_e) * a[e]``: (D, K, J) from the effect matrix ``a`` (E, K, J)."""
    lor = _log(th[..., pos])  # (D, E)
    flat = lor @ a.reshape(a.shape[0], -1)
    tail = a.shape[1:]
    if isinstance(flat, _Dual):
        return _Dual(flat.v.reshape(flat.v.shape[:-1] + tail), flat.t.reshape(flat.t.shape[:-1] + tail))
    return flat.reshape(flat.shape[:-1] + tail)
