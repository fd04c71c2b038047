"""ConText status of a recognised phrase in its sentence: the clause, family, history, hypothesis, doubt."""

from __future__ import annotations

import re

from twitchnet.text._triggers import _DOUBT, _FAMILY, _HISTORICAL, _HYPOTHETICAL, _UNCERTAIN


def _has(words, text):
    return any(re.search(r"(?<![\w'])" + re.escape(w) + r"(?![\w'])", text) for w in words)


def _clause(sent_text, start, end):
    """The clause around ``[start, end)`` of a sentence: bounded by the terminating words and marks."""
    left = sent_text[:start].lower()
    right = sent_text[end:].lower()
    cut = [m.end() for m in re.finditer(r"[,;:!?]|\b(?:but|though|although|however|whereas|while|and i|and my|and it's|and now|also|since)\b", left)]
    left = left[cut[-1]:] if cut else left
    m = re.search(r"[,;:!?]|\b(?:but|though|although|however|whereas|while|and i|and my|and now|also|since)\b", right)
    right = right[: m.start()] if m else right
    return left, right


#: "as if" and "even if" compare or concede; they state no hypothesis ("feels as if it is on fire").
_NOT_HYPOTHETICAL = re.compile(r"\b(?:as|even|only|see) if\b")


def _doubted(sent_text, start, end):
    """Whether doubt words ("not sure if", "don't know whether") govern ``[start, end)`` in its clause."""
    left, right = _clause(sent_text, start, end)
    return _has(_DOUBT, left) or _has(_DOUBT, right)


def _context(ent, sent_text, s0):
    """The ConText status of an entity in its sentence: family, historical, hypothetical, uncertain or present."""
    left, right = _clause(sent_text, ent.start_char - s0, ent.end_char - s0)
    whole_left = sent_text[: ent.start_char - s0].lower()
    if _has(_FAMILY, left) or _has(["runs in my family", "runs in the family", "in my family"], right):
        return "family"
    if _has(_DOUBT, left) or _has(_DOUBT, right):
        return "uncertain"  # "not sure if it started suddenly": doubt, checked before "if" makes it a hypothesis
    whole_left = _NOT_HYPOTHETICAL.sub(" ", whole_left)
    left = _NOT_HYPOTHETICAL.sub(" ", left)
    if _has(_HYPOTHETICAL, whole_left[-60:]) and _has(_HYPOTHETICAL, left + " " + whole_left[-40:]):
        return "hypothetical"
    if _has(_HISTORICAL, left) or _has(_HISTORICAL, right):
        if not _has(["still", "again", "now", "ever since", "since then", "these days"], left + right):
            return "historical"
    if _has(_UNCERTAIN, left) or _has(["maybe", "i think", "not sure", "possibly", "perhaps", "?"], right):
        return "uncertain"
    return "present"

