"""Load and validate a knowledge base from TOML files.

A knowledge base is a folder (or the packaged ``twitchnet/data/default``) holding
``model.toml``, ``sources.toml``, ``risk_factors.toml``, ``causes.toml``, ``findings.toml``,
``red_flags.toml`` and ``aliases.toml``. Files are parsed with :mod:`tomllib`: data only, no code
is ever evaluated. Every problem raises :class:`~twitchnet.errors.KnowledgeBaseError` whose
message names the file, the entry and the problem.
"""

from __future__ import annotations

import hashlib
import math
import numbers
import os
import re
from pathlib import Path

from twitchnet import limits
from twitchnet._memo import cached, memo
from twitchnet._validation import fail
from twitchnet.errors import KnowledgeBaseError
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
from twitchnet.limits import (  # every limit, in one place; the kernel is compiled to the same numbers
    MAX_CAUSES,
    MAX_CELLS,
    MAX_DOTS_PER_LINE,
    MAX_FILE_BYTES,
    MAX_FINDINGS,
    MAX_INTERACTION,
    MAX_MODEL_BYTES,
    MAX_NESTING,
    MAX_ODDS_RATIO,
    MAX_PATTERN_CELLS,
    MAX_STATES,
)

__all__ = ["FILES", "PACKAGED", "is_packaged", "knowledge_base_from_data", "load_knowledge_base"]

#: The ``location`` of the packaged knowledge base (every other is its folder's path). A record of
#: where the files were, for provenance and reloading: :func:`is_packaged` decides what is packaged.
PACKAGED = "twitchnet:data/default"

FILES = (
    "model.toml",
    "sources.toml",
    "risk_factors.toml",
    "causes.toml",
    "findings.toml",
    "red_flags.toml",
    "aliases.toml",
)
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")
_LEXEME = re.compile(
    "|".join(
        (
            r'"""(?:[^\\]|\\.)*?"""',  # multi-line basic string
            r"'''.*?'''",  # multi-line literal string
            r'"(?:[^"\\\n]|\\.)*"',  # basic string
            r"'[^'\n]*'",  # literal string
            r"#[^\n]*",  # comment
            r"(?<![\w.-])[+-]?\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d[\d_]*)?(?![\w.])",  # a number: its dot is no key
            r"[\n.\[\]{}]",  # what is counted
        )
    ),
    re.DOTALL,
)


def _err(where, expected, got):
    return fail(KnowledgeBaseError, where, expected, got)


def check_shape(name, text, error=KnowledgeBaseError):
    """Reject text that would make the TOML parser itself blow up (see ``MAX_DOTS_PER_LINE``).

    A lexical pass that skips strings and comments; tomllib still parses the text afterwards.
    JSON text passes through it too (its strings and numbers are TOML's), which bounds the
    nesting of a vignette file. Raises ``error`` naming ``name`` and the line.
    """

    def _err(where, expected, got):
        return fail(error, where, expected, got)

    line, dots, depth = 1, 0, 0
    for m in _LEXEME.finditer(text):
        tok = m.group()
        if tok == "\n":
            line, dots = line + 1, 0
        elif tok == ".":
            dots += 1
            if dots > MAX_DOTS_PER_LINE:
                raise _err(f"{name}: line {line}", f"at most {MAX_DOTS_PER_LINE} dots outside strings on one line (dotted keys that deep are not supported)", "more")
        elif tok in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                nested = "arrays and inline tables" if error is KnowledgeBaseError else "arrays and objects"
                raise _err(f"{name}: line {line}", f"{nested} nested at most {MAX_NESTING} deep", "deeper nesting")
        elif tok in ("]", "}"):
            depth = max(depth - 1, 0)
        else:
            line += tok.count("\n")


def _footprint(n_findings, n_causes, ctx, private, n_rf, most_states):
    """Estimated bytes of the largest arrays a compiled model builds (model._compile, inference.Arrays,
    engine.Plan), from sizes alone.

    ``ctx`` lists the state counts of the shared factors; ``private`` holds, per cause, the state
    counts of its private factors; ``most_states`` is the largest state count of any factor.
    """
    k = math.prod(ctx)
    p_ctx = math.prod(n + 1 for n in ctx)
    joint = [math.prod(m) for m in private]
    patterns = [math.prod(n + 1 for n in m) for m in private]
    j_all = sum(joint)
    s = 2**n_causes
    floats = (
        p_ctx * k * (1 + len(ctx) / 8)  # context weights and their consistency mask
        + max((p * j * (1 + len(m) / 8) for p, j, m in zip(patterns, joint, private)), default=0)  # one cause's pattern mask
        + 4 * sum(patterns) * k  # pattern tables, and all of them gathered in one array
        + 4 * j_all * k * n_causes  # the private weights of every (context, cause) pair, twice
        + 2 * k * max(joint, default=1)  # one cause's private weights
        + (13 * n_findings * s if limits.enumeration_ok(n_causes, k) else 4 * n_findings * n_causes)  # finding tables over the 2**causes joint states (enumeration only), or Quickscore's links
    )
    masks = (n_rf + len(ctx)) * (most_states + 1) * max(j_all, k)  # bool lookup tables
    return int(8 * floats + masks)


def _check_size(rfs, causes, n_findings=0):
    """Structural limits that keep exact inference compilable (see :mod:`twitchnet.limits`),
    checked from the sizes alone, before any table is built (the number of causes is checked
    before they are read: ``_load_causes``).
    """
    from twitchnet.kb.structure import parents_and_context

    parents, shared = parents_and_context(list(rfs.values()), list(causes.values()))
    k = math.prod(len(rfs[f].states) for f in shared)
    if k > limits.MAX_CONTEXT_STATES:
        raise _err(
            "causes.toml",
            f"joint states of the shared risk factors at most {limits.MAX_CONTEXT_STATES} (every engine sums over them)",
            f"{k} (shared factors: {', '.join(sorted(shared))})",
        )
    private = {}
    for cid, factors in parents.items():
        own = [len(rfs[f].states) for f in factors if f not in shared]
        j = math.prod(own)
        if k * j > MAX_CELLS:
            raise _err(f"causes.toml: {cid}.effects", f"risk factors with at most {MAX_CELLS} joint states", f"{k * j} joint states")
        patterns = math.prod(n + 1 for n in own)
        if patterns * max(k, j) > MAX_PATTERN_CELLS:
            raise _err(
                f"causes.toml: {cid}.effects",
                f"private risk factors with at most {MAX_PATTERN_CELLS} observation patterns (each factor unknown or in a state) "
                f"times max(shared joint states, private joint states)",
                f"{patterns} * {max(k, j)} ({len(own)} private factors)",
            )
        private[cid] = own
    ctx = [len(rfs[f].states) for f in shared]
    need = _footprint(n_findings, len(causes), ctx, list(private.values()), len(rfs), max((len(r.states) for r in rfs.values()), default=2))
    if need > MAX_MODEL_BYTES:
        raise _err("causes.toml", f"a network whose tables take at most {MAX_MODEL_BYTES // 2**20} MiB", f"about {need // 2**20} MiB")


def read_bounded(path, name, *, error=KnowledgeBaseError, what="a TOML file"):
    """The text of one file, read with the loader's guards; raises ``error`` naming ``name``.

    Refuses a special file (FIFO, device or socket: checked on the opened descriptor, which is
    opened without blocking, so a FIFO never hangs), reads at most :data:`MAX_FILE_BYTES` plus
    one byte (a huge or endless file such as ``/dev/zero`` is never read whole), and decodes
    UTF-8. ``path`` is a :class:`~pathlib.Path` or an ``importlib.resources`` traversable. Used
    by the knowledge-base loader and :func:`twitchnet.vignettes.load_vignettes`; the text's
    nesting is checked by :func:`check_shape`.
    """
    import os
    import stat

    def fail_(expected, got):
        return fail(error, name, expected, got)

    try:
        if isinstance(path, (str, os.PathLike)):
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            try:
                mode = os.fstat(fd).st_mode
                if stat.S_ISDIR(mode):
                    raise IsADirectoryError(f"is a directory: {os.fspath(path)!r}")
                if not stat.S_ISREG(mode):
                    raise fail_("a regular file", "a special file (FIFO, device or socket)")
            except BaseException:
                os.close(fd)
                raise
            fh = os.fdopen(fd, "rb")
        else:
            fh = path.open("rb")
        with fh:  # at most one byte past the limit: a huge (or sparse) file is never read whole
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise fail_("a file in the knowledge-base folder" if error is KnowledgeBaseError else "a readable file", "no such file") from None
    except OSError as exc:
        raise fail_("a readable file", f"{type(exc).__name__}: {exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail_(f"{what} of at most {MAX_FILE_BYTES} bytes", "a larger file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail_("UTF-8 text", f"undecodable bytes at offset {exc.start}") from None


def _read(folder, name):
    """Return (raw bytes, parsed dict) of one file, or raise KnowledgeBaseError."""
    path = folder / name
    if isinstance(path, Path) and path.is_symlink():
        # a link out of the folder would read (and echo in messages) a file that is not the KB's
        target = path.resolve()
        if not target.is_relative_to(folder.resolve()):
            raise _err(name, "a file inside the knowledge-base folder (a symbolic link may point only inside it)", f"a link to {target}")
    text = read_bounded(path, name)
    raw = text.encode("utf-8")
    check_shape(name, text)
    import tomllib  # only when a file is parsed: a cached default knowledge base needs none

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _err(name, "valid TOML", f"a syntax error: {exc}") from None  # exc names line and column
    except RecursionError:
        raise _err(name, "valid TOML", "nesting too deep to parse") from None
    except ValueError as exc:  # e.g. an integer too long to convert
        raise _err(name, "valid TOML", f"a value it cannot read: {exc}") from None
    return raw, data


def _table(where, value):
    if not isinstance(value, dict):
        raise _err(where, "a table", value)
    return value


def _text(where, value, *, required=True):
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _err(where, "a non-empty string", value)
    return value


def _check_id(where, key):
    if not key or not set(key) <= _ID_CHARS or not key[0].isalpha():
        raise _err(where, "an id of lower-case letters, digits and underscores", key)


def _only_keys(where, table, allowed):
    extra = sorted(set(table) - set(allowed))
    if extra:
        raise _err(where, "only the fields " + ", ".join(sorted(allowed)), f"unknown field {extra[0]!r}")


def _entry(where, eid, entry, allowed):
    """Check one entry's id, that it is a table, and its field names; return the table."""
    _check_id(where, eid)
    entry = _table(where, entry)
    _only_keys(where, entry, allowed)
    return entry


def _real(where, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _err(where, "a finite number", value)
    try:
        out = float(value)  # an integer like 10**400 has no float
    except OverflowError:
        raise _err(where, "a finite number", f"an integer of {len(str(abs(value)))} digits") from None
    if not math.isfinite(out):
        raise _err(where, "a finite number", value)
    return out


def _derive(where, value, raw):
    """Check an entry's ``derive`` table against its written value; return ``(method, figures)``.

    The value is recomputed with :func:`twitchnet.kb.convert.derive` and must agree with the written
    one to two significant figures (:func:`twitchnet.kb.convert.agrees`): a derived 4.919 may be
    written 4.9 or 4.92, not 5.0.
    """
    from twitchnet.errors import ConversionError
    from twitchnet.kb import convert

    dwhere = f"{where}.derive"
    t = _table(dwhere, raw)
    method = t.get("method")
    if not isinstance(method, str):
        raise _err(f"{dwhere}.method", "the name of a conversion: " + ", ".join(sorted(convert.METHODS)), method)
    figures = {}
    for k, v in t.items():
        if k != "method":
            figures[k] = _real(f"{dwhere}.{k}", v)
    try:
        derived = convert.derive(method, **figures)
    except ConversionError as exc:
        key = "method" if exc.key == "method" else exc.key
        raise fail(KnowledgeBaseError, f"{dwhere}.{key}", exc.expected, exc.got, exc.suggestions) from None
    if not math.isfinite(derived):  # figures at the ends of the float range (1e308 / 1e-308)
        shown = ", ".join(f"{k}={v:g}" for k, v in figures.items())
        raise _err(dwhere, f"figures from which {method} derives a finite number", f"{derived} from {shown}")
    if not convert.agrees(value, derived):
        shown = ", ".join(f"{k}={v:g}" for k, v in figures.items())
        raise _err(
            f"{where}.value",
            f"{derived:.4g} as derived by {method}({shown}), written to two or more significant figures "
            f"(within {convert.tolerance(derived):g})",
            value,
        )
    return method, tuple(figures.items())


def _number(where, value, sources, *, kind="probability", structural_ok=False):
    """Parse an inline table {value, low, high, source, note, structural, derive} into a Number.

    ``kind`` is "probability" (open interval (0, 1)), "odds_ratio" (positive) or "burden" (a
    positive number: a test's burden relative to a blood test). ``derive`` names a
    conversion of :mod:`twitchnet.kb.convert` and the published figures it takes; the written
    value must agree with it (see :func:`_derive`).
    """
    t = _table(where, value)
    _only_keys(where, t, {"value", "low", "high", "source", "note", "structural", "derive"})
    for k in ("value", "low", "high", "source"):
        if k not in t:
            raise _err(f"{where}.{k}", "a value (every number needs value, low, high and source)", "nothing")
    v = _real(f"{where}.value", t["value"])
    lo = _real(f"{where}.low", t["low"])
    hi = _real(f"{where}.high", t["high"])
    structural = t.get("structural", False)
    if not isinstance(structural, bool):
        raise _err(f"{where}.structural", "true or false", structural)
    if structural:
        if not structural_ok:
            raise _err(f"{where}.structural", "no structural zero here (only in a conditional risk-factor prior)", True)
        if not (v == lo == hi == 0.0):
            raise _err(f"{where}.value", "0 with low = high = 0 for a structural zero", v)
    elif kind == "probability":
        if not 0.0 < v < 1.0:
            raise _err(f"{where}.value", "a probability in (0, 1)", v)
        if not 0.0 <= lo <= hi <= 1.0:
            raise _err(f"{where}.low/high", "0 <= low <= high <= 1", (lo, hi))
    elif kind == "burden":
        if not 0.0 < lo <= v <= hi <= MAX_ODDS_RATIO:
            raise _err(f"{where}.value", f"a positive burden inside its range, 0 < low <= value <= high <= {MAX_ODDS_RATIO:g}", (lo, v, hi))
    else:
        if not v > 0.0:
            raise _err(f"{where}.value", "a positive odds ratio", v)
        if not 0.0 < lo <= hi:
            raise _err(f"{where}.low/high", "0 < low <= high", (lo, hi))
        for k, x in (("value", v), ("low", lo), ("high", hi)):
            if not 1.0 / MAX_ODDS_RATIO <= x <= MAX_ODDS_RATIO:
                raise _err(f"{where}.{k}", f"an odds ratio from {1.0 / MAX_ODDS_RATIO:g} to {MAX_ODDS_RATIO:g}", x)
    if not lo <= v <= hi:
        raise _err(f"{where}.value", f"a value inside its range [{lo}, {hi}]", v)
    source = t["source"]
    if not isinstance(source, str) or source not in sources:
        raise _err(f"{where}.source", "an id from sources.toml", source)
    note = _text(f"{where}.note", t.get("note"), required=source in ("judgement", "ks-s5"))
    derive = _derive(where, v, t["derive"]) if "derive" in t else ()
    return Number(v, lo, hi, source, note, structural, derive)


def _load_sources(data):
    out = {}
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


def _load_risk_factors(data, sources):
    out = {}
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
                prior = (_number(f"{where}.prior", entry.get("prior"), sources),)
            else:
                if not isinstance(parent, str) or parent not in out:
                    raise _err(f"{where}.parent", "a risk factor defined earlier in the file", parent)
                if parent == rid:
                    raise _err(f"{where}.parent", "another risk factor (a cycle is not allowed)", parent)
                if out[parent].parent is not None:
                    raise _err(f"{where}.parent", "a root risk factor (parents of parents are not supported)", parent)
                raw = entry.get("prior")
                states = out[parent].states
                if not isinstance(raw, list) or len(raw) != len(states):
                    raise _err(f"{where}.prior", f"a list of {len(states)} numbers, one per state of {parent}", raw)
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
            extra = {}
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


def _effect_condition(ewhere, part, key, rfs):
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


def _load_groups(data, causes):
    """``[groups.<id>]`` of causes.toml: each group's meaning and members (at least two causes)."""
    out = []
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


def _load_causes(data, sources, rfs):
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
        effects, seen = [], {}
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


def _load_links(where, entry, sources, causes):
    links = []
    for cid, value in _table(f"{where}.causes", entry.get("causes", {})).items():
        if cid not in causes:
            raise _err(f"{where}.causes.{cid}", "a cause id from causes.toml", cid)
        links.append((cid, value))
    if not links:
        raise _err(f"{where}.causes", "at least one cause link", "none")
    return links


def _load_category(fid, where, entry, sources, causes):
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
    levels = []
    for state in states[1:]:
        if state not in leak:
            raise _err(f"{where}.leak.{state}", "a number for every state after the first", "nothing")
        lvl_links = []
        for cid, value in links:
            value = _table(f"{where}.causes.{cid}", value)
            _only_keys(f"{where}.causes.{cid}", value, states[1:])
            if state not in value:
                raise _err(f"{where}.causes.{cid}.{state}", "a number for every state after the first", "nothing")
            lvl_links.append(Link(cid, _number(f"{where}.causes.{cid}.{state}", value[state], sources)))
        levels.append(Finding(f"{fid}__{state}", f"{meaning} (level {state!r})", _number(f"{where}.leak.{state}", leak[state], sources),
                              tuple(lvl_links), exam=bool(entry.get("exam", False)), category=fid, level=state))
    return CategoryFinding(fid, meaning, tuple(states), tuple(f.id for f in levels)), levels


def _load_findings(data, sources, causes):
    out, categories = {}, []
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


def _load_red_flags(data, sources, findings, rfs):
    where = "red_flags.toml"
    _only_keys(where, data, {"flags", "rules"})
    flags = {}
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
    rules = []
    for rid, entry in _table(f"{where}: rules", data.get("rules", {})).items():
        rw = f"{where}: rules.{rid}"
        entry = _entry(rw, rid, entry, {"level", "all", "any", "title", "advice", "source"})
        level = entry.get("level")
        if level not in ("urgent", "emergency"):
            raise _err(f"{rw}.level", "'urgent' or 'emergency'", level)
        parts = {}
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


def _load_aliases(data, known, causes=()):
    out = {}
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


def load_knowledge_base(path: str | os.PathLike[str] | None = None) -> KnowledgeBase:
    """Load and validate a knowledge base.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A folder holding the seven TOML files; the packaged default knowledge base when omitted.

    Returns
    -------
    KnowledgeBase

    Raises
    ------
    KnowledgeBaseError
        Naming the file, the entry and the problem.
    """
    if path is None:
        folder = _default_folder()
        location = PACKAGED
        hit = _cache_read(folder)
        if hit is not None:
            return _mark_packaged(hit)
    else:
        folder = Path(path)
        location = str(folder)
        if not folder.is_dir():
            raise _err(str(path), "a folder holding " + ", ".join(FILES), "no such folder")
    digest = hashlib.sha256()
    parsed = {}
    for name in FILES:
        raw, parsed[name] = _read(folder, name)
        digest.update(name.encode() + b"\0" + raw + b"\0")
    kb = _build(parsed, digest.hexdigest(), location)
    if path is None:
        _cache_write(kb)
        _mark_packaged(kb)
    return kb


def _mark_packaged(kb):
    memo(kb, "packaged", lambda: True)
    return kb


def is_packaged(kb):
    """Whether ``kb`` is a knowledge base :func:`load_knowledge_base` read from the packaged files.

    Decided by identity, never from ``kb.location`` or ``kb.content_hash``: a copy with edited
    numbers (``dataclasses.replace``, a fit) keeps both fields but is a new object, so it is never
    taken for the packaged one.
    """
    return "packaged" in cached(kb)


def knowledge_base_from_data(data, location="memory"):
    """Validate a knowledge base held in memory, by the same rules as the files.

    Parameters
    ----------
    data : Mapping
        File name (``"model.toml"``, ... as in :data:`FILES`) -> the table that file would parse
        to (nested dicts, lists, strings and numbers).
    location : str
        Recorded as ``KnowledgeBase.location``.

    Returns
    -------
    KnowledgeBase
        Its ``content_hash`` is the SHA-256 of the data in canonical JSON.

    Raises
    ------
    KnowledgeBaseError
        Naming the file, the entry and the problem, as :func:`load_knowledge_base` does.
    """
    import json

    missing = [name for name in FILES if name not in data]
    if missing:
        raise _err(missing[0], "a table for every knowledge-base file", "nothing")
    try:
        blob = json.dumps({name: data[name] for name in FILES}, sort_keys=True, allow_nan=False).encode()
    except (TypeError, ValueError) as exc:
        raise _err("data", "tables of strings, numbers, lists and dicts", f"{type(exc).__name__}: {exc}") from None
    return _build({name: _table(name, data[name]) for name in FILES}, hashlib.sha256(blob).hexdigest(), location)


def _build(parsed, content_hash, location):
    """A validated KnowledgeBase from the parsed tables of the seven files."""
    model = parsed["model.toml"]
    _only_keys("model.toml", model, {"name", "version", "description", "population", "triage", "burden"})
    sources = _load_sources(parsed["sources.toml"])
    triage = _table("model.toml: triage", model.get("triage", {}))
    _only_keys("model.toml: triage", triage, {"routine_threshold"})
    threshold = _number("model.toml: triage.routine_threshold", triage.get("routine_threshold"), sources)
    rfs = _load_risk_factors(parsed["risk_factors.toml"], sources)
    causes = _load_causes(parsed["causes.toml"], sources, rfs)
    if len(parsed["findings.toml"]) > limits.MAX_MODEL_FINDINGS:  # before any entry is read
        raise _err("findings.toml", f"at most {limits.MAX_MODEL_FINDINGS} findings (twitchnet.limits.MAX_MODEL_FINDINGS; past {MAX_FINDINGS} the kernel is not used)", f"{len(parsed['findings.toml'])} findings")
    _check_size(rfs, causes, len(parsed["findings.toml"]))
    findings, categories = _load_findings(parsed["findings.toml"], sources, causes)
    groups = _load_groups(parsed["causes.toml"].get("groups", {}), causes)
    for c in categories:
        if c.id in rfs or c.id in causes or any(c.id == g.id for g in groups):
            raise _err(f"findings.toml: {c.id}", "an id not already used by a risk factor, cause or group", c.id)
    flags, rules = _load_red_flags(parsed["red_flags.toml"], sources, findings, rfs)
    for fid in flags:
        if fid in rfs or fid in causes:
            raise _err(f"red_flags.toml: flags.{fid}", "an id not already used by a risk factor or cause", fid)
    for fid in findings:
        if fid in rfs or fid in causes or (findings[fid].category and fid in flags):
            raise _err(f"findings.toml: {fid}", "an id not already used by a risk factor or cause", fid)
    for rid in rfs:
        if rid in causes:
            raise _err(f"risk_factors.toml: {rid}", "an id not already used by a cause", rid)
    used = {f for c in causes.values() for e in c.effects for f, _ in e.conditions} | {r.parent for r in rfs.values() if r.parent}
    used |= {r.id for r in rfs.values() if r.test is not None and r.parent in used}
    for rid in rfs:
        if rid not in used:
            raise _err(f"risk_factors.toml: {rid}", "a risk factor that some cause's effects (or another factor) use", "an unused factor")
    burdens = _load_burdens(model.get("burden"), sources, findings, rfs)
    known = set(rfs) | {f.id for f in findings.values() if not f.category} | {c.id for c in categories} | set(flags)
    aliases = _load_aliases(parsed["aliases.toml"], known, set(causes) | {g.id for g in groups})
    kb = KnowledgeBase(
        name=_text("model.toml: name", model.get("name")),
        version=_text("model.toml: version", model.get("version")),
        description=_text("model.toml: description", model.get("description", ""), required=False),
        population=_text("model.toml: population", model.get("population")),
        routine_threshold=threshold,
        sources=sources,
        risk_factors=tuple(rfs.values()),
        causes=tuple(causes.values()),
        findings=tuple(findings.values()),
        red_flags=flags,
        rules=rules,
        aliases=aliases,
        content_hash=content_hash,
        location=location,
        groups=groups,
        categories=categories,
        burdens=burdens,
    )
    return kb


def _load_burdens(data, sources, findings, rfs):
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


def _default_folder():
    """The packaged knowledge base: found beside this module (no importlib.resources import on the
    command line's path), through importlib.resources when the package is not on a file system.
    """
    here = Path(__file__).resolve().parent.parent / "data" / "default"
    if here.is_dir():
        return here
    from importlib import resources

    return resources.files("twitchnet.data") / "default"


# ---------------------------------------------------------------------- cache of the default KB
# Parsing and validating seven TOML files is most of a cold command-line run. The validated default
# knowledge base is kept as JSON (twitchnet._cache: keyed on the package version, SCHEMA and the
# SHA-256 of the files' bytes, which every diagnosis records, and checked against the SHA-256 of
# its payload before use), so an edited file is never served stale and nothing is unpickled.
# Folders given as ``path`` are never cached. Any problem with the cache means a normal load.

#: Version of what the loader produces (the KnowledgeBase records): bump when they change.
SCHEMA = 4  # 4: groups, category findings, examination and measured test results


def _digest(folder):
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return digest.hexdigest()


def _cache_read(folder):
    import json

    from twitchnet import _cache
    from twitchnet.kb.schema import from_data

    try:
        data_hash = _digest(folder)
        payload = _cache.read("kb", SCHEMA, data_hash)
        if payload is None:
            return None
        kb = from_data(json.loads(payload))
    except Exception:  # noqa: BLE001 - a broken cache only means a slower start
        return None
    return kb if kb.content_hash == data_hash else None


def _cache_write(kb):
    import json

    from twitchnet import _cache
    from twitchnet.kb.schema import to_data

    _cache.write("kb", SCHEMA, kb.content_hash, json.dumps(to_data(kb), separators=(",", ":")).encode())
