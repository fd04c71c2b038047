"""One cause's result: its posterior, prior and each observed finding's contribution
(:class:`CauseResult`, :class:`Contribution`); a cause group's (:class:`GroupResult`); provenance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, overload

__all__ = ["NOISE", "CauseResult", "Contribution", "Contributions", "GroupResult", "Provenance"]

#: Relative size of rounding noise in a contribution (see :attr:`CauseResult.noise`): far above
#: the few ulps that a sum of log-odds over the findings loses (about 1e-15 of their size), far
#: below any change in log-odds that a person could see (the text shows one decimal).
NOISE = 1e-12


class Contribution(NamedTuple):
    """How much one observed finding moved a cause, as a log-likelihood ratio (natural log).

    ``log_lr > 0`` pushed the cause up, ``< 0`` pushed it down. See :class:`CauseResult`.
    Immutable (a named tuple: cheap to build, one per observed finding and cause).
    """

    finding: str
    value: bool
    log_lr: float


class Contributions(Sequence[Contribution]):
    """The contributions of one cause: an immutable sequence of :class:`Contribution`.

    Behaves as a tuple of ``Contribution`` (indexing, slicing, iteration, ``len``, equality with
    tuples and other ``Contributions``, hashing); ``tuple(c)`` gives a plain tuple. The numbers are
    computed by :func:`twitchnet.diagnose` (the Quickscore engine computes them when first read); the
    ``Contribution`` objects themselves are made when first read, so a diagnosis whose explanation is never looked at does not pay for eight times
    the number of findings small objects.
    """

    __slots__ = ("_findings", "_values", "_log_lr", "_items", "_cause")
    _log_lr: tuple[float, ...] | Callable[[], Sequence[float]] | Callable[[int], Sequence[float]]

    def __init__(self, findings: Sequence[str] = (), values: Sequence[Any] = (), log_lr: Sequence[float] = ()) -> None:
        if not len(findings) == len(values) == len(log_lr):
            raise ValueError("Contributions: findings, values and log_lr must have the same length")
        self._findings, self._values, self._log_lr = tuple(findings), tuple(values), tuple(log_lr)
        self._items: tuple[Contribution, ...] | None = None
        self._cause: int | None = None

    @classmethod
    def _parts(cls, findings: tuple[str, ...], values: tuple[Any, ...],
               log_lr: tuple[float, ...] | Callable[[], Sequence[float]] | Callable[[int], Sequence[float]],
               cause: int | None = None) -> Contributions:
        """From three equal-length tuples (unchecked: the hot path of :func:`twitchnet.diagnose`).

        ``log_lr`` may be a function computing them when first read: called without arguments,
        or with ``cause`` when it is given (one function shared by every cause of a diagnosis).
        """
        obj = object.__new__(cls)
        obj._findings, obj._values, obj._log_lr, obj._items, obj._cause = findings, values, log_lr, None, cause
        return obj

    @classmethod
    def of(cls, items: Iterable[Contribution | tuple[str, Any, float]]) -> Contributions:
        """From an iterable of ``Contribution`` (or ``(finding, value, log_lr)`` triples)."""
        parts = [Contribution(*c) for c in items]
        return cls([c.finding for c in parts], [c.value for c in parts], [c.log_lr for c in parts])

    def _lr(self) -> tuple[float, ...]:
        """The ``log_lr`` tuple; an engine may give it as a function, called when first read."""
        lr = self._log_lr
        if callable(lr):
            self._log_lr = lr = tuple(lr() if self._cause is None else lr(self._cause))  # type: ignore[call-arg]
        return lr

    def _tuple(self) -> tuple[Contribution, ...]:
        if self._items is None:
            self._items = tuple(map(Contribution, self._findings, self._values, self._lr()))
        return self._items

    @overload
    def __getitem__(self, i: int) -> Contribution: ...

    @overload
    def __getitem__(self, i: slice) -> Contributions: ...

    def __getitem__(self, i: int | slice) -> Contribution | Contributions:
        if isinstance(i, slice):
            return Contributions.of(self._tuple()[i])
        return self._tuple()[i]

    def __len__(self) -> int:
        return len(self._findings)

    def __iter__(self) -> Iterator[Contribution]:
        return iter(self._tuple())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Contributions, tuple)):
            return self._tuple() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._tuple())

    def __repr__(self) -> str:
        return repr(self._tuple())

    def __reduce__(self) -> tuple[Any, ...]:
        return (Contributions, (self._findings, self._values, self._lr()))


@dataclass(frozen=True)
class CauseResult:
    """One entry of the ranking.

    Attributes
    ----------
    cause : str
        Cause id (vocabulary.md).
    name : str
    probability : float
        P(cause present | all the evidence).
    prior : float
        P(cause present | risk factors only), before any finding.
    log_odds, prior_log_odds : float
        The same two as natural-log odds.
    contributions : Contributions
        A tuple-like sequence of :class:`Contribution`, one per observed finding, in knowledge-base finding order. Sequential decomposition: each
        finding's ``log_lr`` is the change in log-odds when it is added to the risk factors and the
        findings before it, so ``prior_log_odds + sum(log_lr) == log_odds`` exactly (to rounding).
    care : {"clinician", "self_care"}
    summary, advice : str
    disablement : float
        Expected number of present findings that would switch off if this cause were cured
        (Richens et al. 2020); see :mod:`twitchnet.engine.counterfactual`.
    sufficiency : float
        Expected number of present findings that would stay on if this cause were the only
        one left (with the leak).
    """

    cause: str
    name: str
    probability: float
    prior: float
    log_odds: float
    prior_log_odds: float
    contributions: Sequence[Contribution]
    care: str
    summary: str
    advice: str
    disablement: float = 0.0
    sufficiency: float = 0.0

    def top_contributions(self, k: int = 3) -> tuple[Contribution, ...]:
        """The ``k`` contributions largest in absolute size."""
        return tuple(sorted(self.contributions, key=lambda c: -abs(c.log_lr))[:k])

    @property
    def noise(self) -> float:
        """The size below which a contribution is rounding noise: :data:`NOISE` times the largest
        finite of 1, ``|prior_log_odds|`` and ``|log_odds|``. A finding unlinked to the cause
        gives a ``log_lr`` of about 1e-16 rather than 0 (a difference of two log-odds); it is
        neither supporting nor opposing.
        """
        scale = max([1.0] + [abs(x) for x in (self.prior_log_odds, self.log_odds) if math.isfinite(x)])
        return NOISE * scale

    @property
    def supporting(self) -> tuple[Contribution, ...]:
        """Findings that pushed the cause up (``log_lr`` above :attr:`noise`), largest first."""
        tol = self.noise
        return tuple(sorted((c for c in self.contributions if c.log_lr > tol), key=lambda c: -c.log_lr))

    @property
    def opposing(self) -> tuple[Contribution, ...]:
        """Findings that pushed the cause down (``log_lr`` below ``-noise``), largest first."""
        tol = self.noise
        return tuple(sorted((c for c in self.contributions if c.log_lr < -tol), key=lambda c: c.log_lr))


@dataclass(frozen=True)
class GroupResult:
    """A cause group of the result (vocabulary.md: ``neurological_disease``), ``d[group_id]``.

    Attributes
    ----------
    group : str
        Group id.
    meaning : str
    members : tuple of str
        Member cause ids, in knowledge-base order.
    probability : float
        P(at least one member present | all the evidence), exact (:attr:`Diagnosis.groups`).
    rank : int
        Where the group stands in the ranking: the place (1 = first) of its best-ranked member,
        as ``evaluate`` and vignette truths rank a group.
    disablement, sufficiency : float or None
        The counterfactual measures with the whole group intervened on (every member cured; only
        the members left): see :func:`twitchnet.engine.counterfactual.group_counterfactuals`.
        None beyond enumeration (a model only Quickscore runs).
    """

    group: str
    meaning: str
    members: tuple[str, ...]
    probability: float
    rank: int
    disablement: float | None = None
    sufficiency: float | None = None


@dataclass(frozen=True)
class Provenance:
    """Which model produced a result: name, version and SHA-256 of its knowledge-base files."""

    model: str
    version: str
    content_hash: str
