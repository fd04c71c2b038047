"""The distribution of every number and its draws (the numbers themselves: twitchnet.model.parameters)."""

from __future__ import annotations

import weakref

import numpy as np

from twitchnet.model.parameters import OPEN_HIGH, OPEN_LOW, parameters

Z975 = 1.959963984540054  # the standard normal's 97.5% point


_LOG_OR_CLIP = 700.0

_CHUNK = 128  # draws per block: keeps the (draws, 2**C) working tables in cache


class _Structure:
    """The parameters layer (:class:`twitchnet.model.parameters.Parameters`) of a model with what the
    draws and the enumeration over draws add: each number's distribution on its transformed scale,
    and the order of the causes in the joint states (those whose weights vary with the context
    first). Built once per model; reads no ``2**C`` table.
    """

    def __init__(self, model):
        p = parameters(model)
        self.p = p
        self.n = p.n
        self.where, self.numbers = p.names, p.numbers
        self.value, self.low, self.high = p.values, p.low, p.high
        self.odds_ratio, self.structural, self.fixed = p.odds_ratio, p.structural, p.fixed
        self.groups, self.group_of = list(p.groups), p.group_of
        self.ctx_idx, self.ctx_comp, self.n_ctx = p.ctx_idx, p.ctx_comp, p.n_ctx
        self.priv_idx, self.priv_comp, self.effects = p.priv_idx, p.priv_comp, p.effects
        self.base_pos, self.eff_pos = list(p.base_pos), p.eff_pos
        self.leak_pos, self.link_pos = p.leak_pos, p.link_pos
        self.dep = p.dep
        self.indep = tuple(c for c in range(len(model.cause_ids)) if c not in p.dep)
        self.cause_ids = model.cause_ids
        self._distribution()
        self.order = self.dep + self.indep
        self._states = None

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

    @property
    def states_int(self):
        """(2**C, C): every joint cause state in the internal order (built on first use: enumeration only)."""
        if self._states is None:
            n_c = len(self.order)
            t = np.arange(2**n_c)
            states = np.zeros((2**n_c, n_c))
            for i, c in enumerate(self.order):
                states[:, c] = (t >> i) & 1
            # (2**C, 2C): column c is 1 on the states with cause c present, column C + c absent
            self._states = (states, np.hstack([states, 1.0 - states]))
        return self._states[0]

    @property
    def present_absent(self):
        """(2**C, 2C): column c is 1 on the internal states with cause c present, column C + c absent."""
        _ = self.states_int  # builds both
        return self._states[1]

    def group_selector(self, members):
        """Boolean over the internal cause states (``order``): at least one of ``members`` present."""
        return (self.states_int[:, list(members)] > 0).any(axis=1)

    def ext(self, theta):
        """``theta`` (D, P) with the constant 0 column appended: (D, P + 1)."""
        return self.p.ext(theta)

    def arrays(self, theta, model):
        """The model's :class:`~twitchnet.model.arrays.Arrays` with the numbers ``theta`` (P,)."""
        return self.p.arrays(theta, model.arrays.states)

    def moved(self, i, x):
        """See :meth:`twitchnet.model.parameters.Parameters.moved`."""
        return self.p.moved(i, x)


_STRUCTURES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _structure(model):
    st = _STRUCTURES.get(model)
    if st is None:
        st = _STRUCTURES[model] = _Structure(model)
    return st


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
