"""Write a :class:`~twitchnet.kb.KnowledgeBase` back to the seven TOML files the loader reads.

Used by :meth:`twitchnet.learn.FittedModel.to_knowledge_base`. Every number is written with
``repr`` (which round-trips a float exactly), so a written folder loads back into a knowledge
base with the same numbers; comments of the original files are not kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from twitchnet.kb.loader import FILES

__all__ = ["knowledge_base_files", "write_knowledge_base"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k):
    return k if _BARE.match(k) else _str(k)


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _str(s):
    """A TOML basic string holding ``s`` exactly: quote, backslash and every control character
    (U+0000-U+001F, U+007F, U+0080-U+009F) escaped, everything else as itself. TOML forbids U+007F
    raw, which ``json.dumps`` leaves (hostile M3: a folder the writer wrote did not load).
    """
    return '"' + _NEEDS_ESCAPE.sub(_escape, s) + '"'


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f-\x9f]')


def _escape(m):
    ch = m.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def _float(x):
    x = float(x)
    text = repr(x)
    return text if any(ch in text for ch in ".en") else text + ".0"


def _number(n):
    parts = [f"value = {_float(n.value)}", f"low = {_float(n.low)}", f"high = {_float(n.high)}", f"source = {_str(n.source)}"]
    if n.derive:
        method, figures = n.derive
        parts.append("derive = { " + ", ".join([f"method = {_str(method)}"] + [f"{k} = {_float(v)}" for k, v in figures]) + " }")
    if n.note:
        parts.append(f"note = {_str(n.note)}")
    if n.structural:
        parts.append("structural = true")
    return "{ " + ", ".join(parts) + " }"


def _list(items):
    return "[" + ", ".join(items) + "]"


def knowledge_base_files(kb):
    """The seven files of ``kb`` as ``{file name: TOML text}``.

    Parameters
    ----------
    kb : KnowledgeBase

    Returns
    -------
    dict of str to str
    """
    out = {}
    lines = [f"name = {_str(kb.name)}", f"version = {_str(kb.version)}", f"description = {_str(kb.description)}",
             f"population = {_str(kb.population)}", "",
             "[triage]", f"routine_threshold = {_number(kb.routine_threshold)}"]
    if kb.burdens:
        lines += ["", "[burden]"] + [f"{_key(k)} = {_number(n)}" for k, n in kb.burdens.items()]
    out["model.toml"] = "\n".join(lines) + "\n"

    lines = []
    for s in kb.sources.values():
        lines += [f"[{_key(s.id)}]", f"citation = {_str(s.citation)}"]
        if s.url:
            lines.append(f"url = {_str(s.url)}")
        lines.append("")
    out["sources.toml"] = "\n".join(lines)

    lines = []
    for rf in kb.risk_factors:
        lines += [f"[{_key(rf.id)}]", f"meaning = {_str(rf.meaning)}"]
        if rf.kind == "binary":
            if rf.parent is None:
                lines.append(f"prior = {_number(rf.prior[0])}")
            else:
                lines.append(f"parent = {_str(rf.parent)}")
                if rf.test is not None:
                    lines.append(f"test = {_str(rf.test)}")
                lines += ["prior = ["] + [f"  {_number(n)}," for n in rf.prior] + ["]"]
        else:
            lines.append(f"kind = {_str(rf.kind)}")
            if rf.kind == "number":
                lines += [f"unit = {_str(rf.unit)}", f"min = {_float(rf.low)}", f"max = {_float(rf.high)}",
                          f"edges = {_list(_float(e) for e in rf.edges)}"]
            lines.append(f"states = {_list(_str(s) for s in rf.states)}")
            lines += ["prior = ["] + [f"  {_number(n)}," for n in rf.prior] + ["]"]
        lines.append("")
    out["risk_factors.toml"] = "\n".join(lines)

    lines = []
    for c in kb.causes:
        lines += [f"[{_key(c.id)}]"] + [f"{k} = {_str(getattr(c, k))}" for k in ("name", "meaning", "care", "summary", "advice")]
        lines += [f"baseline = {_number(c.baseline)}", f"[{_key(c.id)}.effects]"]
        lines += [f"{_str(e.key)} = {_number(e.odds_ratio)}" for e in c.effects]
        lines.append("")
    for g in kb.groups:
        lines += [f"[groups.{_key(g.id)}]", f"meaning = {_str(g.meaning)}", f"members = {_list(_str(m) for m in g.members)}", ""]
    out["causes.toml"] = "\n".join(lines)

    out["findings.toml"] = _findings_text(kb)

    lines = []
    for fid, meaning in kb.red_flags.items():
        lines += [f"[flags.{_key(fid)}]", f"meaning = {_str(meaning)}"]
    for r in kb.rules:
        lines += ["", f"[rules.{_key(r.id)}]", f"level = {_str(r.level)}"]
        if r.all_of:
            lines.append(f"all = {_list(_str(i) for i in r.all_of)}")
        if r.any_of:
            lines.append(f"any = {_list(_str(i) for i in r.any_of)}")
        lines += [f"title = {_str(r.title)}", f"advice = {_str(r.advice)}", f"source = {_str(r.source)}"]
    out["red_flags.toml"] = "\n".join(lines) + "\n"

    out["aliases.toml"] = "".join(f"{_key(a)} = {_str(t)}\n" for a, t in kb.aliases.items())
    assert set(out) == set(FILES)
    return out


def _findings_text(kb):
    """findings.toml: the yes/no findings, then each category finding as one table of levels."""
    lines = []
    for f in kb.findings:
        if f.category:
            continue
        lines += [f"[{_key(f.id)}]", f"meaning = {_str(f.meaning)}", f"leak = {_number(f.leak)}"]
        if f.red_flag:
            lines.append("red_flag = true")
        if f.test is not None:
            lines.append(f"test = {_str(f.test)}")
        if f.exam:
            lines.append("exam = true")
        lines.append(f"[{_key(f.id)}.causes]")
        lines += [f"{_key(link.cause)} = {_number(link.p)}" for link in f.links]
        lines.append("")
    levels = {f.id: f for f in kb.findings if f.category}
    for cat in kb.categories:  # one table per category: a number per level, for the leak and each cause
        mine = [levels[i] for i in cat.levels]
        lines += [f"[{_key(cat.id)}]", f"meaning = {_str(cat.meaning)}", f"states = {_list(_str(s) for s in cat.states)}"]
        if mine[0].exam:
            lines.append("exam = true")
        lines.append("leak = { " + ", ".join(f"{_key(f.level)} = {_number(f.leak)}" for f in mine) + " }")
        lines.append(f"[{_key(cat.id)}.causes]")
        for link in mine[0].links:
            p = {f.level: next(k.p for k in f.links if k.cause == link.cause) for f in mine}
            lines.append(f"{_key(link.cause)} = {{ " + ", ".join(f"{_key(s)} = {_number(n)}" for s, n in p.items()) + " }")
        lines.append("")
    return "\n".join(lines)


def write_knowledge_base(kb, path):
    """Write ``kb`` as a knowledge-base folder at ``path`` (created if needed; files overwritten).

    Returns
    -------
    pathlib.Path
        The folder.
    """
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in knowledge_base_files(kb).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
