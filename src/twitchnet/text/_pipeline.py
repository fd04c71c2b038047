"""The spaCy pipeline: target rules generated from the vocabulary, NegEx, built once per model."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from twitchnet.text._lexicon import PHRASES, _variants
from twitchnet.text._triggers import _NEG_EXTRA, _NEG_FOLLOWING, _PSEUDO_NEG, _TERMINATE

if TYPE_CHECKING:
    from twitchnet.model import DiagnosticModel

#: Ids whose meaning names diseases (read by the relative and history rules instead, so that "my
#: mother had MS" is not the person's own history).
_NOT_FROM_MEANING = {"neuro_history", "family_history_neuro"}
#: Fragments of a meaning that say nothing on their own.
_VAGUE = {"also a red flag", "new weakness", "very painful at rest", "with the weakness", "with it", "warm", "red", "pale", "blue",
          "feet", "fingers", "standing", "falls", "retention", "tender"}


def _from_meaning(meaning):
    """Phrases of two to five words cut from a red flag's meaning at commas, brackets and "or".

    ``"painful spasms of the hands or feet, fingers or toes drawn in (carpopedal spasm)"`` gives
    "painful spasms of the hands", "toes drawn in" and "carpopedal spasm".
    """
    out = []
    for frag in re.split(r"[,;()]|\.\.\.|\bor\b|\band\b|\bwith\b", meaning.lower()):
        frag = re.sub(r"^(?:a|an|the|new|marked)\s+", "", frag.strip())
        if frag and frag not in _VAGUE and 2 <= len(frag.split()) <= 5:
            out.append(frag)
    return out


def _targets(model):
    """Phrase -> id: each vocabulary id's words, its aliases, and :data:`PHRASES`."""
    ids = set(model.evidence_ids)
    table = {}
    for i in model.evidence_ids:
        if model.spec(i).kind in ("number", "category", "category_finding"):
            continue
        table.setdefault(i.replace("_", " "), i)
    for i in model.red_flag_ids:
        for words in _from_meaning(model.spec(i).meaning) if i not in _NOT_FROM_MEANING else ():
            table.setdefault(words, i)
    for alias, i in model.kb.aliases.items():
        if i in ids:
            table.setdefault(alias.replace("_", " "), i)
    for i, phrases in PHRASES.items():
        if i not in ids:
            continue
        for p in phrases:
            for var in _variants(p):
                table[var] = i  # the everyday phrasings win over generated words
    return table


class _Pipeline:
    """The spaCy pipeline for one model's vocabulary (see the module docstring)."""

    def __init__(self, model):
        from twitchnet._extras import require

        spacy = require("spacy", "text", "twitchnet.parse")
        require("negspacy.negation", "text", "twitchnet.parse")
        from negspacy.termsets import termset

        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
        table = _targets(model)
        ruler.add_patterns([{"label": "TW", "pattern": p, "id": i} for p, i in table.items()])
        ts = termset("en_clinical")
        ts.add_patterns({"preceding_negations": _NEG_EXTRA, "following_negations": _NEG_FOLLOWING,
                         "termination": sorted(_TERMINATE - {"."}), "pseudo_negations": _PSEUDO_NEG})
        ts.remove_patterns({"preceding_negations": ["may"] if "may" in ts.get_patterns()["preceding_negations"] else []})
        nlp.add_pipe("negex", config={"ent_types": ["TW"], "neg_termset": ts.get_patterns(), "chunk_prefix": ["no"]})
        self.nlp, self.model = nlp, model

    def __call__(self, text):
        return self.nlp(text)


_PIPELINES: dict = {}


def pipeline(model: DiagnosticModel | None = None) -> _Pipeline:
    """The spaCy pipeline :func:`parse` runs for ``model`` (built once per model, kept)."""
    if model is None:
        from twitchnet.model import load_model

        model = load_model()
    key = id(model)
    p = _PIPELINES.get(key)
    if p is None or p.model is not model:
        p = _PIPELINES[key] = _Pipeline(model)
    return p

