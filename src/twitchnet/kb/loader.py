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
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twitchnet import limits
from twitchnet._memo import cached, memo
from twitchnet.kb.fields import _number, _only_keys, _table, _text
from twitchnet.kb.reading import _err, _read, check_shape, read_bounded
from twitchnet.kb.schema import (
    KnowledgeBase,
)
from twitchnet.kb.sections import (
    _load_aliases,
    _load_burdens,
    _load_causes,
    _load_findings,
    _load_groups,
    _load_red_flags,
    _load_risk_factors,
    _load_sources,
)
from twitchnet.limits import (  # every limit, in one place; the kernel is compiled to the same numbers
    MAX_CELLS,
    MAX_FINDINGS,
    MAX_MODEL_BYTES,
    MAX_PATTERN_CELLS,
)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from twitchnet.kb.schema import Cause, RiskFactor

__all__ = ["FILES", "PACKAGED", "check_shape", "is_packaged", "knowledge_base_from_data", "load_knowledge_base", "read_bounded"]

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


def _footprint(n_findings: int, n_causes: int, ctx: list[int], private: list[list[int]], n_rf: int, most_states: int) -> int:
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


def _check_size(rfs: Mapping[str, RiskFactor], causes: Mapping[str, Cause], n_findings: int = 0) -> None:
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
    private: dict[str, list[int]] = {}
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


def _mark_packaged(kb: KnowledgeBase) -> KnowledgeBase:
    memo(kb, "packaged", lambda: True)
    return kb


def is_packaged(kb: KnowledgeBase) -> bool:
    """Whether ``kb`` is a knowledge base :func:`load_knowledge_base` read from the packaged files.

    Decided by identity, never from ``kb.location`` or ``kb.content_hash``: a copy with edited
    numbers (``dataclasses.replace``, a fit) keeps both fields but is a new object, so it is never
    taken for the packaged one.
    """
    return "packaged" in cached(kb)


def knowledge_base_from_data(data: Mapping[str, Any], location: str = "memory") -> KnowledgeBase:
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


def _build(parsed: Mapping[str, dict[str, Any]], content_hash: str, location: str) -> KnowledgeBase:
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


def _default_folder() -> Path | Traversable:
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


def _digest(folder: Path | Traversable) -> str:
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes() + b"\0")
    return digest.hexdigest()


def _cache_read(folder: Path | Traversable) -> KnowledgeBase | None:
    import json

    from twitchnet import _cache
    from twitchnet.kb.plain import from_data

    try:
        data_hash = _digest(folder)
        payload = _cache.read("kb", SCHEMA, data_hash)
        if payload is None:
            return None
        kb = from_data(json.loads(payload))
    except Exception:  # noqa: BLE001 - a broken cache only means a slower start
        return None
    return kb if kb.content_hash == data_hash else None


def _cache_write(kb: KnowledgeBase) -> None:
    import json

    from twitchnet import _cache
    from twitchnet.kb.plain import to_data

    _cache.write("kb", SCHEMA, kb.content_hash, json.dumps(to_data(kb), separators=(",", ":")).encode())
