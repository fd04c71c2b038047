"""The result classes: Uncertainty, CauseUncertainty, RestsOn, SensitivityRow, Sensitivity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

LEVEL = 0.90  # the interval reported per cause


@dataclass(frozen=True)
class CauseUncertainty:
    """How sure one cause's place in the ranking is, over draws of the knowledge base's numbers.

    Attributes
    ----------
    cause, name : str
    probability : float
        The posterior at the point values (as in the diagnosis).
    median, low, high : float
        Median and the 5% and 95% points of the posterior over the draws (a 90% interval).
    p_first : float
        Share of draws in which the cause ranks first (sums to 1 over the causes).
    p_top3 : float
        Share of draws in which it is among the first three.
    """

    cause: str
    name: str
    probability: float
    median: float
    low: float
    high: float
    p_first: float
    p_top3: float


@dataclass(frozen=True)
class Uncertainty:
    """The uncertainty of one diagnosis (see :func:`uncertainty`).

    Attributes
    ----------
    causes : tuple of CauseUncertainty
        In the order of the diagnosis' ranking.
    draws : int
    seed : int or None
    level : float
        The coverage of ``low``-``high`` (0.90).
    held : tuple of str
        Numbers with a range but held at their value (a probability ranging over all of [0, 1]).
    samples : ndarray of shape (draws, C)
        The posterior of every cause (knowledge-base order) in every draw; read-only.
    cause_ids : tuple of str
        The causes of the columns of ``samples`` (knowledge-base order).
    """

    causes: tuple
    draws: int
    seed: int | None
    level: float = LEVEL
    held: tuple = ()
    samples: np.ndarray | None = field(default=None, repr=False, compare=False)
    #: the cause groups (``CauseUncertainty`` with ``cause`` the group id): the group's exact
    #: probability in every draw; ``p_first``/``p_top3`` the share of draws in which its best
    #: member ranks first / in the first three
    groups: tuple = ()
    #: the groups' probabilities in every draw, (draws, G), knowledge-base order; read-only
    group_samples: np.ndarray | None = field(default=None, repr=False, compare=False)
    cause_ids: tuple = field(default=(), repr=False, compare=False)

    def __getitem__(self, cause):
        """The :class:`CauseUncertainty` of a cause id or a cause-group id."""
        for c in self.causes + self.groups:
            if c.cause == cause:
                return c
        raise KeyError(cause)

    def to_xarray(self) -> Any:
        """The draws as an ``xarray.Dataset`` for ArviZ and xarray tools (``pip install 'twitchnet[arviz]'``).

        Returns
        -------
        xarray.Dataset
            One variable per cause id, its posterior in each draw, with dimensions ``chain`` (one
            chain) and ``draw``; the attributes hold ``draws``, ``seed`` and ``level``. ArviZ reads it
            as a posterior group: ``arviz.convert_to_inference_data(u.to_xarray())``.
        """
        from twitchnet._extras import require

        xr = require("xarray", "arviz", "Uncertainty.to_xarray()")
        samples = np.asarray(self.samples)
        data = {c: (("chain", "draw"), samples[None, :, j]) for j, c in enumerate(self.cause_ids)}
        coords = {"chain": [0], "draw": np.arange(samples.shape[0])}
        return xr.Dataset(data, coords=coords, attrs={"draws": self.draws, "seed": -1 if self.seed is None else self.seed,
                                                      "level": self.level, "source": "twitchnet uncertainty draws"})

    def to_arviz(self) -> Any:
        """The draws as an ``arviz.InferenceData`` with a ``posterior`` group (see :meth:`to_xarray`);
        ``pip install 'twitchnet[arviz]'``.

        Returns
        -------
        arviz.InferenceData
        """
        from twitchnet._extras import require

        az = require("arviz", "arviz", "Uncertainty.to_arviz()")
        return az.InferenceData(posterior=self.to_xarray())

    def to_frame(self) -> pd.DataFrame:
        """One row per cause, then one per cause group: probability, median, low, high, p_first,
        p_top3, and ``group`` (True on the groups' rows).
        """
        import pandas as pd

        rows = [vars(c) | {"group": False} for c in self.causes] + [vars(c) | {"group": True} for c in self.groups]
        return pd.DataFrame(rows).set_index("cause")

    def __str__(self):
        lines = [f"{'cause':<34} {'posterior':>9}  {'median':>7}  {'90% interval':>15}  {'P(first)':>8}  {'P(top 3)':>8}"]
        for c in self.causes + self.groups:
            lines.append(f"{c.name:<34} {c.probability:>9.3f}  {c.median:>7.3f}  {c.low:>7.3f}-{c.high:<7.3f}  {c.p_first:>8.3f}  {c.p_top3:>8.3f}")
        lines.append(f"({self.draws} draws of the knowledge base's numbers within their ranges, seed {self.seed})")
        return "\n".join(lines)


@dataclass(frozen=True)
class RestsOn:
    """One knowledge-base number and how much the top cause's log-odds rests on it.

    Attributes
    ----------
    where : str
        The number's place, as in :meth:`KnowledgeBase.numbers`.
    cause : str
        The cause whose log-odds is differentiated (the top of the ranking).
    value, low, high : float
    derivative : float
        ``d log-odds / d number`` at the point values (exact).
    effect : float
        ``derivative * (high - low) / 2``: the change in log-odds across half the range, to first order.
    source : str
    citation : str
        The full citation, or ``"judgement: <note>"``.
    judgement : bool
    """

    where: str
    cause: str
    value: float
    low: float
    high: float
    derivative: float
    effect: float
    source: str
    citation: str
    judgement: bool

    def __str__(self):
        return f"{self.where} = {self.value:g} [{self.low:g}, {self.high:g}] (log-odds {self.effect:+.2f} over half its range; {self.citation})"


@dataclass(frozen=True)
class SensitivityRow:
    """One number swept to the ends of its range over a set of cases.

    Attributes
    ----------
    where : str
    value, low, high : float
    source : str
    judgement : bool
    changed_low, changed_high : float
        Share of cases whose top cause changes with the number at its low (high) end.
    changed : float
        Share of cases whose top cause changes at either end.
    """

    where: str
    value: float
    low: float
    high: float
    source: str
    judgement: bool
    changed_low: float
    changed_high: float
    changed: float


@dataclass(frozen=True)
class Sensitivity:
    """What the model rests on (see :func:`sensitivity`).

    Attributes
    ----------
    rows : tuple of SensitivityRow
        Every number with a range, largest ``changed`` first.
    cases : int
        Number of cases swept.
    model, version : str
    """

    rows: tuple
    cases: int
    model: str
    version: str

    def to_frame(self) -> pd.DataFrame:
        """One row per number (index ``where``), in the order of :attr:`rows`."""
        import pandas as pd

        return pd.DataFrame([vars(r) for r in self.rows]).set_index("where")

    def __str__(self):
        lines = [f"{'number':<58} {'low':>7} {'high':>7}  {'changed':>7}  (at low / at high)"]
        for r in self.rows[:15]:
            lines.append(f"{r.where:<58} {r.low:>7g} {r.high:>7g}  {r.changed:>7.3f}  ({r.changed_low:.3f} / {r.changed_high:.3f})")
        lines.append(f"(share of {self.cases} cases whose top cause changes; {self.model} {self.version})")
        return "\n".join(lines)
