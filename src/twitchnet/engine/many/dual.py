"""Dual numbers: exact forward-mode derivatives through the same code as the plain posterior."""

from __future__ import annotations

import numpy as np

from twitchnet.model.parameters import logistic_pair


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


def _stack(parts):
    if isinstance(parts[0], _Dual):
        return _Dual(np.stack([p.v for p in parts], axis=-1), np.stack([p.t for p in parts], axis=-1))
    return np.stack(parts, axis=-1)


def _expit_pair(z):
    """The logistic prior (:func:`twitchnet.model.parameters.logistic_pair`) of plain arrays or duals."""
    p1, p0 = logistic_pair(z.v if isinstance(z, _Dual) else z)
    if isinstance(z, _Dual):
        dz = z.t * (p1 * p0)
        return _Dual(p1, dz), _Dual(p0, -dz)
    return p1, p0
