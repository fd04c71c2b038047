"""Posteriors of one case under many parameter sets, by enumeration vectorised over the sets.

The enumeration engines' :meth:`twitchnet.engine.Engine.posterior_many`: one case, the numbers of
the knowledge base given as many vectors ``theta`` (D, P) (:mod:`twitchnet.model.parameters`), every
cause's exact posterior in every row at once (arrays with a leading draw axis, not a loop of
diagnoses). The steps, one module each: :mod:`.case` (the case reduced to what the numbers act
on), :mod:`.plain` (the sums over the joint cause states on plain arrays, laid out for speed),
:mod:`.posterior` (the same sums written once for plain arrays and dual numbers: the exact
derivatives, and the tests' second computation), :mod:`.dual` (dual numbers). Rows whose sums
leave the range the plain path keeps exact are recomputed by the reference engine in log space.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from twitchnet._memo import memo
from twitchnet.engine.many.case import _Case
from twitchnet.engine.many.plain import BLOCK
from twitchnet.engine.many.plain import sums as plain_sums
from twitchnet.engine.many.posterior import _expit_plain
from twitchnet.limits import SAFE_FLOOR
from twitchnet.model.parameters import parameters

if TYPE_CHECKING:
    from twitchnet.model import DiagnosticModel, Encoded

__all__ = ["CHUNK", "Layout", "layout", "posterior_block", "posterior_many", "reduced_case"]

CHUNK = BLOCK  # parameter sets per block of the joint-state tables (twitchnet.engine.many.plain.BLOCK)
_KEPT_LOCK = threading.Lock()


class Layout:
    """The parameters layer of a model with the order of the causes in the joint states: those
    whose weights vary with the context first (built once per model; no ``2**C`` table until
    :attr:`states_int` is read).
    """

    def __init__(self, model: DiagnosticModel) -> None:
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
        self.order = self.dep + self.indep
        self._states: np.ndarray | None = None
        self._present_absent: np.ndarray | None = None

    @property
    def states_int(self) -> np.ndarray:
        """(2**C, C): every joint cause state in the internal order (enumeration only)."""
        if self._states is None:
            n_c = len(self.order)
            t = np.arange(2**n_c)
            states = np.zeros((2**n_c, n_c))
            for i, c in enumerate(self.order):
                states[:, c] = (t >> i) & 1
            self._states = states
        return self._states

    @property
    def present_absent(self) -> np.ndarray:
        """(2**C, 2C): column c is 1 on the internal states with cause c present, column C + c absent
        (the one-at-a-time sensitivity sweep's per-cause sums).
        """
        if self._present_absent is None:
            self._present_absent = np.hstack([self.states_int, 1.0 - self.states_int])
        return self._present_absent

    def group_selector(self, members: Sequence[int]) -> np.ndarray:
        """Boolean over the internal cause states (``order``): at least one of ``members`` present."""
        return np.asarray((self.states_int[:, list(members)] > 0).any(axis=1))

    def ext(self, theta: np.ndarray) -> np.ndarray:
        """``theta`` (D, P) with the constant 0 column appended: (D, P + 1)."""
        return self.p.ext(theta)

    def arrays(self, theta: np.ndarray, model: DiagnosticModel) -> Any:
        """The model's :class:`~twitchnet.model.arrays.Arrays` with the numbers ``theta`` (P,)."""
        return self.p.arrays(theta, model.arrays.states)

    def moved(self, i: int, x: float) -> np.ndarray:
        """See :meth:`twitchnet.model.parameters.Parameters.moved`."""
        return self.p.moved(i, x)


def layout(model: DiagnosticModel) -> Layout:
    """The model's :class:`Layout`, built on first use and kept beside it."""
    return memo(model, "many-layout", lambda: Layout(model))


CASES_KEPT = 64  # reduced cases kept per model (the most recently built)


def reduced_case(lay: Layout, model: DiagnosticModel, case: Encoded) -> _Case:
    """``case`` reduced to what the numbers act on, with the tables built for it: kept beside the
    model for the last :data:`CASES_KEPT` distinct cases (the same evidence encoded again, as each
    call of ``uncertainty`` does, finds them), and beside the encoded case.
    """
    return memo(case, ("many-case", id(lay)), lambda: _kept_case(lay, model, case))


def _kept_case(lay: Layout, model: DiagnosticModel, case: Encoded) -> _Case:
    kept: dict = memo(model, ("many-cases", id(lay)), dict)
    key = (np.asarray(case.rf_state).tobytes(), np.asarray(case.finding_state).tobytes())
    red = kept.get(key)
    if red is None:
        red = _Case(lay, model, case.rf_state, case.finding_state)
        with _KEPT_LOCK:
            if len(kept) >= CASES_KEPT:
                kept.pop(next(iter(kept)))
            red = kept.setdefault(key, red)
    return red


def posterior_block(lay: Layout, model: DiagnosticModel, enc: Encoded, case: _Case, theta: np.ndarray,
                    groups: Sequence[Sequence[int]] | None = None) -> Any:
    """Posteriors of every cause for the parameter sets ``theta`` (D, P): (D, C), by
    :func:`twitchnet.engine.many.plain.sums`. Rows whose sums leave the floating-point range this
    vectorised path keeps exact are recomputed by the reference engine, in log space, on rebuilt
    arrays. With ``groups`` (member cause-index tuples), also every group's probability in every
    row: returns ``(prob, group_prob)``.
    """
    out = plain_sums(lay, case, theta, groups or ())
    s1, s0 = out[:2]
    prob = _expit_plain(np.log(s1) - np.log(s0))
    ok = ((s1 > SAFE_FLOOR) & (s0 > SAFE_FLOOR)).all(axis=1)
    gprob: np.ndarray | None = None
    if groups:
        g1, g0 = out[2:]
        gprob = np.asarray(_expit_plain(np.log(g1) - np.log(g0)))
        ok &= ((g1 > SAFE_FLOOR) & (g0 > SAFE_FLOOR)).all(axis=1)
    hard = np.flatnonzero(~ok)
    if hard.size:
        from twitchnet.engine import reference as ref
        from twitchnet.engine.groups import group_probabilities_of_arrays

        for d in hard:
            arr = lay.arrays(theta[d], model)
            post, _, _ = ref.posterior_log_odds(arr, enc.rf_state[None], enc.finding_state[None], prior=False)
            prob[d] = ref.expit(post[0])
            if gprob is not None:
                gprob[d] = group_probabilities_of_arrays(arr, enc.rf_state, enc.finding_state, [sum(1 << c for c in g) for g in groups or ()])
    return prob if groups is None else (prob, gprob)


def posterior_many(model: DiagnosticModel, case: Encoded, theta: np.ndarray,
                   groups: Sequence[Sequence[int]] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Every cause's posterior (D, C) and every group's probability (D, G) for one case under the
    parameter sets ``theta`` (D, P), by enumeration (see :meth:`twitchnet.engine.Engine.posterior_many`).
    """
    lay = layout(model)
    theta = lay.p.check(theta).reshape(-1, lay.n)
    red = reduced_case(lay, model, case)
    if not theta.shape[0]:
        return np.empty((0, len(model.cause_ids))), np.empty((0, len(groups)))
    if groups:
        prob, gprob = posterior_block(lay, model, case, red, theta, list(groups))
        return prob, gprob
    return posterior_block(lay, model, case, red, theta), np.empty((theta.shape[0], 0))
