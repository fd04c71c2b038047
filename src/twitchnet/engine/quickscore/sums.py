"""The signed sums over subsets of the present findings: in double-double with a running error bound,
in pairs of long doubles, and in exact rational arithmetic.

Part of :mod:`twitchnet.engine.quickscore` (its docstring has the mathematics and the numerics).
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np

from twitchnet.engine.quickscore.doubles import _add, _dd, _div, _halve_last, _mul, _neg, _one_minus, _tree_prod

#: Largest relative error bound accepted from double-double before the exact fallback.
TOLERANCE = 1e-13


def _structure(qp, positive, n_c):
    """Causes with present children, grouped by the set of present findings they are parents of."""
    mask = np.zeros(n_c, dtype=np.int64)
    pmat = {}
    for j, f in enumerate(positive):
        mask[qp.parents[f]] |= 1 << j
        for c, p in zip(qp.parents[f].tolist(), qp.p[f].tolist()):
            pmat[c, j] = p
    rel = np.flatnonzero(mask)
    groups = {}
    for c in rel.tolist():
        groups.setdefault(int(mask[c]), []).append(c)
    return rel, groups, pmat


def _deposit(values, bits):
    """Scatter the low bits of ``values`` to the bit positions ``bits`` (ascending)."""
    out = np.zeros_like(values)
    for i, j in enumerate(bits):
        out |= ((values >> i) & 1) << j
    return out


@functools.lru_cache(maxsize=4096)
def _subset_index(bits, n_pos):
    """For each subset ``S`` of ``n_pos`` present findings, the index of ``S & bits`` among the
    subsets of ``bits`` (bit ``i`` of the index is ``bits[i]``). Integer index arrays, kept per
    shape: they depend on the present findings' pattern only, never on the numbers.
    """
    subsets = np.arange(1 << n_pos)
    out = sum(((subsets >> j) & 1) << i for i, j in enumerate(bits)) if bits else np.zeros(1 << n_pos, dtype=subsets.dtype)
    out.setflags(write=False)
    return out


@functools.lru_cache(maxsize=4096)
def _projection_order(bits, n_pos):
    """The subsets of ``n_pos`` present findings as a (2**len(bits), 2**(n_pos - len(bits)))
    array: row ``u`` holds those whose intersection with ``bits`` is ``u`` (kept per shape, as
    :func:`_subset_index`).
    """
    r = len(bits)
    rest = [j for j in range(n_pos) if j not in bits]
    out = _deposit(np.arange(1 << r)[:, None], bits) | _deposit(np.arange(1 << (n_pos - r))[None, :], rest)
    out.setflags(write=False)
    return out


def _dd_sums(qp, positive, rho, pi, n_q=1, split=False, keep=None, wide=False):
    """Signed sums in double-double with an error bound; None when the bound is not met.

    ``T(S) = (-1)**|S| L_S prod_g G_g(S & M_g)`` over the groups ``g`` of causes sharing the set
    ``M_g`` of present children; ``Z = sum_S T(S)``; for a cause ``c`` of group ``g``,
    ``M1_c = sum_u P_g(u) pi_c m_c(u) / f_c(u)`` and ``M0_c = sum_u P_g(u) rho_c / f_c(u)`` with
    ``P_g`` the projection of ``T`` onto the bits of ``M_g`` and ``f_c = rho_c + pi_c m_c``.
    Vectorised over causes and groups (every array op runs on all of them at once), and over
    ``n_q`` stacked queries (blocks of contexts, each checked against the bound on its own).
    With ``split``, a fourth item: for each present finding ``f`` and each of its causes ``c``,
    ``M1_c`` summed over the subsets without ``f`` and, negated, over those with it
    (:func:`_split_sums`). ``keep`` (present finding -> bool per query): a query whose entry is
    False sums over the subsets without that finding only, as if it were not observed
    (:func:`_signed_leaks`). ``wide``: the same pairs made of x87 long doubles (64-bit
    significands, about 128 bits together), for sums that cancel beyond double-double's reach.
    """
    ft = np.longdouble if wide else float
    rho, pi = rho.astype(ft), pi.astype(ft)
    n_pos = len(positive)
    n_c = qp.n_causes
    n_k = rho.shape[0]
    _, groups, pmat = _structure(qp, positive, n_c)
    masks = list(groups)
    bits_of = [[j for j in range(n_pos) if m >> j & 1] for m in masks]
    r_max = max(len(b) for b in bits_of)
    n_u = 1 << r_max
    rel = [c for m in masks for c in groups[m]]
    gid = np.repeat(np.arange(len(masks)), [len(groups[m]) for m in masks])
    n_r = len(rel)
    # m_c(u) = prod over the cause's own present children (its i-th one is bit i of u), padded
    # with 1 beyond them: (R, 2**r_max)
    p_rel = np.zeros((n_r, r_max), dtype=ft)
    for i, c in enumerate(rel):
        for k, j in enumerate(bits_of[gid[i]]):
            p_rel[i, k] = pmat[c, j]
    mm = (np.ones((n_r, 1), dtype=ft), np.zeros((n_r, 1), dtype=ft))
    for k in range(r_max):
        q = _one_minus(p_rel[:, k])
        half = _mul(mm, (q[0][:, None], q[1][:, None]))
        mm = (np.concatenate([mm[0], half[0]], axis=1), np.concatenate([mm[1], half[1]], axis=1))
    pi_r, rho_r = pi[:, rel, None], rho[:, rel, None]  # (K, R, 1)
    pim = _mul(_dd(np.broadcast_to(pi_r, (n_k, n_r, n_u))), (mm[0][None], mm[1][None]))
    rho_dd = _dd(np.broadcast_to(rho_r, pim[0].shape))
    fac = _add(rho_dd, pim)  # f_c(u), (K, R, U)
    h1, h0 = _div(pim, fac), _div(rho_dd, fac)
    # G_g(u): product over the group's members, padded to (K, G, n_max, U) with ones
    sizes = [len(groups[m]) for m in masks]
    n_max = max(sizes)
    slot = np.concatenate([np.arange(n) for n in sizes])
    g_hi = np.ones((n_k, len(masks), n_max, n_u), dtype=ft)
    g_lo = np.zeros_like(g_hi)
    g_hi[:, gid, slot], g_lo[:, gid, slot] = fac
    g_hi, g_lo = _tree_prod((g_hi, g_lo), 2)  # (K, G, U)
    idx = np.stack([_subset_index(tuple(b), n_pos) for b in bits_of])  # (G, S)
    expand = (np.take_along_axis(g_hi, idx[None], 2), np.take_along_axis(g_lo, idx[None], 2))  # (K, G, S)
    # signed L_S = (-1)**|S| prod_{f in S} (1 - l_f), built bit by bit
    lead = _signed_leaks(qp, positive, n_q, n_k, keep, ft)
    t_hi, t_lo = _tree_prod((np.concatenate([lead[0], expand[0]], axis=1), np.concatenate([lead[1], expand[1]], axis=1)), 1)
    t_abs = np.abs(t_hi)
    if (t_abs[t_abs > 0] < 1e-250).any():
        return None  # near the floating-point floor: double-double's error terms underflow (exact zeros are exact)
    z_dd = _halve_last((t_hi, t_lo), n_pos)
    z = z_dd[0] + z_dd[1]
    # projections P_g(u), by the number of bits r: gather S as (G_r, 2**r, 2**(P - r)), sum the last axis
    proj = (np.zeros((n_k, len(masks), n_u), dtype=ft), np.zeros((n_k, len(masks), n_u), dtype=ft))
    proj_abs = np.zeros((n_k, len(masks), n_u))
    for r in sorted({len(b) for b in bits_of}):
        gs = [g for g, b in enumerate(bits_of) if len(b) == r]
        order = np.stack([_projection_order(tuple(bits_of[g]), n_pos) for g in gs])  # (G_r, 2**r, 2**(P - r))
        x = _halve_last((t_hi[:, order], t_lo[:, order]), n_pos - r)  # (K, G_r, 2**r)
        proj[0][:, gs, : 1 << r], proj[1][:, gs, : 1 << r] = x
        proj_abs[:, gs, : 1 << r] = t_abs[:, order].sum(axis=-1)
    p_rel_dd = (proj[0][:, gid], proj[1][:, gid])  # (K, R, U)
    x1 = _halve_last(_mul(p_rel_dd, h1), r_max)
    x0 = _halve_last(_mul(p_rel_dd, h0), r_max)
    gamma = (3 * n_pos + 2 * len(masks) + 2 * n_max + 4 * r_max + 32) * (2.0**-122 if wide else 2.0**-100)
    bound_z = gamma * t_abs.sum(axis=1)
    m1, m0 = z[:, None] * pi, z[:, None] * rho  # causes without present children
    bound1, bound0 = bound_z[:, None] * pi, bound_z[:, None] * rho
    m1[:, rel], m0[:, rel] = x1[0] + x1[1], x0[0] + x0[1]
    bound1[:, rel] = gamma * (proj_abs[:, gid] * h1[0]).sum(axis=2)
    bound0[:, rel] = gamma * (proj_abs[:, gid] * h0[0]).sum(axis=2)
    checks = [(z[:, None], bound_z[:, None]), (m1, bound1), (m0, bound0)]
    extra = ()
    if split:
        causes_of, without, off, b_without, b_off = _split_sums(positive, rel, gid, bits_of, r_max, p_rel_dd, h1, proj_abs, gamma)
        checks += [(without, b_without), (off, b_off)]
        extra = ((causes_of, np.maximum(without, 0.0).astype(float), np.maximum(off, 0.0).astype(float)),)
    # accept when, summed over each query's contexts, every mass is known to TOLERANCE (relative)
    for val, bnd in checks:
        tot_v = val.reshape(n_q, -1, *val.shape[1:]).sum(axis=1)
        tot_b = bnd.reshape(n_q, -1, *bnd.shape[1:]).sum(axis=1)
        if not ((tot_b <= TOLERANCE * tot_v) | ((tot_b == 0) & (tot_v == 0))).all():
            return None
    return (np.maximum(z, 0.0).astype(float), np.maximum(m1, 0.0).astype(float), np.maximum(m0, 0.0).astype(float), *extra)


def _signed_leaks(qp, positive, n_q, n_k, keep, ft=float):
    """Signed ``L_S = (-1)**|S| prod_{f in S} (1 - l_f)`` over the subsets, built bit by bit, as
    (hi, lo) of shape (contexts, 1, subsets). With ``keep``, per query: a finding it does not keep
    gets the factor 0 in place of ``1 - l_f`` (exactly), so every subset holding it drops out and
    the sum is that of the query's own present findings.
    """
    n_s = 1 << len(positive)
    if keep is None:
        hi, lo = np.ones(1, dtype=ft), np.zeros(1, dtype=ft)
        for f in positive:
            half = _neg(_mul((hi, lo), _one_minus(np.array([qp.leak[f]], dtype=ft))))
            hi, lo = np.concatenate([hi, half[0]]), np.concatenate([lo, half[1]])
        return np.broadcast_to(hi, (n_k, 1, n_s)), np.broadcast_to(lo, (n_k, 1, n_s))
    hi, lo = np.ones((n_q, 1), dtype=ft), np.zeros((n_q, 1), dtype=ft)
    for f in positive:
        kl = _one_minus(np.array([qp.leak[f]], dtype=ft))
        on = np.asarray(keep[f], dtype=ft)[:, None]
        half = _neg(_mul((hi, lo), (kl[0] * on, kl[1] * on)))
        hi, lo = np.concatenate([hi, half[0]], axis=1), np.concatenate([lo, half[1]], axis=1)
    per = n_k // n_q
    return np.repeat(hi, per, axis=0)[:, None, :], np.repeat(lo, per, axis=0)[:, None, :]


def _split_sums(positive, rel, gid, bits_of, r_max, p_rel_dd, h1, proj_abs, gamma):
    """``M1_c`` split by one present child ``f`` of ``c``: the subsets ``S`` without ``f`` give
    ``P(c present, e without f)``, those with it ``-P(c present, e with f absent instead)``
    (folding ``f`` in as absent multiplies each weight by ``1 - p_cf`` and the constant by
    ``1 - l_f``, which is the term of ``S + f`` with its sign flipped). In the projection onto
    ``c``'s own present children, ``f`` is bit ``i`` of ``u``: sum the halves with that bit 0 and 1.

    Returns
    -------
    causes_of : dict
        Present finding -> ``((rows, bits), causes)``: where its causes' entries are in the arrays.
    without, off, bound_without, bound_off : ndarray of shape (K, R, r_max)
    """
    n_u = 1 << r_max
    u = np.arange(n_u)
    sel = [np.flatnonzero(((u >> i) & 1) == b) for b in (0, 1) for i in range(r_max)]
    sel = np.array(sel).reshape(2, r_max, n_u // 2)
    y = _mul(p_rel_dd, h1)  # (K, R, U)
    halves = [_halve_last((y[0][:, :, sel[b]], y[1][:, :, sel[b]]), r_max - 1) for b in (0, 1)]  # (K, R, r_max)
    ab = proj_abs[:, gid] * h1[0]
    bounds = [gamma * ab[:, :, sel[b]].sum(axis=-1) for b in (0, 1)]
    without = halves[0][0] + halves[0][1]
    off = -(halves[1][0] + halves[1][1])
    entries = {}
    for i, c in enumerate(rel):
        for k, j in enumerate(bits_of[gid[i]]):
            entries.setdefault(positive[j], []).append((i, k, c))
    causes_of = {f: ((np.array([e[0] for e in es]), np.array([e[1] for e in es])), np.array([e[2] for e in es]))
                 for f, es in entries.items()}
    return causes_of, without, off, bounds[0], bounds[1]


def _exact_sums(qp, positive, rho, pi):
    """The same sums in exact rational arithmetic (the inputs as the doubles they are), returned as
    their logarithms: ``log Z``, ``log M1``, ``log M0`` (a mass below the double range keeps its
    logarithm; -inf only for an exact zero). ``M1`` and ``M0`` only for the causes with a present
    child in ``positive`` (NaN elsewhere: :func:`masses` keeps the others' prior share).
    """
    n_pos = len(positive)
    n_k, n_c = rho.shape
    _, groups, pmat = _structure(qp, positive, n_c)
    rel = sorted(c for members in groups.values() for c in members)
    q = {key: 1 - Fraction(p) for key, p in pmat.items()}
    keep_leak = [1 - Fraction(float(qp.leak[f])) for f in positive]
    z = np.zeros(n_k)
    m1 = np.full((n_k, n_c), np.nan)
    m0 = np.full((n_k, n_c), np.nan)
    for k in range(n_k):
        rk = {c: Fraction(float(rho[k, c])) for c in rel}
        pk = {c: Fraction(float(pi[k, c])) for c in rel}
        zk = Fraction(0)
        s1 = dict.fromkeys(rel, Fraction(0))
        s0 = dict.fromkeys(rel, Fraction(0))
        for s in range(1 << n_pos):
            js = [j for j in range(n_pos) if s >> j & 1]
            term = Fraction(-1 if len(js) % 2 else 1)
            for j in js:
                term *= keep_leak[j]
            mc = {}
            fac = {}
            for c in rel:
                m = Fraction(1)
                for j in js:
                    if (c, j) in q:
                        m *= q[c, j]
                mc[c] = m
                fac[c] = rk[c] + pk[c] * m
                term *= fac[c]
            zk += term
            for c in rel:
                rest = term / fac[c]
                s1[c] += rest * pk[c] * mc[c]
                s0[c] += rest * rk[c]
        z[k] = _log(zk)
        for c in rel:
            m1[k, c], m0[k, c] = _log(s1[c]), _log(s0[c])
    return z, m1, m0


def _log(x):
    """``log x`` of a non-negative Fraction, exact to a double's rounding at any magnitude (-inf for 0).

    A mass below the double range (1e-400 from two 1e-200 leaks) is never rounded to 0 first: the
    binary exponent is taken out of the ratio, and what is left is within a factor 4 of 1.
    """
    if x <= 0:
        return -math.inf
    e = x.numerator.bit_length() - x.denominator.bit_length()
    y = Fraction(x.numerator, x.denominator << e) if e > 0 else Fraction(x.numerator << -e, x.denominator)
    return math.log(float(y)) + e * _LOG2


_LOG2 = math.log(2.0)
