"""All exceptions raised by twitchnet.

Every error subclasses :class:`TwitchnetError` and :class:`ValueError`, so callers can catch
either. Messages have one shape, built by :func:`twitchnet._validation.describe`::

    <key>: expected <what is allowed>, got <what arrived>. Did you mean 'x', 'y'?

Each error also carries the pieces as attributes (``key``, ``expected``, ``got``,
``suggestions``) so that programs need not parse the text.
"""

from __future__ import annotations

__all__ = [
    "TwitchnetError",
    "EvidenceError",
    "UnknownEvidenceError",
    "ZeroProbabilityError",
    "FrameEvidenceError",
    "KnowledgeBaseError",
    "VignetteError",
    "NotFittedError",
    "EngineLimitError",
]


class TwitchnetError(ValueError):
    """Base class of every twitchnet error (a :class:`ValueError`).

    Parameters
    ----------
    message : str
        The full message.
    key : str, optional
        The evidence key, file entry or setting the error is about.
    expected : str, optional
        What is allowed there.
    got : object, optional
        What arrived.
    suggestions : tuple of str, optional
        Close matches for a misspelt key.
    """

    def __init__(self, message, *, key=None, expected=None, got=None, suggestions=()):
        super().__init__(message)
        self.key = key
        self.expected = expected
        self.got = got
        self.suggestions = tuple(suggestions)

    def __reduce__(self):  # keep attributes across pickling (process pools)
        return (
            _rebuild,
            (type(self), self.args[0], self.key, self.expected, self.got, self.suggestions),
        )


def _rebuild(cls, message, key, expected, got, suggestions):
    return cls(message, key=key, expected=expected, got=got, suggestions=suggestions)


class EvidenceError(TwitchnetError):
    """The evidence given to a diagnosis is not valid: wrong type, range or state."""


class UnknownEvidenceError(EvidenceError):
    """An evidence key that is neither a vocabulary id nor a documented alias."""


class ZeroProbabilityError(EvidenceError):
    """The evidence is impossible under the model (probability zero), e.g. a pregnant male."""


class FrameEvidenceError(EvidenceError):
    """Bad cells in a DataFrame given to :func:`twitchnet.diagnose_frame`.

    ``cells`` lists every bad cell as ``(row label, column, value, message)``.
    """

    def __init__(self, message, *, cells=(), **kwargs):
        super().__init__(message, **kwargs)
        self.cells = tuple(cells)

    def __reduce__(self):
        return (_rebuild_frame, (self.args[0], self.key, self.expected, self.got, self.suggestions, self.cells))


def _rebuild_frame(message, key, expected, got, suggestions, cells):
    return FrameEvidenceError(message, key=key, expected=expected, got=got, suggestions=suggestions, cells=cells)


class KnowledgeBaseError(TwitchnetError):
    """A knowledge-base file is invalid; the message names the file, the entry and the problem."""


class VignetteError(TwitchnetError):
    """A vignette file is invalid; the message names the file, the vignette and the problem."""


class NotFittedError(TwitchnetError, AttributeError):
    """A learning object was used before it was fitted."""


class EngineLimitError(TwitchnetError):
    """A case or model beyond what the chosen engine computes exactly; the message names the limit
    (see :mod:`twitchnet.limits`) and why it exists."""
