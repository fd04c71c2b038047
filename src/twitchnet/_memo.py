"""Per-object caches kept beside frozen objects, never written onto them.

A compiled model is immutable; what is derived from it on first use (its arrays, an engine's
tables) is kept here, keyed on the object itself by weak reference, so that it lives exactly as
long as the object and nothing is ever set on a frozen instance.
"""

from __future__ import annotations

import threading
import weakref

__all__ = ["cached", "memo"]

_LOCK = threading.Lock()
#: id(obj) -> (weak reference to obj, {key: value}); the entry goes when obj is collected. Keyed on
#: identity, not on equality: a frozen dataclass hashes its fields (slowly, or not at all).
_STORE: dict = {}
_MISSING = object()


def _slot(obj):
    entry = _STORE.get(id(obj))
    if entry is not None and entry[0]() is obj:
        return entry[1]
    with _LOCK:
        entry = _STORE.get(id(obj))
        if entry is None or entry[0]() is not obj:
            oid = id(obj)
            entry = (weakref.ref(obj, lambda ref, oid=oid, store=_STORE: store.get(oid, (None,))[0] is ref and store.pop(oid, None)), {})
            _STORE[oid] = entry
    return entry[1]


def cached(obj):
    """The keys cached for ``obj``."""
    entry = _STORE.get(id(obj))
    return frozenset(entry[1]) if entry is not None and entry[0]() is obj else frozenset()


def memo(obj, key, build):
    """``build()``, computed once per ``(obj, key)`` and kept while ``obj`` lives.

    Parameters
    ----------
    obj : object
        Weakly referenceable (a model, a knowledge base, compiled arrays); keyed on identity.
    key : str
        What is cached.
    build : callable
        Called without arguments on the first request; two threads asking at once may both
        build, and the first value stored wins.
    """
    slot = _slot(obj)
    value = slot.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        with _LOCK:
            value = slot.setdefault(key, value)
    return value
