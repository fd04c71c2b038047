"""The distribution of every number and its draws (the numbers themselves: twitchnet.model.parameters)."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import numpy as np

from twitchnet.engine.many import CHUNK, Layout
from twitchnet.model.parameters import OPEN_HIGH, OPEN_LOW

if TYPE_CHECKING:
    from twitchnet.model import DiagnosticModel

Z975 = 1.959963984540054  # the standard normal's 97.5% point


#: Draws per block of the uncertainty computation (the generator's stream continues from block to
#: block, so the draws do not depend on it).
DRAWS_BLOCK = 512

_CHUNK = CHUNK  # draws per block of draw_numbers (the engines' block of parameter sets)
_LOG_OR_CLIP = 700.0  # log odds ratios are clipped to +-this before exp (the loader bounds them to +-13.8)


class _Structure(Layout):
    """The parameters layer of a model (:class:`twitchnet.engine.many.Layout`) with each number's
    distribution on its transformed scale. Built once per model; reads no ``2**C`` table.
    """

    def __init__(self, model):
        super().__init__(model)
        self._distribution()

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


_STRUCTURES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _structure(model):
    st = _STRUCTURES.get(model)
    if st is None:
        st = _STRUCTURES[model] = _Structure(model)
    return st


def draw_numbers(model: DiagnosticModel, draws: int, seed: int | None = None) -> np.ndarray:
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


def _transform(st, z, used=None, number_major=False):
    """Numbers on the natural scale from standard normal draws ``z`` (D, P); with ``used`` (a mask
    of the numbers that matter to one case), the others stay at their values. ``number_major``: the
    result (D, P) is laid out number by number in memory (the transpose of a C-ordered (P, D)
    array), as the engines for many parameter sets read it.
    """
    src = z.T if number_major else z
    theta = np.empty(src.shape)
    theta[:] = st.value[:, None] if number_major else st.value

    def at(cols):
        return (cols,) if number_major else (slice(None), cols)

    def per(a):
        return a[:, None] if number_major else a

    for cols, prob in ((st.drawn_p, True), (st.drawn_or, False)):
        if used is not None:
            cols = cols[used[cols]]
        zc = src[at(cols)]
        x = np.multiply(zc, per(st.right[cols]))  # the half-width of z's side, times z, plus the median
        np.multiply(zc, per(st.left[cols]), out=x, where=zc < 0)
        x += per(st.median[cols])
        if prob:  # expit, without cancellation on either side, never rounded to exactly 0 or 1
            e = np.exp(-np.abs(x))
            r = 1.0 / (1.0 + e)
            np.multiply(e, r, out=e)
            np.copyto(e, r, where=x >= 0)
            theta[at(cols)] = np.clip(e, OPEN_LOW, OPEN_HIGH, out=e)
        else:
            theta[at(cols)] = np.exp(np.clip(x, -_LOG_OR_CLIP, _LOG_OR_CLIP))
    for members in st.groups:
        if st.drawn[members].any() and (used is None or used[members[0]]):
            theta[at(members)] /= theta[at(members)].sum(axis=0 if number_major else 1, keepdims=True)
    return theta.T if number_major else theta
