"""Red-flag rules, evaluated on the evidence alone, before and independently of any posterior.

Nothing here reads a posterior, a setting or a flag that could switch the override off: the
result is a pure function of which red-flag ids are True in the evidence and of the rules of the
knowledge base, whose loader guarantees that every red-flag id alone fires a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RedFlag", "evaluate", "triage_level"]

_ORDER = {"emergency": 0, "urgent": 1}


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
    for rule in kb.rules:
        if set(rule.all_of) <= true_flags and (not rule.any_of or true_flags & set(rule.any_of)):
            trig = tuple(i for i in rule.all_of + rule.any_of if i in true_flags)
            fired.append(RedFlag(rule.id, rule.level, rule.title, rule.advice, kb.sources[rule.source].citation, rule.source, tuple(dict.fromkeys(trig))))
    fired.sort(key=lambda r: _ORDER[r.level])
    fired = tuple(fired)
    if len(cache) < _CACHE_SIZE:
        cache[true_flags] = fired
    return fired


def triage_level(red_flags, ranking, threshold):
    """The triage rule.

    ``"emergency"`` if an emergency rule fired; else ``"urgent"`` if any red flag fired; else
    ``"routine"`` if a cause whose care is ``"clinician"`` has posterior probability at least
    ``threshold``; else ``"self_care"``.
    """
    if any(r.level == "emergency" for r in red_flags):
        return "emergency"
    if red_flags:
        return "urgent"
    if any(c.care == "clinician" and c.probability >= threshold for c in ranking):
        return "routine"
    return "self_care"
