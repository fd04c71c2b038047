"""Per-object caches kept beside frozen objects, never written onto them.

A compiled model is immutable; what is derived from it on first use (its arrays, an engine's
tables) is kept here, keyed on the object itself by weak reference, so that it lives exactly as
long as the object and nothing is ever set on a frozen instance.
"""

from __future__ import annotations

import threading
import weakref

__all__ = ["memo"]

_LOCK = threading.Lock()
_STORE = weakref.WeakKeyDictionary()
_MISSING = object()


def memo(obj, key, build):
    """``build()``, computed once per ``(obj, key)`` and kept while ``obj`` lives.

    Parameters
    ----------
    obj : object
        Hashable by identity and weakly referenceable (a model, compiled arrays).
    key : str
        What is cached.
    build : callable
        Called without arguments on the first request; two threads asking at once may both
        build, and the first value stored wins.
    """
    slot = _STORE.get(obj)
    value = _MISSING if slot is None else slot.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        with _LOCK:
            value = _STORE.setdefault(obj, {}).setdefault(key, value)
    return value
