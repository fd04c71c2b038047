"""Red-flag rules, evaluated on the evidence alone, before and independently of any posterior.

Nothing here reads a posterior, a setting or a flag that could switch the override off: the
result is a pure function of which red-flag ids are True in the evidence and of the rules of the
knowledge base, whose loader guarantees that every red-flag id alone fires a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TRIAGE", "RedFlag", "evaluate", "holds", "ordered_rules", "self_care_findings", "triage_level", "triage_table"]

_ORDER = {"emergency": 0, "urgent": 1}

#: Every triage level, least to most pressing: the order of the frame's ordered categorical.
#: ``"insufficient"`` (nothing observed that a self-care cause explains) stands above
#: ``"self_care"`` because it reassures no one; both stand below every clinical level.
TRIAGE = ("self_care", "insufficient", "routine", "urgent", "emergency")


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
    triggered_by: tuple


_CACHE_SIZE = 4096


def evaluate(kb, true_flags):
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
    true_flags = frozenset(true_flags)
    # The answer depends only on the knowledge base (immutable) and the set of true flags, and its
    # RedFlag objects are frozen, so answers are kept per knowledge base (at most _CACHE_SIZE sets).
    cache = kb.__dict__.get("_fired_cache")
    if cache is None:
        cache = {}
        object.__setattr__(kb, "_fired_cache", cache)
    hit = cache.get(true_flags)
    if hit is not None:
        return hit
    fired = []
    has = true_flags.__contains__
    for rule in ordered_rules(kb):
        if holds(rule, has):
            trig = tuple(i for i in rule.all_of + rule.any_of if i in true_flags)
            fired.append(RedFlag(rule.id, rule.level, rule.title, rule.advice, kb.sources[rule.source].citation, rule.source, tuple(dict.fromkeys(trig))))
    fired = tuple(fired)
    if len(cache) < _CACHE_SIZE:
        cache[true_flags] = fired
    return fired


def ordered_rules(kb):
    """The rules in the order results list them: emergency rules first, then urgent ones, each
    group in knowledge-base order (a stable sort)."""
    return sorted(kb.rules, key=lambda r: _ORDER[r.level])


def holds(rule, has):
    """Whether ``rule`` fires, given ``has(id)``: whether that id is True.

    ``has`` may return a bool (one case) or a numpy bool array (one entry per row of a frame):
    the condition is combined with ``&`` and ``|`` only, so the same code answers both.
    """
    out = True
    for i in rule.all_of:
        out = out & has(i)
    if rule.any_of:
        some = False
        for i in rule.any_of:
            some = some | has(i)
        out = out & some
    return out


def self_care_findings(kb):
    """The findings that a cause whose care is ``"self_care"`` can produce (a link to it).

    Self-care advice rests on one of them being present: without one, nothing observed is
    explained by a harmless cause, and the triage is ``"insufficient"``.
    """
    harmless = {c.id for c in kb.causes if c.care == "self_care"}
    return frozenset(f.id for f in kb.findings if any(link.cause in harmless for link in f.links))


def _level(emergency, urgent, routine, explained):
    # Red flags first, always: emergency > urgent > routine > self_care / insufficient.
    if emergency:
        return "emergency"
    if urgent:
        return "urgent"
    if routine:
        return "routine"
    return "self_care" if explained else "insufficient"


def triage_level(red_flags, ranking, threshold, explained=True):
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
    return _level(
        any(r.level == "emergency" for r in red_flags),
        bool(red_flags),
        any(c.care == "clinician" and c.probability >= threshold for c in ranking),
        bool(explained),
    )


def triage_table():
    """The triage rule as a lookup table for frames: entry ``8*emergency + 4*urgent +
    2*routine + explained`` is the level's index in :data:`TRIAGE`. Built from the very rule
    :func:`triage_level` applies, so a frame and a single case cannot disagree."""
    return tuple(TRIAGE.index(_level(*(bool(code >> b & 1) for b in (3, 2, 1, 0)))) for code in range(16))
