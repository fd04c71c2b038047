"""A knowledge base as plain JSON-ready lists and dicts and back (the default knowledge base's
cache, the model's fingerprint): data only, no code, no pickle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from twitchnet.kb.schema import (
    CategoryFinding,
    Cause,
    CauseGroup,
    Effect,
    Finding,
    KnowledgeBase,
    Link,
    Number,
    RedFlagRule,
    RiskFactor,
    Source,
)

__all__ = ["from_data", "to_data"]


def _num(n: Number) -> list[Any]:
    derive = [n.derive[0], [list(f) for f in n.derive[1]]] if n.derive else []
    return [n.value, n.low, n.high, n.source, n.note, n.structural, derive]


def _unnum(x: list[Any]) -> Number:
    derive = (x[6][0], tuple((k, float(v)) for k, v in x[6][1])) if x[6] else ()
    return Number(float(x[0]), float(x[1]), float(x[2]), x[3], x[4], bool(x[5]), derive)


def to_data(kb: KnowledgeBase) -> dict[str, Any]:
    """The knowledge base as JSON-ready lists and dicts (see :func:`from_data`); no code, no pickle."""
    return {
        "name": kb.name,
        "version": kb.version,
        "description": kb.description,
        "routine_threshold": _num(kb.routine_threshold),
        "sources": [[s.id, s.citation, s.url] for s in kb.sources.values()],
        "risk_factors": [
            [r.id, r.meaning, r.kind, list(r.states), [_num(n) for n in r.prior], r.parent, list(r.edges), r.low, r.high, r.unit, r.test]
            for r in kb.risk_factors
        ],
        "causes": [
            [c.id, c.name, c.meaning, c.care, c.summary, c.advice, _num(c.baseline),
             [[e.factor, e.state, _num(e.odds_ratio), [list(a) for a in e.also]] for e in c.effects]]
            for c in kb.causes
        ],
        "findings": [[f.id, f.meaning, _num(f.leak), [[k.cause, _num(k.p)] for k in f.links], f.red_flag, f.test, f.exam, f.category, f.level]
                     for f in kb.findings],
        "groups": [[g.id, g.meaning, list(g.members)] for g in kb.groups],
        "categories": [[c.id, c.meaning, list(c.states), list(c.levels)] for c in kb.categories],
        "burdens": [[k, _num(n)] for k, n in kb.burdens.items()],
        "red_flags": [[k, m] for k, m in kb.red_flags.items()],
        "rules": [[r.id, r.level, list(r.all_of), list(r.any_of), r.title, r.advice, r.source] for r in kb.rules],
        "aliases": [[a, t] for a, t in kb.aliases.items()],
        "content_hash": kb.content_hash,
        "location": kb.location,
        "population": kb.population,
    }


def from_data(d: Mapping[str, Any]) -> KnowledgeBase:
    """Rebuild a :class:`KnowledgeBase` from :func:`to_data`'s output (equal to the original)."""
    return KnowledgeBase(
        name=d["name"],
        version=d["version"],
        description=d["description"],
        routine_threshold=_unnum(d["routine_threshold"]),
        sources={s[0]: Source(*s) for s in d["sources"]},
        risk_factors=tuple(
            RiskFactor(i, m, k, tuple(st), tuple(_unnum(n) for n in pr), par, tuple(float(e) for e in ed), float(lo), float(hi), u, t)
            for i, m, k, st, pr, par, ed, lo, hi, u, t in d["risk_factors"]
        ),
        causes=tuple(
            Cause(i, n, m, care, s, a, _unnum(b), tuple(Effect(f, st, _unnum(o), tuple(tuple(x) for x in also)) for f, st, o, also in eff))
            for i, n, m, care, s, a, b, eff in d["causes"]
        ),
        findings=tuple(Finding(i, m, _unnum(leak), tuple(Link(c, _unnum(p)) for c, p in links), bool(red), test, bool(ex), cat, lv)
                       for i, m, leak, links, red, test, ex, cat, lv in d["findings"]),
        groups=tuple(CauseGroup(i, m, tuple(mem)) for i, m, mem in d["groups"]),
        categories=tuple(CategoryFinding(i, m, tuple(st), tuple(lv)) for i, m, st, lv in d["categories"]),
        burdens={k: _unnum(n) for k, n in d.get("burdens", [])},
        red_flags=dict(d["red_flags"]),
        rules=tuple(RedFlagRule(i, lv, tuple(al), tuple(an), t, a, s) for i, lv, al, an, t, a, s in d["rules"]),
        aliases=dict(d["aliases"]),
        content_hash=d["content_hash"],
        location=d["location"],
        population=d["population"],
    )
