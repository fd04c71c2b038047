"""Each file's section of a knowledge base, read and checked: sources, risk factors, causes and their
groups, findings (with category findings), red-flag rules, aliases and test burdens.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from twitchnet import limits
from twitchnet.kb.fields import _ID_CHARS, _check_id, _entry, _number, _only_keys, _real, _table, _text
from twitchnet.kb.reading import _err
from twitchnet.kb.schema import (
    CategoryFinding,
    Cause,
    CauseGroup,
    Effect,
    Finding,
    Link,
    Number,
    RedFlagRule,
    RiskFactor,
    Source,
)
from twitchnet.limits import (  # every limit, in one place; the kernel is compiled to the same numbers
    MAX_CAUSES,
    MAX_INTERACTION,
    MAX_STATES,
)

__all__: list[str] = []


def _load_sources(data: Mapping[str, Any]) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for sid, entry in data.items():
        where = f"sources.toml: {sid}"
        entry = _table(where, entry)
        _only_keys(where, entry, {"citation", "url"})
        if not sid or any(c.isspace() for c in sid):
            raise _err(where, "a source id without spaces", sid)
        out[sid] = Source(sid, _text(f"{where}.citation", entry.get("citation")), _text(f"{where}.url", entry.get("url", ""), required=False))
    if "judgement" not in out:
        raise _err("sources.toml: judgement", "an entry for the reserved id 'judgement'", "nothing")
    return out


def _load_risk_factors(data: Mapping[str, Any], sources: Mapping[str, Source]) -> dict[str, RiskFactor]:
    out: dict[str, RiskFactor] = {}
    for rid, entry in data.items():
        where = f"risk_factors.toml: {rid}"
        _check_id(where, rid)
        entry = _table(where, entry)
        kind = entry.get("kind", "binary")
        meaning = _text(f"{where}.meaning", entry.get("meaning"))
        if kind == "binary":
            _only_keys(where, entry, {"meaning", "kind", "prior", "parent", "test"})
            parent = entry.get("parent")
            test = entry.get("test")
            if test is not None:
                test = _text(f"{where}.test", test)
                if parent is None:
                    raise _err(f"{where}.parent", "the risk factor this test result measures (a test needs a parent)", None)
            if parent is None:
                prior: tuple[Number, ...] = (_number(f"{where}.prior", entry.get("prior"), sources),)
            else:
                if not isinstance(parent, str) or parent not in out:
                    raise _err(f"{where}.parent", "a risk factor defined earlier in the file", parent)
                if parent == rid:
                    raise _err(f"{where}.parent", "another risk factor (a cycle is not allowed)", parent)
                if out[parent].parent is not None:
                    raise _err(f"{where}.parent", "a root risk factor (parents of parents are not supported)", parent)
                raw = entry.get("prior")
                parent_states = out[parent].states
                if not isinstance(raw, list) or len(raw) != len(parent_states):
                    raise _err(f"{where}.prior", f"a list of {len(parent_states)} numbers, one per state of {parent}", raw)
                prior = tuple(_number(f"{where}.prior[{i}]", r, sources, structural_ok=True) for i, r in enumerate(raw))
            out[rid] = RiskFactor(rid, meaning, "binary", ("False", "True"), prior, parent, test=test)
        elif kind in ("category", "number"):
            allowed = {"meaning", "kind", "states", "prior"} | ({"edges", "min", "max", "unit"} if kind == "number" else set())
            _only_keys(where, entry, allowed)
            states = entry.get("states")
            if isinstance(states, list) and len(states) > MAX_STATES:
                raise _err(f"{where}.states", f"at most {MAX_STATES} states", f"{len(states)} states")
            if not isinstance(states, list) or len(states) < 2 or not all(isinstance(s, str) and s for s in states) or len(set(states)) != len(states):
                raise _err(f"{where}.states", "a list of at least two distinct state names", states)
            raw = entry.get("prior")
            if not isinstance(raw, list) or len(raw) != len(states):
                raise _err(f"{where}.prior", f"a list of {len(states)} numbers, one per state", raw)
            prior = tuple(_number(f"{where}.prior[{i}]", r, sources) for i, r in enumerate(raw))
            total = sum(n.value for n in prior)
            if abs(total - 1.0) > 1e-9:
                raise _err(f"{where}.prior", "values that sum to 1", f"a sum of {total!r}")
            extra: dict[str, Any] = {}
            if kind == "number":
                edges = entry.get("edges")
                if not isinstance(edges, list) or len(edges) != len(states) + 1:
                    raise _err(f"{where}.edges", f"a list of {len(states) + 1} increasing numbers", edges)
                edges = tuple(_real(f"{where}.edges", e) for e in edges)
                if any(b <= a for a, b in zip(edges, edges[1:])):
                    raise _err(f"{where}.edges", "strictly increasing numbers", list(edges))
                lo = _real(f"{where}.min", entry.get("min", edges[0]))
                hi = _real(f"{where}.max", entry.get("max", edges[-1]))
                if not (edges[0] <= lo <= hi < edges[-1]):
                    raise _err(f"{where}.min/max", f"edges[0] <= min <= max < edges[-1] = {edges[-1]}", (lo, hi))
                extra = dict(edges=edges, low=lo, high=hi, unit=_text(f"{where}.unit", entry.get("unit", ""), required=False))
            out[rid] = RiskFactor(rid, meaning, kind, tuple(states), prior, None, **extra)
        else:
            raise _err(f"{where}.kind", "'binary', 'category' or 'number'", kind)
    return out


def _effect_condition(ewhere: str, part: str, key: str, rfs: Mapping[str, RiskFactor]) -> tuple[str, str]:
    """One ``factor`` or ``factor=state`` condition of an effect key, validated."""
    factor, _, state = part.partition("=")
    if factor not in rfs:
        raise _err(ewhere, "a risk factor id from risk_factors.toml", factor)
    rf = rfs[factor]
    if rf.kind == "binary":
        if state not in ("", "True"):
            raise _err(ewhere, f"'{factor}' alone (a yes/no factor)", key)
        return factor, "True"
    if state not in rf.states:
        raise _err(ewhere, f"'{factor}=<state>' with a state in {list(rf.states)}", key)
    if state == rf.states[0]:
        raise _err(ewhere, f"a state other than the reference state {rf.states[0]!r}", key)
    return factor, state


def _load_groups(data: Any, causes: Mapping[str, Cause]) -> tuple[CauseGroup, ...]:
    """``[groups.<id>]`` of causes.toml: each group's meaning and members (at least two causes)."""
    out: list[CauseGroup] = []
    for gid, entry in _table("causes.toml: groups", data).items():
        where = f"causes.toml: groups.{gid}"
        entry = _entry(where, gid, entry, {"meaning", "members"})
        if gid in causes:
            raise _err(where, "a group id that is not a cause id", gid)
        members = entry.get("members")
        if not isinstance(members, list) or len(members) < 2 or len(set(map(str, members))) != len(members):
            raise _err(f"{where}.members", "a list of at least two distinct cause ids", members)
        for m in members:
            if m not in causes:
                raise _err(f"{where}.members", "cause ids from causes.toml", m)
        out.append(CauseGroup(gid, _text(f"{where}.meaning", entry.get("meaning")), tuple(members)))
    return tuple(out)


def _load_causes(data: Mapping[str, Any], sources: Mapping[str, Source], rfs: Mapping[str, RiskFactor]) -> dict[str, Cause]:
    data = {k: v for k, v in data.items() if k != "groups"}  # [groups] is read by _load_groups
    if len(data) > limits.MAX_MODEL_CAUSES:
        raise _err("causes.toml", f"at most {limits.MAX_MODEL_CAUSES} causes (twitchnet.limits.MAX_MODEL_CAUSES; past {MAX_CAUSES} only Quickscore runs)", f"{len(data)} causes")
    out = {}
    for cid, entry in data.items():
        where = f"causes.toml: {cid}"
        entry = _entry(where, cid, entry, {"name", "meaning", "care", "summary", "advice", "baseline", "effects"})
        care = entry.get("care")
        if care not in ("clinician", "self_care"):
            raise _err(f"{where}.care", "'clinician' or 'self_care'", care)
        baseline = _number(f"{where}.baseline", entry.get("baseline"), sources)
        effects: list[Effect] = []
        seen: dict[frozenset[tuple[str, str]], str] = {}
        for key, value in _table(f"{where}.effects", entry.get("effects", {})).items():
            ewhere = f"{where}.effects.{key}"
            conditions = tuple(_effect_condition(ewhere, part.strip(), key, rfs) for part in key.split("&"))
            factors = [f for f, _ in conditions]
            if len(set(factors)) != len(factors):
                raise _err(ewhere, "each risk factor at most once in an interaction", key)
            if len(conditions) > MAX_INTERACTION:
                raise _err(ewhere, f"an interaction of at most {MAX_INTERACTION} conditions", f"{len(conditions)} conditions")
            ident = frozenset(conditions)
            if ident in seen:
                raise _err(ewhere, "conditions not already used by another effect of this cause", f"the same conditions as {seen[ident]!r}")
            seen[ident] = key
            (factor, state), also = conditions[0], conditions[1:]
            effects.append(Effect(factor, state, _number(ewhere, value, sources, kind="odds_ratio"), also))
        out[cid] = Cause(
            cid,
            _text(f"{where}.name", entry.get("name")),
            _text(f"{where}.meaning", entry.get("meaning")),
            care,
            _text(f"{where}.summary", entry.get("summary")),
            _text(f"{where}.advice", entry.get("advice")),
            baseline,
            tuple(effects),
        )
    if not out:
        raise _err("causes.toml", "at least one cause", "none")
    return out


def _load_links(where: str, entry: Mapping[str, Any], sources: Mapping[str, Source], causes: Mapping[str, Cause]) -> list[tuple[str, Any]]:
    links: list[tuple[str, Any]] = []
    for cid, value in _table(f"{where}.causes", entry.get("causes", {})).items():
        if cid not in causes:
            raise _err(f"{where}.causes.{cid}", "a cause id from causes.toml", cid)
        links.append((cid, value))
    if not links:
        raise _err(f"{where}.causes", "at least one cause link", "none")
    return links


def _load_category(fid: str, where: str, entry: Mapping[str, Any], sources: Mapping[str, Source],
                   causes: Mapping[str, Cause]) -> tuple[CategoryFinding, list[Finding]]:
    """A category finding (``states`` given): one level finding per state after the first, each an
    ordinary noisy-OR (see :class:`twitchnet.kb.schema.CategoryFinding`).
    """
    states = entry.get("states")
    if not isinstance(states, list) or not 2 <= len(states) <= MAX_STATES or not all(isinstance(x, str) and x and set(x) <= _ID_CHARS for x in states) \
            or len(set(states)) != len(states):
        raise _err(f"{where}.states", f"a list of 2 to {MAX_STATES} distinct state names (lower-case letters, digits, underscores), in increasing order", states)
    if entry.get("red_flag", False) or entry.get("test") is not None:
        raise _err(where, "a category finding that is neither a red flag nor a test", "red_flag or test")
    meaning = _text(f"{where}.meaning", entry.get("meaning"))
    leak = _table(f"{where}.leak", entry.get("leak"))
    _only_keys(f"{where}.leak", leak, states[1:])
    links = _load_links(where, entry, sources, causes)
    levels: list[Finding] = []
    for state in states[1:]:
        if state not in leak:
            raise _err(f"{where}.leak.{state}", "a number for every state after the first", "nothing")
        lvl_links: list[Link] = []
        for cid, value in links:
            value = _table(f"{where}.causes.{cid}", value)
            _only_keys(f"{where}.causes.{cid}", value, states[1:])
            if state not in value:
                raise _err(f"{where}.causes.{cid}.{state}", "a number for every state after the first", "nothing")
            lvl_links.append(Link(cid, _number(f"{where}.causes.{cid}.{state}", value[state], sources)))
        levels.append(Finding(f"{fid}__{state}", f"{meaning} (level {state!r})", _number(f"{where}.leak.{state}", leak[state], sources),
                              tuple(lvl_links), exam=bool(entry.get("exam", False)), category=fid, level=state))
    return CategoryFinding(fid, meaning, tuple(states), tuple(f.id for f in levels)), levels


def _load_findings(data: Mapping[str, Any], sources: Mapping[str, Source],
                   causes: Mapping[str, Cause]) -> tuple[dict[str, Finding], tuple[CategoryFinding, ...]]:
    out: dict[str, Finding] = {}
    categories: list[tuple[CategoryFinding, list[Finding]]] = []
    for fid, entry in data.items():
        where = f"findings.toml: {fid}"
        entry = _entry(where, fid, entry, {"meaning", "leak", "causes", "red_flag", "test", "exam", "states"})
        exam = entry.get("exam", False)
        if not isinstance(exam, bool):
            raise _err(f"{where}.exam", "true or false", exam)
        if "states" in entry:
            category, levels = _load_category(fid, where, entry, sources, causes)
            categories.append((category, levels))
            continue
        red = entry.get("red_flag", False)
        if not isinstance(red, bool):
            raise _err(f"{where}.red_flag", "true or false", red)
        test = entry.get("test")
        if test is not None:
            test = _text(f"{where}.test", test)
            if exam:
                raise _err(f"{where}.exam", "false for a test result (a finding is one of history, examination or test)", exam)
        links = [Link(cid, _number(f"{where}.causes.{cid}", value, sources)) for cid, value in _load_links(where, entry, sources, causes)]
        leak = _number(f"{where}.leak", entry.get("leak"), sources)
        for link in links:
            # a link derived from a sensitivity subtracts the finding's leak: it must be this one
            figures = dict(link.p.derive[1]) if link.p.derive else {}
            if "leak" in figures and figures["leak"] != leak.value:
                raise _err(f"{where}.causes.{link.cause}.derive.leak", f"the finding's own leak, {leak.value:g}", figures["leak"])
        out[fid] = Finding(fid, _text(f"{where}.meaning", entry.get("meaning")), leak, tuple(links), red, test, exam)
    for _, levels in categories:  # level findings last: the yes/no findings keep columns 0..n-1
        out.update((f.id, f) for f in levels)
    return out, tuple(c for c, _ in categories)


def _load_red_flags(data: Mapping[str, Any], sources: Mapping[str, Source], findings: Mapping[str, Finding],
                    rfs: Mapping[str, RiskFactor]) -> tuple[dict[str, str], tuple[RedFlagRule, ...]]:
    where = "red_flags.toml"
    _only_keys(where, data, {"flags", "rules"})
    flags: dict[str, str] = {}
    for fid, entry in _table(f"{where}: flags", data.get("flags", {})).items():
        fw = f"{where}: flags.{fid}"
        entry = _entry(fw, fid, entry, {"meaning"})
        flags[fid] = _text(f"{fw}.meaning", entry.get("meaning"))
    for f in findings.values():
        if f.red_flag and f.id not in flags:
            raise _err(f"{where}: flags.{f.id}", f"an entry, since findings.toml marks {f.id} red_flag = true", "nothing")
    for fid in flags:
        if fid in findings and not findings[fid].red_flag:
            raise _err(f"findings.toml: {fid}.red_flag", "true, since red_flags.toml lists it as a flag", False)
    # besides red flags, a rule may name yes/no findings and risk factors that are warning signs only
    # in combination (NICE CKS sciatica: a history of cancer, fever or weight loss with back pain)
    conditions = set(flags) | set(findings) | {r.id for r in rfs.values() if r.kind == "binary"}
    rules: list[RedFlagRule] = []
    for rid, entry in _table(f"{where}: rules", data.get("rules", {})).items():
        rw = f"{where}: rules.{rid}"
        entry = _entry(rw, rid, entry, {"level", "all", "any", "title", "advice", "source"})
        level = entry.get("level")
        if level not in ("urgent", "emergency"):
            raise _err(f"{rw}.level", "'urgent' or 'emergency'", level)
        parts: dict[str, tuple[str, ...]] = {}
        for k in ("all", "any"):
            ids = entry.get(k, [])
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise _err(f"{rw}.{k}", "a list of red-flag ids", ids)
            for i in ids:
                if i not in conditions:
                    raise _err(f"{rw}.{k}", "red-flag ids listed under [flags], or yes/no findings and risk factors", i)
            parts[k] = tuple(ids)
        if not parts["all"] and not parts["any"]:
            raise _err(rw, "at least one id in `all` or `any`", "neither")
        source = entry.get("source")
        if not isinstance(source, str) or source not in sources:
            raise _err(f"{rw}.source", "an id from sources.toml", source)
        rules.append(RedFlagRule(rid, level, parts["all"], parts["any"], _text(f"{rw}.title", entry.get("title")), _text(f"{rw}.advice", entry.get("advice")), source))
    # Safety: every flag alone must fire some rule, so no flag can be present without `urgent`.
    for fid in flags:
        if not any(set(r.all_of) <= {fid} and (not r.any_of or fid in r.any_of) for r in rules):
            raise _err(f"{where}: flags.{fid}", "a rule that fires on this flag alone (all = [\"%s\"])" % fid, "no such rule")
    return flags, tuple(rules)


def _load_aliases(data: Mapping[str, Any], known: Collection[str], causes: Collection[str] = ()) -> dict[str, str]:
    out: dict[str, str] = {}
    for alias, target in data.items():
        where = f"aliases.toml: {alias}"
        _check_id(where, alias)
        if alias in known:
            raise _err(where, "an alias that is not itself an id", alias)
        if alias in causes:  # evidence would read it as the finding, fit as a diagnosis column
            raise _err(where, "an alias that is not a cause or cause-group id", alias)
        if not isinstance(target, str) or target not in known:
            raise _err(where, "the id of a risk factor, finding or red flag", target)
        out[alias] = target
    return out


def _load_burdens(data: Any, sources: Mapping[str, Source], findings: Mapping[str, Finding], rfs: Mapping[str, RiskFactor]) -> dict[str, Number]:
    """``[burden]`` of model.toml: per test text (as findings and measured risk factors write
    ``test``), its burden relative to a blood test, a number with source and range. When the table
    is given, every test text must have one and every key must be a test text.
    """
    if data is None:
        return {}
    data = _table("model.toml: burden", data)
    used = list(dict.fromkeys([f.test for f in findings.values() if f.test is not None] + [r.test for r in rfs.values() if r.test is not None]))
    for key in data:
        if key not in used:
            raise _err(f"model.toml: burden.{key}", "the test text of some finding or measured risk factor (" + ", ".join(map(repr, used)) + ")", key)
    for key in used:
        if key not in data:
            raise _err(f"model.toml: burden.{key}", "a burden for every kind of test the knowledge base names", "nothing")
    return {key: _number(f"model.toml: burden.{key}", data[key], sources, kind="burden") for key in used}
