"""One validation path with one message shape.

Every check in the package formats its failure through :func:`describe`, and raises one of the
classes in :mod:`twitchnet.errors`.
"""

from __future__ import annotations

import difflib
import math
import numbers
import os
import sys

from twitchnet.errors import EvidenceError, OutsidePopulationError, UnknownEvidenceError
from twitchnet.limits import ENGINES

__all__ = ["describe", "fail", "close_matches", "check_probability", "coerce_bool", "coerce_age", "is_missing", "check_count", "env_flag"]

KEY_LIMIT = 160  # characters of a key shown in a message: a 1 MB key gives a message of a few hundred


#: the values of an on/off environment variable that mean "on" (case-insensitive); anything else,
#: ``0``, ``false``, ``no`` or empty included, means "off"
_ENV_ON = frozenset({"1", "true", "yes", "on"})


def env_flag(name):
    """Whether the environment variable ``name`` switches its setting on (``1``, ``true``, ``yes``
    or ``on``, any case; ``TWITCHNET_NO_KERNEL=0`` leaves the kernel on).
    """
    return os.environ.get(name, "").strip().lower() in _ENV_ON


def safe_repr(obj, limit=200):
    """repr() that never raises (huge ints, broken __repr__) and is always printable text."""
    try:
        text = repr(obj)
    except Exception:  # noqa: BLE001 - any failure of a user object's repr
        text = f"<{type(obj).__name__} object>"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    return text if len(text) <= limit else text[: limit - 3] + "..."


def show_key(key):
    """An evidence key as printable text: the string itself, or the repr of anything else."""
    if isinstance(key, str):
        if len(key) > KEY_LIMIT:  # keep both ends: a file path's tail names the entry
            half = (KEY_LIMIT - 3) // 2
            key = key[:half] + "..." + key[-half:]
        return key.encode("utf-8", "backslashreplace").decode("utf-8")
    return safe_repr(key, KEY_LIMIT)


def _show(got):
    return f"{safe_repr(got)} ({type(got).__name__})"


def describe(key, expected, got, suggestions=()):
    """Format the one message shape used by every twitchnet error.

    Parameters
    ----------
    key : str
        What the message is about (an evidence key, or ``file: entry.field``).
    expected : str
        What is allowed.
    got : object
        What arrived (shown with its type).
    suggestions : sequence of str
        Close matches, shown as "Did you mean ...?".

    Returns
    -------
    str
    """
    msg = f"{show_key(key)}: expected {expected}, got {_show(got)}"
    if suggestions:
        msg += ". Did you mean " + ", ".join(repr(s) for s in suggestions) + "?"
    return msg


def fail(cls, key, expected, got, suggestions=()):
    """Build an exception of class ``cls`` with the standard message and attributes."""
    return cls(
        describe(key, expected, got, suggestions),
        key=key,
        expected=expected,
        got=got,
        suggestions=suggestions,
    )


def close_matches(word, candidates, n=3):
    """Up to ``n`` candidates close to ``word`` (case-insensitive, difflib ratio >= 0.6)."""
    word = str(word)
    if len(word) > 2 * KEY_LIMIT:  # nothing that long is a typo of an id (and difflib would crawl)
        return ()
    lowered = {c.lower(): c for c in candidates}
    hits = difflib.get_close_matches(str(word).lower(), list(lowered), n=n, cutoff=0.6)
    return tuple(lowered[h] for h in hits)


def unknown_key(key, candidates):
    """The error for an evidence key that the model does not know."""
    return fail(
        UnknownEvidenceError,
        show_key(key),
        "a vocabulary id or alias (see `twitchnet vocabulary`)",
        key,
        close_matches(key, candidates) if isinstance(key, str) else (),
    )


def check_probability(value, *, key, open_interval=True, error=EvidenceError):
    """Check that ``value`` is a real probability and return it as a float.

    Parameters
    ----------
    value : object
    key : str
        Named in the error.
    open_interval : bool, default=True
        Require ``0 < value < 1`` rather than ``0 <= value <= 1``.
    error : type
        Exception class to raise.
    """
    interval = "(0, 1)" if open_interval else "[0, 1]"
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise fail(error, key, f"a number in {interval}", value)
    v = float(value)
    ok = (0.0 < v < 1.0) if open_interval else (0.0 <= v <= 1.0)
    if not ok or math.isnan(v):
        raise fail(error, key, f"a number in {interval}", value)
    return v


def _is_bool(value):
    """``bool`` or ``numpy.bool_``, without importing numpy (a numpy bool implies numpy is loaded)."""
    if isinstance(value, bool):
        return True
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, np.bool_)


def is_missing(value):
    """``None``, a float NaN (Python or numpy) or ``pandas.NA``: each means "unknown"."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    pd = sys.modules.get("pandas")  # a pd.NA implies pandas is loaded
    if pd is not None and value is pd.NA:
        return True
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, np.floating) and bool(np.isnan(value))


def check_count(key, k, *, allow_none=True):
    """Return ``k`` if it is a whole number >= 0 (or None when allowed), else raise EvidenceError."""
    if k is None and allow_none:
        return None
    if _is_bool(k) or not isinstance(k, numbers.Integral) or k < 0:
        raise fail(EvidenceError, key, "a whole number >= 0" + (" (or None for all)" if allow_none else ""), k)
    return int(k)


def check_threads(threads, error=EvidenceError):
    """A ``threads`` setting: None (the default) or a whole number >= 1, else ``error``."""
    if threads is None:
        return None
    if _is_bool(threads) or not isinstance(threads, numbers.Integral) or threads < 1:
        raise fail(error, "threads", "a whole number >= 1, or None for the default", threads)
    return int(threads)


_TRUE_WORDS = {"yes", "y", "true", "t", "1"}
_FALSE_WORDS = {"no", "n", "false", "f", "0"}


# the text forms of 1.0 and 0.0 that a data table holds once its numbers became strings
_NUMBER_WORDS = {"1.0": True, "0.0": False, "1.00": True, "0.00": False, "+1": True, "+1.0": True, "-0.0": False}


def coerce_bool(key, value, *, strings=False, numbers01=False):
    """Return ``True``/``False`` for a yes/no evidence value, or raise :class:`EvidenceError`.

    Parameters
    ----------
    key : str
    value : object
        ``bool`` or ``numpy.bool_``; with ``numbers01`` also the numbers 0 and 1; with
        ``strings`` also yes/no/true/false/y/n/t/f/1/0 (any case), as typed on a command line.
    """
    if _is_bool(value):
        return bool(value)
    if numbers01 and isinstance(value, numbers.Real) and not isinstance(value, bool):
        if value == 0 or value == 1:
            return bool(value)
    if strings and isinstance(value, str):
        word = str.lower(str.strip(value))  # the str methods, not a subclass's overrides
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        if numbers01 and word in _NUMBER_WORDS:  # "1.0", as Dask writes a float 1.0 to text
            return _NUMBER_WORDS[word]
    allowed = "True or False"
    if numbers01:
        allowed += " (or 1/0)"
    if strings:
        allowed = "yes/no (or true/false, 1/0)"
    raise fail(EvidenceError, key, allowed, value)


def coerce_age(key, value, low, high, *, strings=False, floor=None):
    """Return age in years as a float in ``[low, high]``, or raise :class:`EvidenceError`.

    With ``floor``, a number in ``[floor, low)`` (a child, for an adult model) raises
    :class:`OutsidePopulationError` instead, whose ``value`` is the number.
    """
    original = value
    if strings and isinstance(value, str):
        try:
            value = float(str.strip(value))
        except ValueError:
            raise fail(EvidenceError, key, f"a number of years from {low:g} to {high:g}", original)
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise fail(EvidenceError, key, f"a number of years from {low:g} to {high:g}", original)
    try:
        v = float(value)
    except (OverflowError, ValueError):
        raise fail(EvidenceError, key, f"a number of years from {low:g} to {high:g}", original)
    if floor is not None and floor <= v < low:
        exc = fail(OutsidePopulationError, key, f"a number of years from {low:g} to {high:g}: the model describes people aged {low:g} and over, and cannot rank causes for a younger person", original)
        exc.value = int(v) if v.is_integer() else v
        raise exc
    if not (low <= v <= high):  # also rejects NaN
        raise fail(EvidenceError, key, f"a number of years from {low:g} to {high:g}", original)
    return v


def check_engine(value):
    """An engine setting: one of :data:`twitchnet.limits.ENGINES`, else :class:`EvidenceError`."""
    if isinstance(value, str) and value in ENGINES:  # an array would compare elementwise
        return value
    raise fail(EvidenceError, "engine", "one of " + ", ".join(map(repr, ENGINES)), value,
               close_matches(value, ENGINES) if isinstance(value, str) else ())
