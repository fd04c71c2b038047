"""All exceptions raised by twitchnet.

Every error subclasses :class:`TwitchnetError` and :class:`ValueError`, so callers can catch
either. Messages have one shape, built by :func:`twitchnet._validation.describe`::

    <key>: expected <what is allowed>, got <what arrived>. Did you mean 'x', 'y'?

Each error also carries the pieces as attributes (``key``, ``expected``, ``got``,
``suggestions``) so that programs need not parse the text.

Red flags are read from whatever evidence can be read, even when the rest is invalid: an
:class:`EvidenceError` raised by :func:`twitchnet.diagnose` carries the rules that fired as
``red_flags`` (and ``urgent``), and its message then leads with the urgent advice.

One warning lives here too: :class:`FitWarning` (a :class:`UserWarning`, not an error).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from twitchnet.redflags import RedFlag

__all__ = [
    "TwitchnetError",
    "EvidenceError",
    "UnknownEvidenceError",
    "OutsidePopulationError",
    "ZeroProbabilityError",
    "FrameEvidenceError",
    "KnowledgeBaseError",
    "ModelReferenceError",
    "MissingExtraError",
    "UsageError",
    "ConversionError",
    "VignetteError",
    "NotFittedError",
    "EngineLimitError",
    "FitWarning",
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
    red_flags : tuple of RedFlag, optional
        The red-flag rules that fired on the evidence that could be read (see the module
        docstring); empty for errors that are not about evidence.

    Attributes
    ----------
    urgent : bool
        ``bool(red_flags)``: the message then starts with the urgent advice.
    """

    def __init__(
        self,
        message: str,
        *,
        key: str | None = None,
        expected: str | None = None,
        got: Any = None,
        suggestions: Iterable[str] = (),
        red_flags: Iterable[RedFlag] = (),
    ) -> None:
        super().__init__(message)
        self.key = key
        self.expected = expected
        self.got = got
        self.suggestions = tuple(suggestions)
        self.red_flags = tuple(red_flags)

    @property
    def urgent(self) -> bool:
        """True when a red flag fired on the evidence that could be read."""
        return bool(self.red_flags)

    def __reduce__(self) -> tuple[Any, ...]:  # keep attributes across pickling (process pools)
        return (
            _rebuild,
            (type(self), self.args[0], self.key, self.expected, self.got, self.suggestions, self.red_flags),
        )


def _rebuild(cls: type[TwitchnetError], message: str, key: str | None, expected: str | None, got: Any, suggestions: Iterable[str],
             red_flags: Iterable[RedFlag] = ()) -> TwitchnetError:
    return cls(message, key=key, expected=expected, got=got, suggestions=suggestions, red_flags=red_flags)


class EvidenceError(TwitchnetError):
    """The evidence given to a diagnosis is not valid: wrong type, range or state."""


class UnknownEvidenceError(EvidenceError):
    """An evidence key that is neither a vocabulary id nor a documented alias."""


class OutsidePopulationError(EvidenceError):
    """A value outside the population the model describes (an age under the adult minimum).

    :func:`twitchnet.diagnose` does not raise it: such a case gets a :class:`~twitchnet.Diagnosis`
    with its red flags, its triage, an empty ranking and this message as ``reason``; ``value`` is
    the number that arrived.
    """

    value: float | None = None


class ZeroProbabilityError(EvidenceError):
    """The evidence is impossible under the model (probability zero), e.g. a pregnant male."""


class FrameEvidenceError(EvidenceError):
    """Bad cells in a DataFrame given to :func:`twitchnet.diagnose_frame`.

    ``cells`` lists every bad cell as ``(row label, column, value, message)``.
    """

    def __init__(self, message: str, *, cells: Iterable[tuple[Any, str, Any, str]] = (), **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.cells = tuple(cells)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_frame, (self.args[0], self.key, self.expected, self.got, self.suggestions, self.cells, self.red_flags))


def _rebuild_frame(message: str, key: str | None, expected: str | None, got: Any, suggestions: Iterable[str], cells: Iterable[tuple[Any, str, Any, str]],
                   red_flags: Iterable[RedFlag] = ()) -> FrameEvidenceError:
    return FrameEvidenceError(message, key=key, expected=expected, got=got, suggestions=suggestions, cells=cells, red_flags=red_flags)


class KnowledgeBaseError(TwitchnetError):
    """A knowledge-base file is invalid; the message names the file, the entry and the problem."""


class ModelReferenceError(KnowledgeBaseError):
    """A pickled result names a model (by version and content hash) that cannot be found here, or
    whose knowledge base has changed since; the message names the model and where it was looked for.
    """


class MissingExtraError(TwitchnetError, ImportError):
    """An optional dependency is not installed; the message names the pip command that installs it
    (``pip install 'twitchnet[plot]'``). Also an :class:`ImportError`.
    """


class UsageError(TwitchnetError):
    """A command line the ``twitchnet`` command cannot read (unknown option, missing command)."""


class ConversionError(TwitchnetError):
    """A conversion of published figures (:mod:`twitchnet.kb.convert`) got an argument it cannot use."""


class VignetteError(TwitchnetError):
    """A vignette file is invalid; the message names the file, the vignette and the problem."""


class NotFittedError(TwitchnetError, AttributeError):
    """A learning object was used before it was fitted."""


class EngineLimitError(TwitchnetError):
    """A case or model beyond what the chosen engine computes exactly; the message names the limit
    (see :mod:`twitchnet.limits`) and why it exists.

    Attributes
    ----------
    ask_first : tuple of Question
        For :func:`~twitchnet.explain.questions.next_questions` and ``next_tests`` on a model
        beyond enumeration: the warning-sign questions not asked yet (ask them before anything
        else); empty otherwise.
    """

    ask_first: tuple[Any, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_limit, (self.args[0], self.key, self.expected, self.got, self.suggestions, self.red_flags, self.ask_first))


def _rebuild_limit(message: str, key: str | None, expected: str | None, got: Any, suggestions: Iterable[str], red_flags: Iterable[RedFlag] = (),
                   ask_first: Iterable[Any] = ()) -> EngineLimitError:
    exc = EngineLimitError(message, key=key, expected=expected, got=got, suggestions=suggestions, red_flags=red_flags)
    exc.ask_first = tuple(ask_first)
    return exc

class FitWarning(UserWarning):
    """:func:`twitchnet.fit` (or ``partial_fit``) moved numbers outside their knowledge-base ranges.

    The message says how many and names the one that moved furthest (relative to its range);
    :meth:`twitchnet.learn.FittedModel.changes` lists them all (column ``left_range``). A few
    hundred mislabelled records can move a number far enough to change a triage, so look before
    using the fitted model. Silence it where leaving the ranges is expected::

        import warnings
        warnings.simplefilter("ignore", twitchnet.errors.FitWarning)
    """
