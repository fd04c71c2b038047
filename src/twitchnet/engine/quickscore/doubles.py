"""Double-double arithmetic (Dekker 1971; Hida, Li & Bailey 2001): error-free sums and products
of pairs of floats, in doubles or in x87 long doubles.

Part of :mod:`twitchnet.engine.quickscore` (its docstring has the mathematics and the numerics).
"""

from __future__ import annotations

import numpy as np

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
