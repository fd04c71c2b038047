"""parse(): the items of each sentence, one value per id, and the Parsed mapping it returns."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError
from twitchnet.evidence import NOT_SURE_RATIO, Likelihood
from twitchnet.text._context import _clause, _context, _doubted, _has
from twitchnet.text._numbers import _AGE, _DECADES, _DURATION, _SEX, _SEX_WORD, _SINCE, _UNIT
from twitchnet.text._pipeline import pipeline
from twitchnet.text._triggers import _DOUBT, _FAMILY, _FAMILY_RELATIVES, _NEURO_DISEASE, _RLS_WORDS, _UNCERTAIN

if TYPE_CHECKING:
    from twitchnet.model import DiagnosticModel

__all__ = ["parse", "Parsed", "Item"]

#: A phrase that holds its own negation ("can't feel", "lost feeling", "no power") is not negated by it.
_OWN_NEGATION = re.compile(r"^(?:no|not|never|can't|cannot|can not|couldn't|could not|unable|lost|loss|total|don't)\b|n't\b")
#: Words before a disease that make it the person's own history ("I have MS", "treated for epilepsy").
_HISTORY_OF = ("i have|i've got|i've had|i had|i was diagnosed with|diagnosed with|my|i suffer from|i suffer with|i live with|"
               "history of|(?:treated|treatment|medication|tablets|pills|meds|medicine|seen a neurologist) for")


@dataclass(frozen=True)
class Item:
    """One thing recognised in the text.

    Attributes
    ----------
    id : str
        The vocabulary id (``"duration"``, ``"age"`` and ``"sex"`` included).
    value : object
        What it says: ``True``; ``False`` when negated; a duration level, age or sex.
    context : {"present", "negated", "family", "historical", "hypothetical", "uncertain"}
    words : str
        The words it came from, as written.
    start, end : int
        Character offsets of ``words`` in the text.
    sentence : str
        The sentence it was found in.
    used : bool
        Whether it entered the evidence (historical, hypothetical and other people's findings do not).
    """

    id: str
    value: object
    context: str
    words: str
    start: int
    end: int
    sentence: str
    used: bool = True


class Parsed(Mapping):
    """The evidence found in text: a read-only mapping (id -> value) with what it came from.

    ``twitchnet.diagnose(parsed)`` diagnoses it. Values are ``True``/``False``, a duration level,
    an age, a sex, or :func:`twitchnet.maybe` for what was said uncertainly.

    Attributes
    ----------
    text : str
    found : tuple of Item
        Everything recognised, in order of the text.
    evidence : Mapping
        The evidence (the mapping itself).
    said_no : tuple of str
        Red flags the person denied, as they said them ("no bladder problems"): listed back to
        the person, never fired.
    to_confirm : tuple of str
        Red-flag ids mentioned uncertainly: the override treats them as present until confirmed.
    unrecognised : tuple of str
        Sentences in which nothing was recognised.
    """

    def __init__(self, text: str, items: Iterable[Item], evidence: Mapping[str, Any], said_no: Iterable[str],
                 to_confirm: Iterable[str], unrecognised: Iterable[str]) -> None:
        self.text = text
        self.found = tuple(items)
        self.evidence = MappingProxyType(dict(evidence))
        self.said_no = tuple(said_no)
        self.to_confirm = tuple(to_confirm)
        self.unrecognised = tuple(unrecognised)

    def __getitem__(self, key: str) -> Any:
        return self.evidence[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.evidence)

    def __len__(self) -> int:
        return len(self.evidence)

    def __repr__(self) -> str:
        return f"Parsed({dict(self.evidence)!r}, said_no={self.said_no!r}, to_confirm={self.to_confirm!r}, unrecognised={self.unrecognised!r})"

    def summary(self) -> list[str]:
        """What was understood, as lines of text (the command line prints them before the ranking)."""
        lines = []
        for it in self.found:
            shown = f"{it.id}={self.evidence.get(it.id, it.value)!r}" if it.used else f"{it.id} (not used: {it.context})"
            lines.append(f'  "{it.words}" -> {shown}' + (f"  [{it.context}]" if it.used and it.context != "present" else ""))
        for words in self.said_no:
            lines.append(f"  you said: {words}")
        for rid in self.to_confirm:
            lines.append(f"  to confirm: {rid} (mentioned uncertainly; treated as a warning sign until you confirm it)")
        for s in self.unrecognised:
            lines.append(f'  nothing recognised in: "{s}"')
        return ["Understood:"] + (lines or ["  nothing"])


def parse(text: str, *, model: DiagnosticModel | None = None) -> Parsed:
    """The evidence in a person's description of their symptoms.

    Parameters
    ----------
    text : str
    model : DiagnosticModel, optional
        Whose vocabulary to recognise; the packaged model by default.

    Returns
    -------
    Parsed
        A mapping of the evidence, with each recognised item's words and context.

    Raises
    ------
    EvidenceError
        When ``text`` is not a string.
    MissingExtraError
        When spaCy or negspaCy is not installed: ``pip install 'twitchnet[text]'``.

    Examples
    --------
    >>> import twitchnet
    >>> p = twitchnet.parse("My left calf twitches at night, no back pain, my mother had MS.")
    >>> dict(p)["twitching"], dict(p)["back_pain"], dict(p)["family_history_neuro"]
    (True, False, True)
    """
    if not isinstance(text, str):
        raise v.fail(EvidenceError, "text", "a string (a description in the person's own words)", text)
    if model is None:
        from twitchnet.model import load_model

        model = load_model()
    doc = pipeline(model)(text)
    items = []
    for sent in doc.sents:
        s0, st = sent.start_char, sent.text
        found = _sentence_items(model, sent, s0, st)
        if not found and st.strip(" .!?,;\n\t"):
            items.append(Item("", None, "unrecognised", st.strip(), s0, sent.end_char, st.strip(), False))
        items.extend(found)
    return _collect(model, text, items)


def _sentence_items(model, sent, s0, st):
    out = []
    low = st.lower()
    for ent in sent.ents:
        cid = ent.ent_id_
        if not cid:
            continue
        negated = ent._.negex and not _OWN_NEGATION.search(ent.text.lower())  # the phrase holds its own "not"
        if negated and _doubted(st, ent.start_char - s0, ent.end_char - s0):
            negated = False  # uncertainty is never denial: "I don't know whether it's spreading"
        ctx = "negated" if negated else _context(ent, st, s0)
        if ctx == "negated" and _has(_FAMILY, _clause(st, ent.start_char - s0, ent.end_char - s0)[0]):
            ctx = "family"  # "my mum doesn't have it": about someone else either way
        out.append(Item(cid, ctx != "negated", ctx, ent.text, ent.start_char, ent.end_char, st))
    out.extend(_part_sign_items(model, st, s0, {i.id for i in out}))
    # a relative with a disease of the nervous system: family_history_neuro (or family_history_rls)
    for rel in _FAMILY_RELATIVES:
        for m in re.finditer(r"(?<![\w'])" + re.escape(rel) + r"(?![\w'])", low):
            tail = low[m.end(): m.end() + 60]
            tail = re.split(r"[,;.!?]|\bbut\b|\band i\b", tail)[0]
            if _has(_RLS_WORDS, tail) and "family_history_rls" in model.evidence_ids:
                out.append(Item("family_history_rls", True, "family", st[m.start(): m.end() + len(tail)].strip(), s0 + m.start(), s0 + m.end() + len(tail), st))
            elif _has(_NEURO_DISEASE, tail):
                neg = _has(["doesn't have", "does not have", "never had", "no "], tail[:20])
                ctx = "uncertain" if _has(_UNCERTAIN + _DOUBT, low) else "negated" if neg else "family"
                out.append(Item("family_history_neuro", ctx != "negated", ctx, st[m.start(): m.end() + len(tail)].strip(),
                                s0 + m.start(), s0 + m.end() + len(tail), st))
    if _has(_NEURO_DISEASE, low) and not any(i.id == "family_history_neuro" for i in out) and re.search(
            r"\b(?:" + _HISTORY_OF + r")\s+(?:" + "|".join(map(re.escape, _NEURO_DISEASE)) + r")\b", low):
        m = re.search(r"\b(?:" + _HISTORY_OF + r")\s+(?:" + "|".join(map(re.escape, _NEURO_DISEASE)) + r")\b", low)
        out.append(Item("neuro_history", True, "present", st[m.start(): m.end()], s0 + m.start(), s0 + m.end(), st))
    for m in _DURATION.finditer(st):
        unit = m.group("unit") or m.group("unit2")
        level = _UNIT[unit.lower()] if unit else ("days" if m.group("day") else _SINCE[m.group("since").lower()])
        out.append(Item("duration", level, "present", m.group(0), s0 + m.start(), s0 + m.end(), st))
    for m in _AGE.finditer(st):
        a = m.group("a") or m.group("b") or m.group("c") or m.group("d")
        age = int(a) if a else _DECADES[m.group("e").lower()]
        out.append(Item("age", age, "present", m.group(0), s0 + m.start(), s0 + m.end(), st))
    for m in _SEX.finditer(st):
        w = (m.group("w") or m.group("w2") or m.group("l") or m.group("l2") or m.group("w4")).lower()
        out.append(Item("sex", _SEX_WORD[w], "present", m.group(0), s0 + m.start(), s0 + m.end(), st))
    return sorted(out, key=lambda i: i.start)


#: A body part and a sign of it in the same clause, in either order and up to six words apart
#: ("my face might feel a little numb", "calf might be a bit swollen"): red flags worded around the part.
_PART_SIGN = [
    ("face_or_vision_change", r"face|mouth|eyelids?", r"numb\w*|droop\w*|weak\w*|lopsided|paralys\w*"),
    ("face_or_vision_change", r"vision|sight|eyesight", r"blurr\w*|double|dim\w*|dark\w*|gone|went|lost|loss|loses|losing"),
    ("saddle_numbness", r"groin|crotch|genitals?|privates|private parts|bum|buttocks|bottom|anus|back passage|perineum|inner thighs?",
     r"numb\w*|no feeling|dead"),
    ("swollen_calf", r"calf|calves", r"swollen|swelling|swell\w*|puffy|bigger|tender|hot|red|inflamed"),
    ("cold_pale_leg", r"legs?|foot|feet|toes", r"pale|white|blue|bluish|mottled|grey|gray|purple"),
]
_PART_SIGN_RE = [(i, re.compile(rf"\b(?:{a})\b(?:\W+\w+){{0,6}}?\W+(?:{b})\b|\b(?:{b})\b(?:\W+\w+){{0,6}}?\W+(?:{a})\b"))
                 for i, a, b in _PART_SIGN]
_NEG_WORDS = ["no", "not", "never", "isn't", "hasn't", "doesn't", "don't", "without", "wasn't", "aren't", "nothing"]


class _Span:
    """Character offsets of a rule's match, read by the context rules like an entity's."""

    def __init__(self, start_char, end_char):
        self.start_char, self.end_char = start_char, end_char


def _part_sign_items(model, st, s0, found):
    """Red flags said as a body part and its sign, when the phrase rules found none in the sentence."""
    out = []
    for rid, rx in _PART_SIGN_RE:
        if rid in found or rid not in model.evidence_ids:
            continue
        for m in rx.finditer(st.lower()):
            if re.search(r"[,;:!?]|\bbut\b", m.group(0)):
                continue  # a sign of another clause
            left, _ = _clause(st, m.start(), m.end())
            inside = m.group(0).lower()
            if _doubted(st, m.start(), m.end()) or _has(_UNCERTAIN + _DOUBT, inside):
                ctx = "uncertain"
            elif _has(_NEG_WORDS, left + " " + inside):
                ctx = "negated"
            else:
                ctx = _context(_Span(s0 + m.start(), s0 + m.end()), st, s0)
            out.append(Item(rid, ctx != "negated", ctx, st[m.start(): m.end()], s0 + m.start(), s0 + m.end(), st))
            found.add(rid)
            break
    return out


#: Contexts in which a red flag is neither present nor denied: listed to confirm.
_SURFACED = ("hypothetical", "historical", "family")


def _collect(model, text, items):
    """The evidence from the items: one value per id (a definite statement beats an uncertain one,
    a present one beats a negated one: the safe side), and what is listed back.
    """
    evidence, said_no, to_confirm, kept, unrecognised = {}, [], [], [], []
    red = set(model.red_flag_ids)
    rank = {"present": 3, "uncertain": 2, "negated": 1}
    best = {}
    for it in items:
        if it.context == "unrecognised":
            unrecognised.append(it.sentence)
            continue
        sp = model.spec(it.id) if it.id in model.evidence_ids else None
        used = it.context in rank or (it.context == "family" and it.id in ("family_history_neuro", "family_history_rls"))
        if it.id == "family_history_neuro" and it.context == "negated":
            used = True
        if it.context == "uncertain" and sp is not None and sp.kind not in ("finding", "red_flag"):
            used = False  # soft evidence is for findings: an uncertain risk factor is left out
        surfaced = it.id in red and not used and it.context in _SURFACED
        kept.append(Item(it.id, it.value, it.context, it.words, it.start, it.end, it.sentence, used or surfaced))
        if not (used or surfaced):
            continue
        # a red flag said hypothetically, of the past or of someone else is listed to confirm (maybe),
        # never dropped and never present: only a clear negation of that very red flag silences it
        ctx = "uncertain" if surfaced else "present" if it.context == "family" else it.context
        prev = best.get(it.id)
        if prev is not None and rank[prev] >= rank[ctx] and it.id not in ("age", "sex", "duration"):
            continue
        best[it.id] = ctx
        if ctx == "uncertain":
            evidence[it.id] = Likelihood(NOT_SURE_RATIO)
        else:
            evidence[it.id] = it.value
    for it in kept:
        if it.used and it.id in red and it.context == "negated" and evidence.get(it.id) is False:
            said_no.append(_said(it))
    to_confirm = [i for i in model.red_flag_ids if isinstance(evidence.get(i), Likelihood)]
    return Parsed(text, kept, evidence, said_no, to_confirm, unrecognised)


def _said(item):
    """The negated words as the person said them: from the negation word to the end of the finding
    ("no bladder problems"), or "no <words>" when the negation follows them.
    """
    s, words = item.sentence, item.words
    at = item.start - (len(item.sentence) and _sentence_start(item))
    left = s[:at].lower()
    hits = list(re.finditer(r"\b(?:no|not|never|without|don't|do not|haven't|have not|didn't|doesn't|isn't|nothing|none|free of)\b", left))
    if not hits or at - hits[-1].start() > 60:
        return f"no {words}"
    return s[hits[-1].start(): at + len(words)]


def _sentence_start(item):
    """Offset of the item's sentence in the text (items keep text offsets)."""
    return item.start - item.sentence.lower().find(item.words.lower())
