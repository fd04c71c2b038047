"""The model's numbers: the knowledge base's probabilities, the risk-factor structure and the compiled tables.

:class:`NumbersMixin` holds the methods of :class:`~twitchnet.model.DiagnosticModel` that read the
knowledge base's numbers (``cause_probability``, ``risk_factor_probability``, ``cause_parents``,
``cause_factors``) and compile them, on first use, into the arrays the engines read (``factors``,
``factor_tables``, ``arrays``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from twitchnet import _validation as v
from twitchnet._memo import memo
from twitchnet.errors import EngineLimitError
from twitchnet.limits import MAX_ENUMERATION_CAUSES, MAX_ENUMERATION_CELLS, enumeration_ok

if TYPE_CHECKING:
    from twitchnet.kb import KnowledgeBase
    from twitchnet.model import DiagnosticModel
    from twitchnet.model.arrays import Arrays
    from twitchnet.model.tables import FactorTables

__all__ = ["NumbersMixin"]


class NumbersMixin:
    """The numbers methods of :class:`~twitchnet.model.DiagnosticModel` (see its docstring for the
    attributes, which its ``__init__`` sets).
    """

    kb: KnowledgeBase
    n_contexts: int
    cause_ids: tuple[str, ...]
    risk_factor_ids: tuple[str, ...]

    def _pattern_code_terms(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Per risk factor, the ``(column, radix)`` terms of the lookup codes: column ``c`` codes
        cause ``c``'s private factors, the last column the context, each in the mixed radix of
        (states + 1) (a factor unknown or in one of its states), the last factor varying fastest:
        the order in which :class:`twitchnet.model.tables.FactorTables` enumerates patterns
        (a test holds the two to each other). Pure Python, so encoding needs no numpy.
        """
        ctx = self._context_ids()
        groups = [[r for r in self.cause_factors(c) if r not in ctx] for c in self.cause_ids] + [ctx]
        n_states = {r.id: len(r.states) for r in self.kb.risk_factors}
        terms: dict[str, list[tuple[int, int]]] = {r: [] for r in self.risk_factor_ids}
        for col, group in enumerate(groups):
            radix = 1
            for r in reversed(group):
                terms[r].append((col, radix))
                radix *= n_states[r] + 1
        return tuple(tuple(sorted(terms[r])) for r in self.risk_factor_ids)

    @property
    def arrays(self) -> Arrays:
        """The numeric core (:class:`twitchnet.model.arrays.Arrays`), compiled on first use."""
        return memo(self, "arrays", self._compile)

    def cause_probability(self, cause_id: str, assignment: Mapping[str, str]) -> float:
        """P(cause present | its risk factors), the logistic model of ``causes.toml``.

        Parameters
        ----------
        cause_id : str
        assignment : Mapping
            Risk-factor id -> state name (``"True"``/``"False"`` for yes/no factors). Every
            factor the cause depends on must be present.

        Returns
        -------
        float
        """
        return self._cause_pair(cause_id, assignment)[0]

    def _cause_pair(self, cause_id: str, assignment: Mapping[str, str]) -> tuple[float, float]:
        """``(P(cause), 1 - P(cause))``, each from the logit directly, so that neither rounds to 0
        when the other is within an ulp of 1.
        """
        from twitchnet.model.parameters import logistic_pair

        return logistic_pair(float(self._cause_logit(cause_id, assignment)))

    def _cause_logit(self, cause_id: str, assignment: Mapping[str, str]) -> float:
        from twitchnet.model.parameters import logit

        cause = self.kb.causes[self.cause_ids.index(cause_id)]
        z = logit(float(cause.baseline.value))
        for e in cause.effects:
            if e.applies(assignment):
                z += math.log(e.odds_ratio.value)
        return z

    def cause_parents(self, cause_id: str) -> tuple[str, ...]:
        """Risk-factor ids the cause depends on, in knowledge-base order."""
        cause = self.kb.causes[self.cause_ids.index(cause_id)]
        used = {f for e in cause.effects for f, _ in e.conditions}
        return tuple(r for r in self.risk_factor_ids if r in used)

    def risk_factor_probability(self, rf_id: str, state: str, assignment: Mapping[str, str] | None = None) -> float:
        """P(risk factor = state | its parent), with the parent's state taken from ``assignment``."""
        rf = self.kb.risk_factors[self.risk_factor_ids.index(rf_id)]
        if rf.kind != "binary":
            return rf.prior[rf.states.index(state)].value
        if rf.parent is None:
            p = rf.prior[0].value
        else:
            parent = self.kb.risk_factors[self.risk_factor_ids.index(rf.parent)]
            p = rf.prior[parent.states.index((assignment or {})[rf.parent])].value
        return p if state == "True" else 1.0 - p

    def _compile_factors(self) -> dict[str, Any]:
        """The risk-factor half of the model (no ``2**C`` table): the context (shared factors),
        its prior, and each cause's private factors with their weights in every context, compiled
        from the knowledge base's numbers by :meth:`twitchnet.model.parameters.Parameters.compile`.
        """
        from twitchnet.model.parameters import parameters

        p = parameters(cast("DiagnosticModel", self))
        t = p.compile(p.values)
        return {"ctx_vars": p.ctx_vars, "ctx_states": p.ctx_states, "log_ctx_prior": t.log_ctx_prior, "priv_vars": p.priv_vars,
                "priv_states": p.priv_states, "priv_weight": t.priv_weight, "n_rf": p.n_rf}

    @property
    def factors(self) -> dict[str, Any]:
        """The risk-factor half of the compiled model (a dict of arrays, no ``2**C`` table)."""
        return memo(self, "factors", self._compile_factors)

    @property
    def factor_tables(self) -> FactorTables:
        """The risk-factor lookup tables every engine reads (:class:`twitchnet.model.tables.FactorTables`)."""
        return memo(self, "factor_tables", self._build_factor_tables)

    def _build_factor_tables(self) -> FactorTables:
        from twitchnet.model.tables import FactorTables

        f = self.factors
        t = FactorTables(f["ctx_states"], f["log_ctx_prior"], f["priv_vars"], f["priv_states"], f["priv_weight"], f["n_rf"])
        return t.set_context(f["ctx_vars"])

    @property
    def enumerable(self) -> bool:
        """Whether the enumeration engines can run this model (see :func:`twitchnet.limits.enumeration_ok`)."""
        return enumeration_ok(len(self.cause_ids), self.n_contexts)

    def _context_ids(self) -> list[str]:
        """The shared risk factors (the context), in knowledge-base order: factors feeding several
        causes or another factor's other users, and the parents of those
        (:func:`twitchnet.kb.structure.parents_and_context`). Pure Python.
        """
        return list(self._structure[1])

    @property
    def _structure(self) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
        from twitchnet.kb.structure import parents_and_context

        return memo(self, "structure", lambda: parents_and_context(self.kb.risk_factors, self.kb.causes))

    def cause_factors(self, cause_id: str) -> tuple[str, ...]:
        """Every risk-factor id the engines sum over with the cause: :meth:`cause_parents` and the
        test results that measure one of them (``low_b12`` with ``b12_deficiency``).
        """
        return self._structure[0][cause_id]

    def _enumeration_limit(self, what: str) -> EngineLimitError:
        return v.fail(
            EngineLimitError, "engine",
            f"a model that enumeration can run for {what}: at most {MAX_ENUMERATION_CAUSES} causes and "
            f"contexts x 2**causes at most {MAX_ENUMERATION_CELLS} (it enumerates every joint cause state; "
            f"engine='quickscore' runs larger models, cost 2**present findings)",
            f"{len(self.cause_ids)} causes, {self.n_contexts} contexts",
        )

    def _compile(self) -> Arrays:
        import numpy as np

        from twitchnet.model.arrays import Arrays
        from twitchnet.model.parameters import noisy_or, parameters

        if not self.enumerable:
            raise self._enumeration_limit("the joint cause-state tables (model.arrays)")
        n_c = len(self.cause_ids)
        f = self.factors
        p = parameters(cast("DiagnosticModel", self))
        t = p.compile(p.values)
        states = ((np.arange(2**n_c)[:, None] >> np.arange(n_c)[None, :]) & 1).astype(float)
        assert t.log_leak_off is not None and t.log_keep is not None  # compile(findings=True), the default
        log_f1, log_f0 = noisy_or(t.log_leak_off, t.log_keep, states)
        return Arrays(states, f["ctx_vars"], f["ctx_states"], f["log_ctx_prior"], f["priv_vars"], f["priv_states"], f["priv_weight"],
                      log_f1, log_f0, t.log_keep)
