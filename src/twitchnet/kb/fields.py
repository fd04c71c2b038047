"""Validation of one entry's fields: tables, texts, ids, and numbers with their ranges, sources and
derived figures; every error names the file, the entry and the field.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

from twitchnet._validation import fail
from twitchnet.errors import KnowledgeBaseError
from twitchnet.kb.reading import _err
from twitchnet.kb.schema import (
    Number,
)
from twitchnet.limits import (  # every limit, in one place; the kernel is compiled to the same numbers
    MAX_ODDS_RATIO,
)

__all__: list[str] = []


_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


def _table(where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _err(where, "a table", value)
    return value


def _text(where: str, value: Any, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _err(where, "a non-empty string", value)
    return value


def _check_id(where: str, key: Any) -> None:
    if not key or not set(key) <= _ID_CHARS or not key[0].isalpha():
        raise _err(where, "an id of lower-case letters, digits and underscores", key)


def _only_keys(where: str, table: Mapping[str, Any], allowed: Iterable[str]) -> None:
    extra = sorted(set(table) - set(allowed))
    if extra:
        raise _err(where, "only the fields " + ", ".join(sorted(allowed)), f"unknown field {extra[0]!r}")


def _entry(where: str, eid: Any, entry: Any, allowed: Iterable[str]) -> dict[str, Any]:
    """Check one entry's id, that it is a table, and its field names; return the table."""
    _check_id(where, eid)
    entry = _table(where, entry)
    _only_keys(where, entry, allowed)
    return entry


def _real(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _err(where, "a finite number", value)
    try:
        out = float(value)  # an integer like 10**400 has no float
    except OverflowError:
        raise _err(where, "a finite number", f"an integer of {len(str(abs(value)))} digits") from None
    if not math.isfinite(out):
        raise _err(where, "a finite number", value)
    return out


def _derive(where: str, value: float, raw: Any) -> tuple[str, tuple[tuple[str, float], ...]]:
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


def _number(where: str, value: Any, sources: Mapping[str, Any], *, kind: str = "probability", structural_ok: bool = False) -> Number:
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
