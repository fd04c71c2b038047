"""Quickscore: exact posteriors at a cost exponential in the present findings, not the causes.

Heckerman D. A tractable inference algorithm for diagnosing multiple diseases. Proceedings of the
Fifth Conference on Uncertainty in Artificial Intelligence (UAI 1989), 163-171. Written here from
the mathematics for twitchnet's three layers (risk factors -> causes -> noisy-OR findings).

Given the context ``k`` (joint state of the shared risk factors, summed exactly outside), the
causes are independent with weights ``a_c = P(c absent, e_priv(c) | k)`` and
``b_c = P(c present, e_priv(c) | k)``. Under noisy-OR ``P(f absent | s) = (1 - l_f)
prod_c (1 - p_cf)**s_c``, so

* every **absent** finding folds into each cause's present weight, ``b_c *= prod (1 - p_cf)``,
  and into a constant ``prod (1 - l_f)``;
* the **present** findings ``F+`` expand by inclusion-exclusion,
  ``prod_{f in F+} (1 - g_f(s)) = sum_{S subset F+} (-1)**|S| prod_{f in S} g_f(s)``, and for each
  subset ``S`` the sum over the ``2**C`` cause states factorises:
  ``sum_s prod_c w_c(s_c) prod_{f in S} g_f(s) = L_S prod_c (a_c + b_c m_c(S))`` with
  ``L_S = prod_{f in S} (1 - l_f)`` and ``m_c(S) = prod_{f in S} (1 - p_cf)``.

The mass with cause ``c`` present is the same sum with ``a_c + b_c m_c(S)`` replaced by
``b_c m_c(S)`` (and absent: by ``a_c``), so each posterior comes from two sums of its own, as in
the enumeration engine. Causes with no present child factor out of the sum over subsets. Causes are
grouped by which present findings they are parents of; a group's factor depends only on the
subset's intersection with that set, and the per-cause sums are projections of one signed vector.
Work: ``K * 2**|F+| * (groups + bits)`` operations.

**Numerics.** The alternating sum cancels: its terms are of order 1 while the result,
``P(F+ | ...)``, can be ``1e-12`` or less, so double precision loses all digits. Every term and sum
is therefore computed in double-double arithmetic (about 106 bits; Dekker 1971, Hida, Li & Bailey
2001) from the model's double inputs (``1 - p`` is formed exactly), and a running error bound is
kept: ``gamma * sum |terms|`` for every sum, ``gamma = (ops + 32) * 2**-100``. When the bound for
any returned mass exceeds ``TOLERANCE`` (1e-13 relative) of the mass itself, the same sums are
recomputed in pairs of x87 long doubles (64-bit significands, about 128 bits together, error bound
``(ops + 32) * 2**-122``; the ``path`` still says "double-double"; only where numpy's long double
is x87 extended, as on Linux and macOS x86-64). The double-double bound is
pessimistic (it counts every operation's worst case), and this second pass makes it rare to go
further: on 60 QMR-shaped cases with up to 16 present findings (``benchmarks/bench_scale.py``), none
went further, where 14 of the 60 were refused before it. Only when that bound fails too is the case recomputed
in exact rational arithmetic (:mod:`fractions`; slow, so only up to
``limits.MAX_EXACT_FALLBACK_TERMS`` subsets x causes, beyond which the case is refused with an
:class:`~twitchnet.errors.EngineLimitError` saying why) and the returned ``path`` says so.
Present findings that share no cause are summed separately (connected components), which keeps
both the work and the cancellation to each component. The inputs themselves (the normalised cause
weights) are rounded doubles; every mass is a multilinear polynomial with non-negative
coefficients in them, so their rounding moves a result by at most a few ulps, relatively.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from twitchnet import _validation as v
from twitchnet._memo import memo
from twitchnet.engine import Engine, Explained
from twitchnet.errors import EngineLimitError
from twitchnet.limits import MAX_EXACT_FALLBACK_TERMS, MAX_QUICKSCORE_POSITIVES

__all__ = ["QUICKSCORE", "TOLERANCE", "QuickscoreEngine", "QuickscorePlan", "group_masses", "masses", "posterior"]

#: Largest relative error bound accepted from double-double before the exact fallback.
TOLERANCE = 1e-13
# ---------------------------------------------------------------------------- double-double
_SPLIT = 134217729.0  # 2**27 + 1
_SPLIT_WIDE = np.longdouble(4294967297.0)  # 2**32 + 1, for the 64-bit significand of x87 long double
#: Whether numpy's long double has the x87 64-bit significand (not on Windows or ARM, where it is a
#: double: there the wider pass is skipped).
_WIDE = np.finfo(np.longdouble).nmant >= 63


def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a):
    c = (_SPLIT_WIDE if a.dtype == np.longdouble else _SPLIT) * a
    hi = c - (c - a)
    return hi, a - hi


def _mul(x, y):
    """Double-double product of ``x = (hi, lo)`` and ``y``."""
    p = x[0] * y[0]
    ah, al = _split(x[0])
    bh, bl = _split(y[0])
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    e = e + (x[0] * y[1] + x[1] * y[0])
    s = p + e
    return s, e - (s - p)


def _add(x, y):
    """Double-double sum."""
    s, e = _two_sum(x[0], y[0])
    e = e + (x[1] + y[1])
    h = s + e
    return h, e - (h - s)


def _neg(x):
    return -x[0], -x[1]


def _dd(a):
    a = np.asarray(a)
    a = a if a.dtype == np.longdouble else a.astype(float)
    return a, np.zeros_like(a)


def _one_minus(p):
    """``1 - p`` exactly, as a double-double."""
    return _two_sum(np.ones_like(p), -p)


def _halve_last(x, n_bits):
    """Sum the last axis (length ``2**n_bits``) by pairwise halving, in double-double."""
    for _ in range(n_bits):
        h = x[0].shape[-1] // 2
        x = _add((x[0][..., :h], x[1][..., :h]), (x[0][..., h:], x[1][..., h:]))
    return x[0][..., 0], x[1][..., 0]


# ---------------------------------------------------------------------------- the plan
class QuickscorePlan:
    """Quickscore's view of a model: the shared risk-factor tables and each finding's links.

    Parameters
    ----------
    model : twitchnet.DiagnosticModel

    Attributes
    ----------
    tables : twitchnet.model.tables.FactorTables
    parents : tuple of ndarray of int
        Per finding, its causes.
    p : tuple of ndarray of float
        Per finding, the link probabilities ``p_cf`` (same order).
    log_keep : tuple of ndarray
        ``log(1 - p_cf)``.
    leak : ndarray of shape (F,)
    """

    def __init__(self, model):
        self.tables = model.factor_tables
        self.n_causes = len(model.cause_ids)
        index = {c: i for i, c in enumerate(model.cause_ids)}
        parents, p = [], []
        for f in model.kb.findings:
            parents.append(np.array([index[link.cause] for link in f.links], dtype=np.int64))
            p.append(np.array([link.p.value for link in f.links]))
        self.parents, self.p = tuple(parents), tuple(p)
        self.log_keep = tuple(np.log1p(-x) for x in p)
        self.leak = np.array([f.leak.value for f in model.kb.findings])
        self.log_leak_off = np.log1p(-self.leak)


def plan_of(model):
    """The model's :class:`QuickscorePlan`, built on first use and kept beside it."""
    return memo(model, "quickscore", lambda: QuickscorePlan(model))


def _weights(qp, codes, negative, absent=()):
    """Per live context: log of its constant, and each cause's normalised (absent, present) pair.

    ``absent``: causes held absent (their present weight set to 0), so that the masses are those
    of the evidence joint with every one of them absent (cause groups, :func:`group_masses`).
    """
    t = qp.tables
    w = t.ctx_w[codes[-1]]
    pair = t.q_all[np.asarray(codes[:-1], dtype=np.int64) + t.q_offset]  # (C, K, 2)
    a, b = pair[:, :, 0].T, pair[:, :, 1].T  # (K, C)
    if len(absent):
        b = b.copy()
        b[:, list(absent)] = 0.0
    const = 0.0
    if len(negative):
        lk = np.zeros(qp.n_causes)
        for f in negative:
            lk[qp.parents[f]] += qp.log_keep[f]
        b = b * np.exp(lk)
        const = float(sum(qp.log_leak_off[f] for f in negative))
    tot = a + b
    live = np.flatnonzero((w > 0) & (tot > 0).all(axis=1))
    a, b, tot = a[live], b[live], tot[live]
    with np.errstate(divide="ignore"):
        log_z0 = np.log(w[live]) + np.log(tot).sum(axis=1) + const
    return log_z0, a / tot, b / tot


def masses(qp, codes, negative, positive, exact=False, soft=(), absent=()):
    """Exact masses of one case.

    Soft findings (``soft``: ``(finding, likelihood ratio)`` pairs) multiply each cause state by
    ``P(f absent | s) + r P(f present | s)``, a combination with non-negative weights of the
    finding unknown and the finding present (or absent) (:func:`twitchnet.engine.soft_terms`):
    the masses are the same combination of the hard cases' masses, ``2**len(soft)`` Quickscore
    runs summed in log space, with no cancellation between them.

    Parameters
    ----------
    qp : QuickscorePlan
    codes : sequence of int
        Each cause's risk-factor pattern code, then the context's (``Encoded.codes``).
    negative, positive : sequence of int
        Indices of the findings observed absent and present.
    exact : bool, default=False
        Compute in exact rational arithmetic (the fallback, and the tests' oracle).
    absent : sequence of int, default=()
        Causes held absent: every mass is then joint with all of them absent (``log_evidence``
        is ``log P(e, those causes absent)``), their prior's present weight set to 0.

    Returns
    -------
    log_evidence : float
        ``log P(e)``; ``-inf`` for impossible evidence.
    log_present, log_absent : ndarray of shape (C,)
        ``log P(c present, e)`` and ``log P(c absent, e)``.
    path : {"double-double", "exact"}
    """
    if soft:
        return _soft_masses(qp, codes, negative, positive, exact, soft, absent)
    _check_positives(len(positive))
    log_z0, rho, pi = _weights(qp, codes, negative, absent)
    if log_z0.size == 0:
        return -math.inf, np.full(qp.n_causes, -np.inf), np.full(qp.n_causes, -np.inf), "double-double"
    lev, l1, l0, path, _ = _combine(qp, log_z0, rho, pi, positive, exact=exact)
    return float(lev[0]), l1[0], l0[0], path


def _check_positives(n_pos):
    if n_pos > MAX_QUICKSCORE_POSITIVES:
        raise v.fail(
            EngineLimitError, "engine",
            f"at most {MAX_QUICKSCORE_POSITIVES} present findings for engine 'quickscore' (its exact sum runs over "
            f"the 2**present subsets; twitchnet.limits.MAX_QUICKSCORE_POSITIVES)",
            f"{n_pos} present findings",
        )


def _combine(qp, log_z0, rho, pi, positive, exact=False, n_q=1, split=False, keep=None):
    """The masses of ``n_q`` queries sharing the present findings, from their stacked weights.

    ``log_z0``, ``rho``, ``pi`` (from :func:`_weights`) hold ``n_q`` blocks of the same number of
    contexts, one block per query (queries differ in their absent findings only), so one pass of
    :func:`_dd_sums` serves them all; each query's precision is checked on its own block.

    Parameters
    ----------
    split : bool, default=False
        Also return, for each present finding ``f`` and each of its causes ``c``,
        ``log P(c present, e without f)`` and ``log P(c present, e with f absent instead)``
        (the counterfactuals' masses), read off the same inclusion-exclusion sum: the subsets
        without ``f``, and (negated) those with it. Only for ``n_q == 1``.
    keep : dict, optional
        Present finding -> bool per query: the queries' own present findings (each sums over
        the subsets of its own, :func:`_signed_leaks`). Default: all of ``positive`` for all.

    Returns
    -------
    log_evidence : ndarray of shape (n_q,)
    log_present, log_absent : ndarray of shape (n_q, C)
    path : {"double-double", "exact"}
    split : dict or None
        Present finding -> ``(causes, log_without, log_off)`` when ``split``.

    Returns None instead when ``n_q > 1`` or ``split`` and double-double cannot promise the
    tolerance for some query (the caller then runs each query alone through :func:`masses`).
    """
    _check_positives(len(positive))
    n_c = qp.n_causes
    # Present findings with no cause in common are independent given the context: each connected
    # component is summed on its own (2**|A| terms, and only its own cancellation), and
    # P(F+ | k) is the product over the components. Everything per context in log space.
    paths = set()
    cf_parts = []
    with np.errstate(divide="ignore"):
        lz = np.zeros(log_z0.size)
        l1, l0 = np.log(pi), np.log(rho)  # causes with no present child: their prior share
        parts = []
        for comp in _components(qp, positive):
            out = None if exact else _dd_sums(qp, comp, rho, pi, n_q=n_q, split=split, keep=keep)
            if out is None and not exact and _WIDE:  # cancels beyond double-double: the same sums, wider
                out = _dd_sums(qp, comp, rho, pi, n_q=n_q, split=split, keep=keep, wide=True)
            if out is None:
                if n_q > 1 or split or keep is not None:
                    return None
                n_terms = (1 << len(comp)) * len(np.unique(np.concatenate([qp.parents[f] for f in comp])))
                if n_terms > MAX_EXACT_FALLBACK_TERMS and not exact:
                    raise v.fail(
                        EngineLimitError, "engine",
                        f"a case whose inclusion-exclusion sum double-double arithmetic keeps to a relative {TOLERANCE} "
                        f"(it cancels more digits here), or one small enough for the exact rational fallback "
                        f"(at most {MAX_EXACT_FALLBACK_TERMS} subsets x causes involved; twitchnet.limits.MAX_EXACT_FALLBACK_TERMS)",
                        f"{len(comp)} connected present findings with {n_terms} terms",
                    )
                log_z, log_m1, log_m0 = _exact_sums(qp, comp, rho, pi)  # logs: no underflow to 0
                paths.add("exact")
            else:
                log_z, log_m1, log_m0 = (np.log(x) for x in out[:3])
                paths.add("double-double")
                if split:
                    cf_parts.append((log_z, out[3]))
            rel = np.unique(np.concatenate([qp.parents[f] for f in comp]))
            with np.errstate(invalid="ignore"):  # a context where this component is impossible adds nothing
                live = np.isfinite(log_z)[:, None]
                parts.append((log_z, rel, np.where(live, log_m1[:, rel] - log_z[:, None], -np.inf),
                              np.where(live, log_m0[:, rel] - log_z[:, None], -np.inf)))
        for log_z, rel, r1, r0 in parts:
            lz = lz + log_z
            l1[:, rel], l0[:, rel] = r1, r0  # P(c, F+_A | k) / P(F+_A | k)
        lz = (log_z0 + lz).reshape(n_q, -1)
        lev = _lse(lz, axis=1)
        l1 = _lse(lz[:, :, None] + l1.reshape(n_q, lz.shape[1], n_c), axis=1)
        l0 = _lse(lz[:, :, None] + l0.reshape(n_q, lz.shape[1], n_c), axis=1)
        cf = _split_masses(lz[0], cf_parts) if split else None
    return lev, l1, l0, "exact" if exact or "exact" in paths else "double-double", cf


def _split_masses(lz, cf_parts):
    """Per present finding, its causes' counterfactual masses in log space (see :func:`_combine`)."""
    cf = {}
    for log_z, (causes_of, without, off) in cf_parts:
        with np.errstate(divide="ignore", invalid="ignore"):
            live = np.isfinite(log_z)[:, None]
            base = lz[:, None]
            for f, (idx, cs) in causes_of.items():
                w = np.where(live, np.log(without[:, idx[0], idx[1]]) - log_z[:, None], -np.inf)
                o = np.where(live, np.log(off[:, idx[0], idx[1]]) - log_z[:, None], -np.inf)
                cf[f] = (cs, _lse(base + w, axis=0), _lse(base + o, axis=0))
    return cf


def _soft_masses(qp, codes, negative, positive, exact, soft, absent=()):
    """:func:`masses` with soft findings: the weighted sum of the hard cases' masses."""
    import itertools

    from twitchnet.engine import soft_terms

    levs, l1s, l0s, paths = [], [], [], set()
    for combo in itertools.product(*(soft_terms(r) for _, r in soft)):
        neg, pos, log_w = list(negative), list(positive), 0.0
        for (f, _), (w, val) in zip(soft, combo):
            log_w += math.log(w)
            if val == 1:
                pos.append(f)
            elif val == 0:
                neg.append(f)
        lev, l1, l0, path = masses(qp, codes, sorted(neg), sorted(pos), exact=exact, absent=absent)
        levs.append(log_w + lev)
        l1s.append(log_w + l1)
        l0s.append(log_w + l0)
        paths.add(path)
    with np.errstate(divide="ignore", invalid="ignore"):
        lev = float(_lse(np.array(levs), axis=0))
        l1, l0 = _lse(np.array(l1s), axis=0), _lse(np.array(l0s), axis=0)
    return lev, l1, l0, "exact" if "exact" in paths else "double-double"


def _components(qp, positive):
    """The present findings in groups connected by shared causes (union-find), in order."""
    parent = list(range(len(positive)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first = {}
    for i, f in enumerate(positive):
        for c in qp.parents[f].tolist():
            j = first.setdefault(c, i)
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    comps = {}
    for i, f in enumerate(positive):
        comps.setdefault(find(i), []).append(f)
    return list(comps.values())


def _lse(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return np.squeeze(np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m, axis=axis)


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


def _div(x, y):
    """Double-double quotient (one Newton correction)."""
    q1 = x[0] / y[0]
    r = _add(x, _neg(_mul((q1, np.zeros_like(q1)), y)))
    q2 = r[0] / y[0]
    s = q1 + q2
    return s, q2 - (s - q1)


def _tree_prod(x, axis):
    """Product over ``axis`` by pairwise halving (odd lengths padded with 1), in double-double."""
    hi, lo = np.moveaxis(x[0], axis, 0), np.moveaxis(x[1], axis, 0)
    while hi.shape[0] > 1:
        if hi.shape[0] % 2:
            hi = np.concatenate([hi, np.ones_like(hi[:1])])
            lo = np.concatenate([lo, np.zeros_like(lo[:1])])
        h = hi.shape[0] // 2
        hi, lo = _mul((hi[:h], lo[:h]), (hi[h:], lo[h:]))
    return hi[0], lo[0]


def _deposit(values, bits):
    """Scatter the low bits of ``values`` to the bit positions ``bits`` (ascending)."""
    out = np.zeros_like(values)
    for i, j in enumerate(bits):
        out |= ((values >> i) & 1) << j
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
    n_s = 1 << n_pos
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
    subsets = np.arange(n_s)
    idx = np.stack([sum(((subsets >> j) & 1) << i for i, j in enumerate(b)) for b in bits_of])  # (G, S)
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
        order = []
        for g in gs:
            b = bits_of[g]
            rest = [j for j in range(n_pos) if j not in b]
            order.append(_deposit(np.arange(1 << r)[:, None], b) | _deposit(np.arange(1 << (n_pos - r))[None, :], rest))
        order = np.stack(order)  # (G_r, 2**r, 2**(P - r))
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


# ---------------------------------------------------------------------------- engine API
def group_masses(model, codes, negative, positive, members, exact=False):
    """``log P(e)`` and ``log P(at least one of members present, e)`` by a chain of Quickscore runs.

    ``P(any present, e) = sum_i P(m_1 .. m_(i-1) absent, m_i present, e)``: run ``i`` holds the
    members before ``m_i`` absent (their prior's present weight 0, :func:`masses`' ``absent``) and
    reads ``m_i``'s present mass. Every term is a mass Quickscore computes exactly, and the sum
    has no cancellation (unlike ``P(e) - P(every member absent, e)``), so a small group
    probability keeps its relative precision. Cost: one run per member.

    Parameters
    ----------
    model : DiagnosticModel
    codes, negative, positive
        As :func:`masses`.
    members : sequence of int
        The group's cause indices.

    Returns
    -------
    log_evidence, log_any : float
    """
    qp = plan_of(model)
    terms = []
    lev = None
    for i, m in enumerate(members):
        lz, l1, _, _ = masses(qp, codes, negative, positive, exact=exact, absent=members[:i])
        if i == 0:
            lev = lz
        terms.append(l1[m])
    with np.errstate(divide="ignore"):
        log_any = float(_lse(np.array(terms), axis=0)) if terms else -math.inf
    return lev, log_any


def posterior(model, codes, negative, positive, exact=False):
    """Posterior log-odds of every cause for one case.

    Returns
    -------
    log_odds : ndarray of shape (C,)
    log_evidence : float
    path : str
    """
    lev, l1, l0, path = masses(plan_of(model), codes, negative, positive, exact=exact)
    with np.errstate(invalid="ignore"):
        return l1 - l0, lev, path


def _explain(model, codes, observed, values, exact=False, soft=None, shared=True, lazy=False):
    """One case with its sequential explanation and counterfactuals, by Quickscore.

    The contract of :meth:`twitchnet.engine.Engine.explain`: row 0 of the explanation holds the risk
    factors only, and each observed finding is added in knowledge-base order. The
    counterfactuals (expected disablement and sufficiency, :mod:`twitchnet.engine.counterfactual`):
    ``suff_k = sum_f p_kf P(k, e without f) / P(e)`` and
    ``dis_k = sum_f p_kf / (1 - p_kf) P(k, e with f absent instead) / P(e)``. Written as one
    Quickscore run per observed finding and two per present finding (``shared=False``); by
    default the runs share their work (:func:`_explain_shared`), to the same numbers.

    Parameters
    ----------
    model : DiagnosticModel
    codes : sequence of int
    observed : sequence of int
        Observed finding indices, in knowledge-base order.
    values : sequence of bool
        Their values.
    exact : bool, default=False
    soft : dict, optional
        Finding index -> likelihood ratio, for the observed findings given as soft evidence
        (their ``values`` are ignored).
    shared : bool, default=True
        Share the work between the runs (:func:`_explain_shared`; hard evidence only). False
        runs them one by one: the tests' oracle.
    lazy : bool, default=False
        With ``shared``, the steps as a :class:`Steps` computed when first read (the engine's
        :meth:`QuickscoreEngine.explain` sets it: :func:`twitchnet.diagnose` reads them only when
        a contribution is read).

    Returns
    -------
    Explained
    """
    from twitchnet.engine.reference import explained_from_log_odds

    qp = plan_of(model)
    if shared and not exact and not soft:
        fast = _explain_shared(qp, codes, observed, values, lazy=lazy)
        if isinstance(fast, str):
            return Explained.impossible()
        if fast is not None:
            return fast
    neg, pos, sft = [], [], []
    rows = []
    lev = None
    for j in range(len(observed) + 1):
        if j:
            value = values[j - 1]
            if soft is not None and soft.get(observed[j - 1]) is not None:
                sft.append((observed[j - 1], soft[observed[j - 1]]))
            else:
                (pos if value else neg).append(observed[j - 1])
        lev, l1, l0, _ = masses(qp, codes, neg, pos, exact=exact, soft=sft)
        if not lev > -math.inf:
            return Explained.impossible()
        rows.append(l1 - l0)
    post = np.array(rows)
    n_c = qp.n_causes
    dis, suff = np.zeros(n_c), np.zeros(n_c)
    for f in pos:
        others = [g for g in pos if g != f]
        _, l1_without, _, _ = masses(qp, codes, neg, others, exact=exact, soft=sft)
        _, l1_off, _, _ = masses(qp, codes, sorted(neg + [f]), others, exact=exact, soft=sft)
        c = qp.parents[f]
        p = qp.p[f]
        suff[c] += p * np.exp(l1_without[c] - lev)
        dis[c] += p / (1.0 - p) * np.exp(l1_off[c] - lev)
    return explained_from_log_odds(lev, post, dis, suff)


def _explain_shared(qp, codes, observed, values, lazy=False):
    """:func:`_explain` with the work shared between its runs; None to run them one by one.

    The counterfactuals' ``2 |F+|`` runs are read off the full evidence's own sum (``split``).
    The explanation's rows (each a prefix of the observed findings) run in a few stacked sums
    (:func:`_chunks`, :func:`_stacked`), each row's masses by the same arithmetic as its own
    Quickscore run; a block double-double cannot promise to the tolerance runs row by row through
    :func:`masses` (with its exact fallback).

    Parameters
    ----------
    lazy : bool, default=False
        Leave the rows between the first (risk factors only) and the last (all the evidence) to
        be computed when the steps are first read (:class:`Steps`): a diagnosis pays for its
        posterior and counterfactuals, and for the explanation only when it is looked at.

    Returns
    -------
    Explained or "impossible" or None
    """
    rows = []
    neg, pos = [], []
    for j in range(len(observed) + 1):
        if j:
            (pos if values[j - 1] else neg).append(observed[j - 1])
        rows.append((tuple(neg), tuple(pos)))
    log_z0, rho, pi = _weights(qp, codes, list(neg))
    if log_z0.size == 0:
        return "impossible"
    full = _combine(qp, log_z0, rho, pi, list(pos), split=True)
    if full is None:
        return None
    lev, l1, l0, _, cf = full
    lev = float(lev[0])
    if not lev > -math.inf:
        return "impossible"
    with np.errstate(invalid="ignore"):
        last = l1[0] - l0[0]
    first = _stacked(qp, codes, rows[:1])[0][1] if len(rows) > 1 else last
    n_c = qp.n_causes
    dis, suff = np.zeros(n_c), np.zeros(n_c)
    for f in pos:
        c, l1_without, l1_off = cf[f]
        p = _link_p(qp, f, c)
        np.add.at(suff, c, p * np.exp(l1_without - lev))
        np.add.at(dis, c, p / (1.0 - p) * np.exp(l1_off - lev))
    steps = Steps(qp, codes, rows, first, last)
    if not lazy:
        steps.row(0)
    from twitchnet.engine.reference import expit

    ends = np.array([first, last])
    prob = expit(ends)
    return Explained(lev, ends[0].tolist(), ends[1].tolist(), prob[0].tolist(), prob[1].tolist(), steps,
                     dis.tolist(), suff.tolist())


class Steps:
    """The explanation's steps of every cause, computed when first read.

    Behaves as the list of per-cause lists of :class:`~twitchnet.engine.Explained` ``steps``
    (``len``, indexing, iteration); :meth:`row` is what :func:`twitchnet.diagnose` calls. The
    rows between the first and the last run in stacked sums (:func:`_chunks`); reading computes
    them all, once.
    """

    def __init__(self, qp, codes, rows, first, last):
        self._args = (qp, codes, rows, first, last)
        self._diff = None

    def _matrix(self):
        if self._diff is None:
            qp, codes, rows, first, last = self._args
            post = np.empty((len(rows), qp.n_causes))
            post[0], post[-1] = first, last
            mid = rows[1:-1]
            for js in _chunks([len(p) for _, p in mid], len(rows[-1][1])):
                for j, (_, d) in zip(js, _stacked(qp, codes, [mid[j] for j in js])):
                    post[j + 1] = d
            self._diff = np.diff(post, axis=0).T
        return self._diff

    def row(self, c):
        """Cause ``c``'s steps, as a list of floats."""
        return self._matrix()[c].tolist()

    def __len__(self):
        return self._args[0].n_causes

    def __getitem__(self, c):
        return self._matrix()[c].tolist()

    def __iter__(self):
        return iter(self._matrix().tolist())


def _link_p(qp, f, causes):
    """The link probabilities ``p_cf`` of finding ``f`` for ``causes``."""
    where = {c: i for i, c in enumerate(qp.parents[f].tolist())}
    return qp.p[f][[where[c] for c in causes.tolist()]]


def _chunks(sizes, n_pos):
    """The explanation's rows (by their number of present findings, which never decreases) in
    runs of consecutive rows whose stacked sum costs at most one run of the full evidence: rows
    times ``2**(largest present set)`` at most ``2**n_pos``.
    """
    chunks, cur = [], []
    for j, k in enumerate(sizes):
        if cur and (len(cur) + 1) << k > 1 << n_pos and k > sizes[cur[-1]]:
            chunks.append(cur)
            cur = []
        cur.append(j)
    return chunks + [cur] if cur else chunks


def _stacked(qp, codes, rows):
    """``[(log P(e), log-odds)]`` for rows ``(absent, present)`` whose present sets are nested
    (each holds the ones before): one stacked :func:`_combine` over the largest present set, each
    row keeping its own (:func:`_signed_leaks`), or one :func:`masses` per row when the blocks
    differ in live contexts or double-double cannot promise the tolerance for one of them.
    """
    positive = list(rows[-1][1])
    ws = [_weights(qp, codes, list(n)) for n, _ in rows]
    if len({w[0].size for w in ws}) == 1 and ws[0][0].size:
        keep = {f: np.array([f in p for _, p in rows]) for f in positive}
        out = _combine(qp, np.concatenate([w[0] for w in ws]), np.concatenate([w[1] for w in ws]),
                       np.concatenate([w[2] for w in ws]), positive, n_q=len(ws), keep=keep)
        if out is not None:
            lev, l1, l0, _, _ = out
            with np.errstate(invalid="ignore"):
                return list(zip(lev.tolist(), l1 - l0))
    res = []
    for n, p in rows:
        lev, l1, l0, _ = masses(qp, codes, list(n), list(p))
        with np.errstate(invalid="ignore"):
            res.append((lev, l1 - l0))
    return res


class QuickscoreEngine(Engine):
    """The ``"quickscore"`` engine (see the module docstring)."""

    name = "quickscore"

    def supports(self, model):
        """Every model that loads (its tables are linear in causes and findings)."""
        return True

    def explain(self, model, case):
        """One case (see :meth:`twitchnet.engine.Engine.explain`); never None."""
        soft = getattr(case, "soft", ())
        if not soft:
            return _explain(model, case.codes, case.observed, case.observed_values, lazy=True)
        from twitchnet.engine import observed_order

        order = observed_order(case)
        return _explain(model, case.codes, [f for f, _, _ in order], [val for _, val, _ in order], soft=dict(soft))

    def posterior(self, source, rf_state, finding_state, *, threads=None, failed=None):
        """Many cases, one Quickscore run each (``threads`` unused). ``source`` must be a model.

        Parameters
        ----------
        failed : dict, optional
            When given, a row beyond Quickscore's limits does not stop the batch: its
            :class:`~twitchnet.errors.EngineLimitError` is stored here under the row's position in
            the batch, and its probabilities and log-evidence are NaN.

        Raises
        ------
        EngineLimitError
            Without ``failed``, for a row beyond Quickscore's limits (more than
            ``limits.MAX_QUICKSCORE_POSITIVES`` present findings, or cancellation beyond its
            precision budget); its ``row`` is the row's position in the batch.
        """
        qp = plan_of(source)
        rf_state = np.asarray(rf_state, dtype=np.int64)
        finding_state = np.asarray(finding_state)
        codes = (rf_state + 1) @ qp.tables.codes
        prob = np.zeros((rf_state.shape[0], qp.n_causes))
        log_ev = np.empty(rf_state.shape[0])
        for r in range(rf_state.shape[0]):
            neg = np.flatnonzero(finding_state[r] == 0).tolist()
            pos = np.flatnonzero(finding_state[r] == 1).tolist()
            try:
                log_ev[r], l1, l0, _ = masses(qp, codes[r].tolist(), neg, pos)
            except EngineLimitError as exc:  # which row of the batch (callers name it in their terms)
                exc.row = r
                if failed is None:
                    raise
                failed[r] = exc
                prob[r] = log_ev[r] = np.nan
                continue
            if log_ev[r] > -math.inf:
                with np.errstate(over="ignore"):
                    prob[r] = 1.0 / (1.0 + np.exp(l0 - l1))
        return prob, log_ev


#: The one instance (the engine holds no state of its own).
QUICKSCORE = QuickscoreEngine()


# ---------------------------------------------------------------------------- many parameter sets
class _SetTables:
    """One parameter set's risk-factor weights for one case, laid out as
    :class:`~twitchnet.model.tables.FactorTables` (one pattern per cause, at code 0; one context row).
    """

    def __init__(self, w, pair):
        self.ctx_w = w[None, :]  # (1, K)
        self.q_all = pair  # (C, K, 2)
        self.q_offset = np.arange(pair.shape[0], dtype=np.int64)


class _SetPlan:
    """A :class:`QuickscorePlan` holding one parameter set's numbers: its weights for the case, and
    the links and leaks of the present findings (the only findings :func:`masses` then reads).
    """

    def __init__(self, qp, tables, p, leak):
        self.tables = tables
        self.n_causes = qp.n_causes
        self.parents = qp.parents
        self.p, self.leak = p, leak


def _set_weights(par, case, theta):
    """Every set's context weights (D, K) and per-cause ``(absent, present)`` weights (D, C, K, 2) for
    the case's risk factors, the absent findings folded into the present weights (as
    :func:`_weights` folds them), vectorised over the sets. Also the absent findings' ``log
    prod (1 - leak)`` (D,).
    """
    rf = np.asarray(case.rf_state, dtype=np.int64)
    fs = np.asarray(case.finding_state)
    t = par.compile(theta, findings=False)

    def agree(vars_, states):
        obs = rf[vars_] if vars_.size else np.zeros(0, dtype=np.int64)
        return ((obs[None, :] < 0) | (states == obs[None, :])).all(axis=1).astype(float)

    w = np.exp(t.log_ctx_prior) * agree(par.ctx_vars, par.ctx_states)
    pair = np.stack([np.stack([w0 @ m, w1 @ m], axis=-1)
                     for (w0, w1), m in zip(t.priv_weight, (agree(v_, s_) for v_, s_ in zip(par.priv_vars, par.priv_states)))], axis=1)
    th = par.ext(theta)
    neg = np.flatnonzero(fs == 0)
    pair[..., 1] *= np.exp(np.log1p(-th[:, par.link_pos[:, neg]]).sum(axis=-1))[..., None]
    return w, pair, np.log1p(-th[:, par.leak_pos[neg]]).sum(axis=-1)


def _set_group(sp, codes, positive, members, lev):
    """``P(at least one of members present | e)`` under one set: the chain of :func:`group_masses`."""
    terms = [masses(sp, codes, [], positive, absent=members[:i])[1][m] for i, m in enumerate(members)]
    with np.errstate(divide="ignore"):
        log_any = float(_lse(np.array(terms), axis=0)) if terms else -math.inf
    return 0.0 if not lev > -math.inf else float(min(1.0, np.exp(log_any - lev)))


def posterior_many(model, case, theta, groups=()):
    """One case under many parameter sets by Quickscore (see :meth:`twitchnet.engine.Engine.posterior_many`).

    The risk-factor weights and the absent findings of every set are computed at once (arrays
    with a leading set axis, from :meth:`twitchnet.model.parameters.Parameters.compile`); the sum
    over the present findings' subsets runs once per set, through :func:`masses` (its
    double-double sums, error bound and exact fallback unchanged).

    Parameters
    ----------
    model : DiagnosticModel
    case : Encoded
        Hard evidence.
    theta : ndarray of shape (D, P)
    groups : sequence of sequence of int, default=()

    Returns
    -------
    prob : ndarray of shape (D, C)
    group_prob : ndarray of shape (D, G)

    Raises
    ------
    EngineLimitError
        For more than ``limits.MAX_QUICKSCORE_POSITIVES`` present findings (before any work), or a
        set whose sums Quickscore cannot keep exact.
    """
    from twitchnet.model.parameters import parameters

    par = parameters(model)
    theta = par.check(theta).reshape(-1, par.n)
    qp = plan_of(model)
    positive = np.flatnonzero(np.asarray(case.finding_state) == 1).tolist()
    if len(positive) > MAX_QUICKSCORE_POSITIVES:
        masses(qp, list(case.codes), [], positive)  # raises the engine's own limit error
    w, pair, _ = _set_weights(par, case, theta)
    th = par.ext(theta)
    codes = [0] * (qp.n_causes + 1)
    prob = np.zeros((theta.shape[0], qp.n_causes))
    gprob = np.zeros((theta.shape[0], len(groups)))
    for d in range(theta.shape[0]):
        sp = _SetPlan(qp, _SetTables(w[d], pair[d]), {f: th[d, par.link_pos[qp.parents[f], f]] for f in positive},
                      {f: float(th[d, par.leak_pos[f]]) for f in positive})
        lev, l1, l0, _ = masses(sp, codes, [], positive)
        if lev > -math.inf:
            with np.errstate(over="ignore"):
                prob[d] = 1.0 / (1.0 + np.exp(l0 - l1))
        for j, members in enumerate(groups):
            gprob[d, j] = _set_group(sp, codes, positive, list(members), lev)
    return prob, gprob


def _engine_posterior_many(self, model, case, theta, *, groups=()):
    """See :meth:`twitchnet.engine.Engine.posterior_many` (Quickscore: :func:`posterior_many`)."""
    return posterior_many(model, case, theta, groups)


QuickscoreEngine.posterior_many = _engine_posterior_many  # type: ignore[method-assign]  # a new method, without editing the class
