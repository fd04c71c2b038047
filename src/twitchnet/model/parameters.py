"""The one map between the knowledge base's numbers and a flat parameter vector.

Every number of a knowledge base (:meth:`~twitchnet.kb.KnowledgeBase.numbers` order: the triage
threshold, the risk factors' priors, each cause's baseline and odds ratios, each finding's leak and
links) is one entry of a vector ``theta`` of shape ``(P,)``. :class:`Parameters` (built once per
model, :func:`parameters`) holds their names, values, ranges, sources, which are fixed, and the
category groups that sum to one, and knows where each number enters the model's tables.
:meth:`Parameters.compile` is the one compile step: it turns one vector ``(P,)`` or many
``(D, P)`` into the tables every engine reads, with the draws as leading axes:

* the log prior of every context (the joint states of the shared risk factors),
* each cause's private weights ``P(private factors = j | k) * P(cause absent / present | k, j)``
  from the logistic prior (:func:`logistic_pair`),
* the noisy-OR finding tables with leak, ``log(1 - p_cf)`` per link and ``log(1 - leak_f)``
  (:func:`noisy_or` gives ``log P(finding absent / present | cause state)`` from them).

The logistic prior and the noisy-OR are written once, in :mod:`twitchnet.model.formulas`; the
model (:meth:`twitchnet.DiagnosticModel.arrays`), the uncertainty draws, ``rests_on``'s derivatives
and ``sensitivity`` build from this module. :func:`with_numbers` (:mod:`twitchnet.model.vector`)
is the inverse map: a knowledge base carrying a vector's numbers. Every name of those two modules
is importable from here.

Examples
--------
>>> import twitchnet
>>> from twitchnet.model.parameters import parameters
>>> p = parameters(twitchnet.load_model())
>>> p.names[0]
'model.toml: triage.routine_threshold'
>>> tables = p.compile(p.values)
>>> bool((tables.log_keep <= 0).all())
True
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from twitchnet._memo import memo
from twitchnet.model.formulas import Tables, logistic_pair, logit, noisy_or, prod_terms
from twitchnet.model.vector import vector, with_numbers

if TYPE_CHECKING:
    from twitchnet.kb.schema import KnowledgeBase
    from twitchnet.model import DiagnosticModel
    from twitchnet.model.arrays import Arrays

__all__ = ["Parameters", "Tables", "logistic_pair", "logit", "noisy_or", "parameters", "prod_terms", "vector", "with_numbers"]

#: The smallest and largest probability a moved number takes: the doubles next to 0 (the smallest
#: normal one) and next to 1, so that ``log(p)`` and ``log1p(-p)`` stay finite.
OPEN_LOW = float(np.finfo(float).tiny)
OPEN_HIGH = float(np.nextafter(1.0, 0.0))


# ---------------------------------------------------------------------- the map
class Parameters:
    """Where every number of a knowledge base enters the model's tables (built once per model).

    Parameters
    ----------
    model : DiagnosticModel
        Only its knowledge base and structure (context, each cause's factors) are read: no tables
        are built, so this works for models of any size.

    Attributes
    ----------
    n : int
        Number of parameters ``P``. Index ``P`` (one past the last) is a constant 0 column of the
        extended vector (:meth:`ext`), which padding entries read.
    names : tuple of str
        Each number's place, as in :meth:`KnowledgeBase.numbers` (``"findings.toml: tingling.leak"``).
    numbers : tuple of Number
    values, low, high : ndarray of shape (P,)
    sources : tuple of str
    structural, fixed : ndarray of bool, shape (P,)
        Structural zeros; fixed = structural or a zero-width range (never drawn or swept).
    odds_ratio : ndarray of bool, shape (P,)
        True for odds ratios (drawn on the log scale), False for probabilities (logit scale).
    groups : tuple of ndarray of int
        Category priors (e.g. the age groups): positions that must sum to one.
    group_of : ndarray of int, shape (P,)
        The group of each number, -1 for none.
    ctx_vars, ctx_states, priv_vars, priv_states, n_rf
        The structure of the tables, as in :class:`twitchnet.model.arrays.Arrays`.
    ctx_idx, ctx_comp : ndarray of shape (K, n)
        The terms of each context's prior: positions and complements (``1 - p``).
    priv_idx, priv_comp : list of ndarray of shape (K, J_c, n)
        Per cause, the terms of its private factors' probability in each context.
    effects : list of ndarray of shape (E_c, K, J_c), float
        Per cause, 1 where effect ``e`` applies in context ``k`` and private state ``j``.
    base_pos : ndarray of int, shape (C,)
    eff_pos : list of ndarray of int
    leak_pos : ndarray of int, shape (F,)
    link_pos : ndarray of int, shape (C, F)
        ``P`` (the constant 0) where a cause has no link to a finding.
    dep : tuple of int
        Causes whose weights depend on the context.
    """

    n: int
    names: tuple[str, ...]
    numbers: tuple[Any, ...]
    values: np.ndarray
    low: np.ndarray
    high: np.ndarray
    sources: tuple[str, ...]
    structural: np.ndarray
    fixed: np.ndarray
    odds_ratio: np.ndarray
    groups: tuple[np.ndarray, ...]
    group_of: np.ndarray
    ctx_vars: np.ndarray
    ctx_states: np.ndarray
    priv_vars: list[np.ndarray]
    priv_states: list[np.ndarray]
    n_rf: int
    n_ctx: int
    ctx_idx: np.ndarray
    ctx_comp: np.ndarray
    priv_idx: list[np.ndarray]
    priv_comp: list[np.ndarray]
    effects: list[np.ndarray]
    base_pos: np.ndarray
    eff_pos: list[np.ndarray]
    leak_pos: np.ndarray
    link_pos: np.ndarray
    dep: tuple[int, ...]
    _rf_pos: list[np.ndarray]

    def __init__(self, model: DiagnosticModel) -> None:
        kb = model.kb
        pairs = list(kb.numbers())
        s = object.__setattr__
        s(self, "n", len(pairs))
        s(self, "names", tuple(w for w, _ in pairs))
        s(self, "numbers", tuple(n for _, n in pairs))
        s(self, "values", np.array([n.value for n in self.numbers]))
        s(self, "low", np.array([n.low for n in self.numbers]))
        s(self, "high", np.array([n.high for n in self.numbers]))
        s(self, "sources", tuple(n.source for n in self.numbers))
        s(self, "structural", np.array([n.structural for n in self.numbers], dtype=bool))
        s(self, "fixed", self.structural | (self.low == self.high))
        self._positions(kb, model.cause_ids)
        self._layout(model)
        self._terms(kb)
        for value in vars(self).values():
            for a in value if isinstance(value, list) else [value]:
                if isinstance(a, np.ndarray):
                    a.setflags(write=False)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Parameters is immutable; cannot set {name!r}")

    def __repr__(self) -> str:
        return f"Parameters(n={self.n}, free={int((~self.fixed).sum())}, groups={len(self.groups)})"

    # ------------------------------------------------------------------ building
    def _positions(self, kb: KnowledgeBase, cause_ids: Sequence[str]) -> None:
        """Each number's position, walking the knowledge base in :meth:`numbers` order."""
        s = object.__setattr__
        pos = 1  # 0 is the triage threshold
        rf_pos = []
        for rf in kb.risk_factors:
            rf_pos.append(np.arange(pos, pos + len(rf.prior)))
            pos += len(rf.prior)
        odds_ratio = np.zeros(self.n, dtype=bool)
        base_pos, eff_pos = [], []
        for c in kb.causes:
            base_pos.append(pos)
            eff_pos.append(np.arange(pos + 1, pos + 1 + len(c.effects)))
            odds_ratio[pos + 1 : pos + 1 + len(c.effects)] = True
            pos += 1 + len(c.effects)
        cause_index = {c: i for i, c in enumerate(cause_ids)}
        leak_pos = np.zeros(len(kb.findings), dtype=np.int64)
        link_pos = np.full((len(kb.causes), len(kb.findings)), self.n, dtype=np.int64)
        for f_i, f in enumerate(kb.findings):
            leak_pos[f_i] = pos
            link_pos[[cause_index[link.cause] for link in f.links], f_i] = np.arange(pos + 1, pos + 1 + len(f.links))
            pos += 1 + len(f.links)
        if pos != self.n:
            raise AssertionError("KnowledgeBase.numbers() order changed")
        groups = tuple(rf_pos[i] for i, rf in enumerate(kb.risk_factors) if rf.kind != "binary")
        group_of = np.full(self.n, -1, dtype=np.int64)
        for g, members in enumerate(groups):
            group_of[members] = g
        for name, value in (("_rf_pos", rf_pos), ("odds_ratio", odds_ratio), ("base_pos", np.array(base_pos, dtype=np.int64)),
                            ("eff_pos", eff_pos), ("leak_pos", leak_pos), ("link_pos", link_pos), ("groups", groups), ("group_of", group_of)):
            s(self, name, value)

    def _layout(self, model: DiagnosticModel) -> None:
        """The tables' structure: the context's joint states, each cause's private factors and states."""
        s = object.__setattr__
        kb = model.kb
        states_of = {r.id: r.states for r in kb.risk_factors}
        rf_index = {r: i for i, r in enumerate(model.risk_factor_ids)}
        ctx = model._context_ids()

        def joint(ids):
            combos = list(itertools.product(*(range(len(states_of[r])) for r in ids)))
            return np.array(combos, dtype=np.int64).reshape(len(combos), len(ids))

        priv = [[r for r in model.cause_factors(c) if r not in ctx] for c in model.cause_ids]
        s(self, "ctx_vars", np.array([rf_index[r] for r in ctx], dtype=np.int64))
        s(self, "ctx_states", joint(ctx))
        s(self, "priv_vars", [np.array([rf_index[r] for r in p], dtype=np.int64) for p in priv])
        s(self, "priv_states", [joint(p) for p in priv])
        s(self, "n_rf", max([int(v.max()) + 1 for v in self.priv_vars if v.size] + [int(self.ctx_vars.max()) + 1 if self.ctx_vars.size else 0]))

    def _factor_terms(self, rf: Any, r: int, state: np.ndarray, parent_state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions and complements of ``P(rf = state | parent = parent_state)`` (arrays of one shape)."""
        pos = self._rf_pos[r]
        if rf.kind != "binary":
            return pos[state], np.zeros(state.shape, dtype=bool)
        return pos[parent_state if rf.parent is not None else np.zeros_like(state)], state == 0

    def _terms(self, kb: KnowledgeBase) -> None:
        """The index tables of :meth:`compile`: context priors, private factors, effects."""
        s = object.__setattr__
        rfs = kb.risk_factors
        rf_index = {r.id: i for i, r in enumerate(rfs)}
        ctx_col = {int(r): i for i, r in enumerate(self.ctx_vars)}
        n_k = self.ctx_states.shape[0]
        ctx_idx = np.full((n_k, max(len(ctx_col), 1)), self.n, dtype=np.int64)
        ctx_comp = np.ones(ctx_idx.shape, dtype=bool)
        for i, r in enumerate(self.ctx_vars.tolist()):
            parent = rf_index.get(rfs[r].parent)
            par = self.ctx_states[:, ctx_col[parent]] if parent is not None else np.zeros(n_k, dtype=np.int64)
            ctx_idx[:, i], ctx_comp[:, i] = self._factor_terms(rfs[r], r, self.ctx_states[:, i], par)
        s(self, "n_ctx", n_k)
        s(self, "ctx_idx", ctx_idx)
        s(self, "ctx_comp", ctx_comp)
        priv_idx, priv_comp, effects, dep = [], [], [], []
        for c, cause in enumerate(kb.causes):
            idx, comp, uses_ctx = self._private_terms(rfs, rf_index, ctx_col, c)
            a, eff_ctx = self._effect_matrix(cause, rfs, rf_index, ctx_col, c)
            priv_idx.append(idx)
            priv_comp.append(comp)
            effects.append(a)
            if (uses_ctx or eff_ctx) and n_k > 1:
                dep.append(c)
        s(self, "priv_idx", priv_idx)
        s(self, "priv_comp", priv_comp)
        s(self, "effects", effects)
        s(self, "dep", tuple(dep))

    def _private_terms(self, rfs: Sequence[Any], rf_index: dict, ctx_col: dict, c: int) -> tuple[np.ndarray, np.ndarray, bool]:
        """Cause ``c``'s private factors' terms ``(K, J, n)`` and whether a parent is in the context."""
        pv = self.priv_vars[c].tolist()
        ps = self.priv_states[c]
        n_k, n_j = self.ctx_states.shape[0], ps.shape[0]
        idx = np.full((n_k, n_j, max(len(pv), 1)), self.n, dtype=np.int64)
        comp = np.ones(idx.shape, dtype=bool)
        uses_ctx = False
        for i, r in enumerate(pv):
            parent = rf_index.get(rfs[r].parent)
            if parent is not None and parent not in ctx_col:  # a test result and the factor it measures, both private
                par = np.broadcast_to(ps[None, :, pv.index(parent)], (n_k, n_j))
            elif parent is not None:
                uses_ctx = True
                par = np.broadcast_to(self.ctx_states[:, ctx_col[parent], None], (n_k, n_j))
            else:
                par = np.zeros((n_k, n_j), dtype=np.int64)
            idx[:, :, i], comp[:, :, i] = self._factor_terms(rfs[r], r, np.broadcast_to(ps[None, :, i], (n_k, n_j)), par)
        return idx, comp, uses_ctx

    def _effect_matrix(self, cause: Any, rfs: Sequence[Any], rf_index: dict, ctx_col: dict, c: int) -> tuple[np.ndarray, bool]:
        """``(E, K, J)``: 1 where effect ``e`` applies; and whether any reads a context factor."""
        pv = self.priv_vars[c].tolist()
        ps = self.priv_states[c]
        a = np.ones((len(cause.effects), self.ctx_states.shape[0], ps.shape[0]), dtype=bool)
        uses_ctx = False
        for e_i, e in enumerate(cause.effects):
            for f, st in e.conditions:
                r = rf_index[f]
                s = rfs[r].states.index(st)
                if r in ctx_col:
                    uses_ctx = True
                    a[e_i] &= (self.ctx_states[:, ctx_col[r]] == s)[:, None]
                else:
                    a[e_i] &= (ps[:, pv.index(r)] == s)[None, :]
        return a.astype(float), uses_ctx

    # ------------------------------------------------------------------ vectors
    def ext(self, theta: np.ndarray) -> np.ndarray:
        """``theta`` (..., P) with the constant 0 column appended: (..., P + 1)."""
        theta = np.asarray(theta, dtype=float)
        return np.concatenate([theta, np.zeros(theta.shape[:-1] + (1,))], axis=-1)

    def check(self, theta: Any) -> np.ndarray:
        """``theta`` as a float array of shape (P,) or (D, P), or a :class:`~twitchnet.errors.KnowledgeBaseError`."""
        from twitchnet import _validation as v
        from twitchnet.errors import KnowledgeBaseError

        try:
            arr = np.asarray(theta, dtype=float)
        except (TypeError, ValueError):
            raise v.fail(KnowledgeBaseError, "theta", f"an array of {self.n} numbers (or rows of them)", theta) from None
        if arr.ndim not in (1, 2) or arr.shape[-1] != self.n:
            raise v.fail(KnowledgeBaseError, "theta", f"shape ({self.n},) or (D, {self.n})", f"shape {arr.shape}")
        return arr

    def compile(self, theta: Any, *, findings: bool = True) -> Tables:
        """The model's tables for one parameter vector ``(P,)`` or many ``(D, P)`` (leading axis D).

        Parameters
        ----------
        theta : array_like of shape (P,) or (D, P)
            Numbers in :meth:`KnowledgeBase.numbers` order.
        findings : bool, default=True
            Also the noisy-OR tables (``log_keep`` is ``(..., C, F)``: on a large model with many
            sets, leave them out, None, and read the links a case needs from ``theta``).

        Returns
        -------
        Tables
        """
        th = self.ext(self.check(theta))
        with np.errstate(divide="ignore"):  # a structural zero: log 0 = -inf, a context of prior 0
            log_ctx = np.log(prod_terms(th, self.ctx_idx, self.ctx_comp))
        weights = []
        for c in range(len(self.priv_idx)):
            pj = prod_terms(th, self.priv_idx[c], self.priv_comp[c])  # (..., K, J)
            z = logit(th[..., self.base_pos[c]])[..., None, None]
            a = self.effects[c]
            if a.shape[0]:
                flat = np.log(th[..., self.eff_pos[c]]) @ a.reshape(a.shape[0], -1)
                z = z + flat.reshape(flat.shape[:-1] + a.shape[1:])
            present, absent = logistic_pair(z)
            weights.append((pj * absent, pj * present))
        if not findings:
            return Tables(log_ctx, weights, None, None)
        return Tables(log_ctx, weights, np.log1p(-th[..., self.link_pos]), np.log1p(-th[..., self.leak_pos]))

    def arrays(self, theta: Any, states: np.ndarray) -> Arrays:
        """The :class:`~twitchnet.model.arrays.Arrays` (every joint cause state) for one vector ``theta`` (P,).

        Parameters
        ----------
        theta : array_like of shape (P,)
        states : ndarray of shape (2**C, C)
            The joint cause states (``model.arrays.states``).
        """
        from twitchnet.model.arrays import Arrays

        t = self.compile(theta)
        assert t.log_leak_off is not None and t.log_keep is not None
        log_f1, log_f0 = noisy_or(t.log_leak_off, t.log_keep, states)
        return Arrays(states, self.ctx_vars, self.ctx_states, t.log_ctx_prior, self.priv_vars, self.priv_states, t.priv_weight, log_f1, log_f0,
                      t.log_keep)

    def moved(self, i: int, x: float) -> np.ndarray:
        """The values with number ``i`` set to ``x``, the others of its category group scaled in
        proportion, ``p_j * (1 - x) / (1 - p_i)``; a probability at 0 or 1 (a range end) is moved
        to the nearest double inside (0, 1).
        """
        if not self.odds_ratio[i]:
            x = min(max(x, OPEN_LOW), OPEN_HIGH)
        theta = self.values.copy()
        g = self.group_of[i]
        if g >= 0:
            others = self.groups[g][self.groups[g] != i]
            theta[others] *= (1.0 - x) / (1.0 - theta[i])
        theta[i] = x
        return theta


def parameters(model: DiagnosticModel) -> Parameters:
    """The model's :class:`Parameters`, built on first use and kept while the model lives."""
    return memo(model, "parameters", lambda: Parameters(model))


