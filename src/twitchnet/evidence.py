"""Soft evidence: a finding given as a likelihood ratio instead of a hard yes or no.

People answer "not sure" or "maybe". :func:`maybe` turns such an answer into an evidence value,
a :class:`Likelihood`, that :func:`twitchnet.diagnose` takes wherever it takes ``True`` or
``False`` for a finding::

    twitchnet.diagnose({"twitching": True, "cramps": twitchnet.maybe(3.0)})

The number is a likelihood ratio, ``P(report | finding present) / P(report | finding absent)``:
how much more often the person would give this answer if the finding were there than if it were
not. ``3.0`` leans towards present, ``1/3`` towards absent, ``1.0`` says nothing (the same as
leaving the finding out). This is Pearl's virtual evidence (Pearl 1988, section 2.2.2), pgmpy's
``virtual_evidence`` and pyAgrum's soft evidence (a likelihood vector ``[1, ratio]``): every
engine computes it exactly, and the tests hold it equal to both to 1e-9.

Red flags are never soft. A red flag given as ``maybe(...)`` fires the red-flag override as if
present (whatever the ratio) and is listed in :attr:`twitchnet.Diagnosis.unconfirmed`, to be
confirmed; the ranking treats it as unknown (never as present). An id that red-flag rules read
in combination (``back_pain`` with ``fever``...) given as ``maybe`` is likewise present for the
rules and listed as unconfirmed, and enters the ranking with its ratio.

Soft evidence is for findings only (risk factors, ``age``, ``sex`` and the category finding
``duration`` refuse it, naming the key). :func:`twitchnet.diagnose` computes the ranking, the
explanation and the counterfactual measures with it (these count the findings stated present; a
soft finding moves them through the posterior over the causes only). The features that re-read
the evidence as hard answers (next questions and tests, uncertainty draws, ``rests_on``,
sensitivity, frames, learning) refuse it with an :class:`~twitchnet.errors.EvidenceError` that
names the key and carries the red flags.

References
----------
Pearl J. Probabilistic Reasoning in Intelligent Systems. Morgan Kaufmann, 1988 (virtual evidence).
"""

from __future__ import annotations

import math
import numbers
from typing import Any, NoReturn

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError

__all__ = ["Likelihood", "maybe", "NOT_SURE_RATIO"]

#: The likelihood ratio of the answer "not sure" in the interview and the widget (judgement, not a
#: published figure: a person unsure whether they have a finding has usually noticed something,
#: so the answer leans weakly towards present; 2 is "barely worth mentioning" on Jeffreys' scale
#: of Bayes factors, so it moves a ranking by less than any definite answer does).
NOT_SURE_RATIO = 2.0


class Likelihood:
    """A finding's soft evidence: the likelihood ratio ``P(report | present) / P(report | absent)``.

    Build it with :func:`maybe`. Immutable, hashable, and equal to another with the same ratio.

    Parameters
    ----------
    ratio : float
        A finite number > 0.

    Attributes
    ----------
    ratio : float
    """

    __slots__ = ("_ratio",)
    _ratio: float

    def __init__(self, ratio: float) -> None:
        object.__setattr__(self, "_ratio", check_ratio(ratio))

    @property
    def ratio(self) -> float:
        """The likelihood ratio, a finite float > 0."""
        return self._ratio

    def __setattr__(self, name: str, value: Any) -> NoReturn:
        raise AttributeError("Likelihood is immutable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Likelihood) and other._ratio == self._ratio

    def __hash__(self) -> int:
        return hash(("Likelihood", self._ratio))

    def __repr__(self) -> str:
        return f"maybe({self._ratio!r})"

    def __bool__(self) -> NoReturn:
        raise TypeError("a soft answer (maybe) is neither True nor False: read its .ratio")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Likelihood, (self._ratio,))


def check_ratio(ratio: Any, key: str = "maybe") -> float:
    """A likelihood ratio: a finite real number > 0, as a float (else :class:`EvidenceError`)."""
    if v._is_bool(ratio) or not isinstance(ratio, numbers.Real):
        raise v.fail(EvidenceError, key, "a likelihood ratio P(report | present) / P(report | absent): a finite number > 0", ratio)
    try:
        r = float(ratio)
    except (OverflowError, ValueError):
        r = math.nan
    if not (0.0 < r < math.inf):
        raise v.fail(EvidenceError, key, "a likelihood ratio P(report | present) / P(report | absent): a finite number > 0", ratio)
    return r


def maybe(ratio: float = NOT_SURE_RATIO) -> Likelihood:
    """A soft answer for a finding: ``P(report | present) / P(report | absent) = ratio``.

    Parameters
    ----------
    ratio : float, default=NOT_SURE_RATIO (2.0)
        Above 1 leans towards present, below 1 towards absent; 1 says nothing.

    Returns
    -------
    Likelihood

    Raises
    ------
    EvidenceError
        For a ratio that is not a finite number > 0 (``key`` is ``"maybe"``).

    Examples
    --------
    >>> import twitchnet
    >>> d = twitchnet.diagnose({"tingling": True, "numbness": twitchnet.maybe(3.0)})
    >>> d.evidence["numbness"]
    maybe(3.0)
    >>> twitchnet.diagnose({"saddle_numbness": twitchnet.maybe()}).unconfirmed
    ('saddle_numbness',)
    """
    return Likelihood(ratio)


def is_soft(value: object) -> bool:
    """Whether an evidence value is soft (a :class:`Likelihood`)."""
    return isinstance(value, Likelihood)
