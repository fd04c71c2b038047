"""Red-flag rules, evaluated on the evidence alone, before and independently of any posterior.

Nothing here reads a posterior, a setting or a flag that could switch the override off: the
result is a pure function of which red-flag ids are True in the evidence and of the rules of the
knowledge base, whose loader guarantees that every red-flag id alone fires a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from twitchnet._memo import memo

if TYPE_CHECKING:
    from twitchnet._typing import Triage
    from twitchnet.kb.schema import KnowledgeBase, RedFlagRule
    from twitchnet.model import DiagnosticModel

__all__ = ["TRIAGE", "TRIAGE_TEXT", "RedFlag", "evaluate", "fire", "holds", "ordered_rules", "self_care_findings", "self_care_indices",
           "triage_index", "triage_level", "triage_table", "urgent_text"]

_ORDER = {"emergency": 0, "urgent": 1}

#: Every triage level, least to most pressing: the order of the frame's ordered categorical.
#: ``"insufficient"`` (nothing observed that a self-care cause explains) stands above
#: ``"self_care"`` because it reassures no one; both stand below every clinical level.
TRIAGE: tuple[Triage, ...] = ("self_care", "insufficient", "routine", "urgent", "emergency")


@dataclass(frozen=True)
class RedFlag:
    """A red-flag rule that fired.

    Attributes
    ----------
    id : str
        Rule id (``"cauda_equina"``, ``"muscle_weakness"``...).
    level : {"emergency", "urgent"}
    title : str
    advice : str
        What to do, in plain words.
    source : str
        Full citation of the guideline behind the rule.
    source_id : str
    triggered_by : tuple of str
        The evidence ids that made it fire.
    """

    id: str
    level: str
    title: str
    advice: str
    source: str
    source_id: str
    triggered_by: tuple[str, ...]


class _Ranked(Protocol):
    """What the triage rule reads of a ranking entry (a :class:`~twitchnet.CauseResult`)."""

    @property
    def care(self) -> str: ...

    @property
    def probability(self) -> float: ...


#: The words of each triage level, as results show them.
TRIAGE_TEXT = {
    "emergency": "EMERGENCY: get medical help now",
    "urgent": "URGENT: see a doctor promptly",
    "routine": "Routine: book an appointment with a GP or clinician",
    "self_care": "Self-care: likely harmless; seek advice if it persists, worsens or interferes with daily life",
    "insufficient": "Not enough to go on: nothing described yet points to a cause; answer the questions below first",
}


def urgent_text(red_flags: Iterable[RedFlag]) -> str:
    """One line of urgent advice for rules that fired: the level's words, then each rule's
    title and advice (used to lead an error message when the rest of the evidence failed).
    """
    level = "emergency" if any(r.level == "emergency" for r in red_flags) else "urgent"
    return TRIAGE_TEXT[level] + ". " + " ".join(f"{r.title}: {r.advice}" for r in red_flags)


_CACHE_SIZE = 4096


def evaluate(kb: KnowledgeBase, true_flags: Collection[str]) -> tuple[RedFlag, ...]:
    """Fire every rule whose condition holds for the set of red-flag ids that are True.

    Parameters
    ----------
    kb : KnowledgeBase
    true_flags : collection of str

    Returns
    -------
    tuple of RedFlag
        Emergency rules first, then urgent ones, each group in knowledge-base order.
    """
    if not true_flags:
        return ()  # the loader guarantees that every rule needs at least one flag
    flags = frozenset(true_flags)
    # The answer depends only on the knowledge base (immutable) and the set of true flags, and its
    # RedFlag objects are frozen, so answers are kept beside the knowledge base (at most
    # _CACHE_SIZE sets), never written onto it.
    cache = memo(kb, "fired", dict)
    hit = cache.get(flags)
    if hit is not None:
        return hit
    out = []
    for rule, fires in fire(kb, flags.__contains__):
        if fires:
            trig = tuple(i for i in rule.all_of + rule.any_of if i in flags)
            out.append(RedFlag(rule.id, rule.level, rule.title, rule.advice, kb.sources[rule.source].citation, rule.source, tuple(dict.fromkeys(trig))))
    fired = tuple(out)
    if len(cache) < _CACHE_SIZE:
        cache[flags] = fired
    return fired


def fire(kb: KnowledgeBase, has: Callable[[str], Any]) -> list[tuple[RedFlagRule, Any]]:
    """Every rule, in the order results list them, with whether it fires.

    The one red-flag function for a single case and for a frame: ``has(id)`` returns a bool
    (whether that id is True in the case) or a numpy bool array (one entry per row).

    Returns
    -------
    list of (RedFlagRule, bool or ndarray)
    """
    return [(rule, holds(rule, has)) for rule in ordered_rules(kb)]


def ordered_rules(kb: KnowledgeBase) -> list[RedFlagRule]:
    """The rules in the order results list them: emergency rules first, then urgent ones, each
    group in knowledge-base order (a stable sort).
    """
    return sorted(kb.rules, key=lambda r: _ORDER[r.level])


def holds(rule: RedFlagRule, has: Callable[[str], Any]) -> Any:
    """Whether ``rule`` fires, given ``has(id)``: whether that id is True.

    ``has`` may return a bool (one case) or a numpy bool array (one entry per row of a frame):
    the condition is combined with ``&`` and ``|`` only, so the same code answers both.
    """
    out: Any = True
    for i in rule.all_of:
        out = out & has(i)
    if rule.any_of:
        some: Any = False
        for i in rule.any_of:
            some = some | has(i)
        out = out & some
    return out


def self_care_indices(model: DiagnosticModel) -> frozenset[int]:
    """Indices (in ``model.finding_ids``) of :func:`self_care_findings`, kept beside the model."""
    return memo(model, "self_care", lambda: frozenset(i for i, f in enumerate(model.finding_ids) if f in self_care_findings(model.kb)))


def self_care_findings(kb: KnowledgeBase) -> frozenset[str]:
    """The findings that a cause whose care is ``"self_care"`` can produce (a link to it).

    Self-care advice rests on one of them being present: without one, nothing observed is
    explained by a harmless cause, and the triage is ``"insufficient"``.
    """
    harmless = {c.id for c in kb.causes if c.care == "self_care"}
    return frozenset(f.id for f in kb.findings if any(link.cause in harmless for link in f.links))


def _level(emergency: bool, urgent: bool, routine: bool, explained: bool) -> Triage:
    # Red flags first, always: emergency > urgent > routine > self_care / insufficient.
    if emergency:
        return "emergency"
    if urgent:
        return "urgent"
    if routine:
        return "routine"
    return "self_care" if explained else "insufficient"


def triage_level(red_flags: Sequence[RedFlag], ranking: Iterable[_Ranked], threshold: float, explained: bool = True) -> Triage:
    """The triage rule, for one case.

    ``"emergency"`` if an emergency rule fired; else ``"urgent"`` if any red flag fired; else
    ``"routine"`` if a cause whose care is ``"clinician"`` has posterior probability at least
    ``threshold``; else ``"self_care"`` when ``explained`` (a finding in
    :func:`self_care_findings` is present), otherwise ``"insufficient"``.

    Parameters
    ----------
    red_flags : sequence of RedFlag
    ranking : iterable of CauseResult (or objects with ``care`` and ``probability``)
    threshold : float
    explained : bool, default=True
        Whether a present finding is one that a self-care cause explains.
    """
    return TRIAGE[triage_index(
        any(r.level == "emergency" for r in red_flags),
        bool(red_flags),
        any(c.care == "clinician" and c.probability >= threshold for c in ranking),
        bool(explained),
    )]


def triage_index(emergency: Any, urgent: Any, routine: Any, explained: Any) -> Any:
    """The triage rule as an index in :data:`TRIAGE`: for one case (bools, giving an int) or for
    the rows of a frame (bool arrays, giving an int8 array), from the one table of
    :func:`triage_table`, so a frame and a single case cannot disagree.
    """
    code = emergency * 8 + urgent * 4 + routine * 2 + explained
    if isinstance(code, int):
        return _TABLE[code]
    import numpy as np

    return np.asarray(_TABLE, dtype=np.int8)[np.asarray(code, dtype=np.intp)]


def triage_table() -> tuple[int, ...]:
    """The triage rule as a lookup table for frames: entry ``8*emergency + 4*urgent +
    2*routine + explained`` is the level's index in :data:`TRIAGE`. Built from the very rule
    :func:`triage_level` applies, so a frame and a single case cannot disagree.
    """
    return tuple(TRIAGE.index(_level(*(bool(code >> b & 1) for b in (3, 2, 1, 0)))) for code in range(16))


_TABLE = triage_table()
