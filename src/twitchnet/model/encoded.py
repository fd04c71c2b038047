"""What one evidence id accepts (:class:`EvidenceSpec`) and one case's evidence, validated and encoded (:class:`Encoded`).

The data the evidence methods of the model (:mod:`twitchnet.model.evidence`) read and return.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["PLAUSIBLE_AGES", "Encoded", "EvidenceSpec"]


@dataclass(frozen=True)
class EvidenceSpec:
    """What one evidence id accepts.

    Attributes
    ----------
    id : str
    kind : {"number", "category", "risk_factor", "finding", "category_finding", "red_flag"}
        ``"risk_factor"`` and ``"finding"`` are yes/no nodes; ``"category_finding"`` is an ordered
        category of the causes (``duration``), held as level findings
        (:class:`twitchnet.kb.schema.CategoryFinding`); ``"red_flag"`` ids that are not
        findings fire rules only and are not nodes of the network.
    index : int
        Index among the risk factors (number, category, risk_factor) or findings; for a category
        finding, the index of its first level finding.
    meaning : str
    red_flag : bool
    states : tuple of str
    """

    id: str
    kind: str
    index: int
    meaning: str
    red_flag: bool = False
    states: tuple[str, ...] = ()

    @property
    def expected(self) -> str:
        """Human description of the accepted values (used in error messages)."""
        if self.kind in ("category", "category_finding"):
            return "one of " + ", ".join(repr(s) for s in self.states)
        return "True or False"


@dataclass(frozen=True)
class Encoded:
    """One case's evidence, validated and encoded.

    Attributes
    ----------
    evidence : Mapping
        Canonical id -> value (aliases resolved, unknown values dropped).
    rf_states : tuple of int
        Risk-factor state indices, -1 where unknown.
    finding_states : tuple of int
        1 present, 0 absent, -1 unknown.
    true_flags : frozenset of str
        Red-flag ids whose value is True.
    codes : tuple of int
        Each cause's private risk-factor pattern code, then the context's: the lookup keys of
        :class:`twitchnet.model.tables.FactorTables`.
    observed, observed_values : tuple of int
        Indices of the observed findings, in knowledge-base order, and their values (1 or 0):
        the hard evidence only.
    soft : tuple of (int, float)
        Findings given as soft evidence (:func:`twitchnet.maybe`): ``(column, likelihood ratio)``
        in knowledge-base order; empty for hard evidence. Their ``finding_states`` stay -1, so
        an engine that reads only the hard fields must decline a case with ``soft``.
    unconfirmed : frozenset of str
        Ids red-flag rules read that were given as ``maybe``: in ``true_flags`` (the override
        treats them as present) until confirmed.
    """

    evidence: Mapping[str, Any]
    rf_states: tuple[int, ...]
    finding_states: tuple[int, ...]
    true_flags: frozenset[str]
    codes: tuple[int, ...] = ()
    observed: tuple[int, ...] = ()
    observed_values: tuple[int, ...] = ()
    soft: tuple[tuple[int, float], ...] = ()
    unconfirmed: frozenset[str] = frozenset()

    @property
    def rf_state(self) -> npt.NDArray[np.int64]:
        """``rf_states`` as a read-only int64 array of shape (R,)."""
        return _frozen_array(self.rf_states)

    @property
    def finding_state(self) -> npt.NDArray[np.int64]:
        """``finding_states`` as a read-only int64 array of shape (F,)."""
        return _frozen_array(self.finding_states)


def _frozen_array(values: Iterable[int]) -> npt.NDArray[np.int64]:
    import numpy as np

    a = np.array(values, dtype=np.int64)
    a.setflags(write=False)
    return a


_ENCODED_FIELDS = ("evidence", "rf_states", "finding_states", "true_flags", "codes", "observed", "observed_values", "soft", "unconfirmed")
_YES_NO = frozenset({"finding", "risk_factor", "red_flag"})


# Plausibility of a yes/no id against the age, where the vocabulary allows a check: (low, high)
# ages in years between which True is possible. Applied when the knowledge base has both ids.
# Pregnancy outside ages 12 to 55 (judgement: the range of the vocabulary's "currently pregnant").
PLAUSIBLE_AGES = MappingProxyType({"pregnancy": (12, 55)})
