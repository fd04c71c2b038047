"""Small frozen result objects: :class:`Diagnosis` here, a cause's and a group's result in
:mod:`twitchnet.results.causes`. Presentation lives in :mod:`twitchnet.present.display`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping, NamedTuple, TypeVar

if TYPE_CHECKING:
    import pandas as pd

    from twitchnet._typing import RankingName, Triage
    from twitchnet.errors import OutsidePopulationError
    from twitchnet.explain.questions import Question
    from twitchnet.explain.uncertainty import RestsOn, Uncertainty
    from twitchnet.explain.workup import TestPlan
    from twitchnet.model import DiagnosticModel
    from twitchnet.redflags import RedFlag
    from twitchnet.simulate import Atypicality

from twitchnet.results.causes import NOISE, CauseResult, Contribution, Contributions, GroupResult, Provenance

__all__ = ["Contribution", "Contributions", "CauseResult", "Diagnosis", "GroupResult", "Provenance", "NOISE", "REASSURING"]


#: Triage levels that reassure (no red flag fired): their renderings list the warning signs not
#: asked (:attr:`Diagnosis.warning_signs_not_asked`), as an interview left early does.
REASSURING = ("self_care", "routine")


@dataclass(frozen=True)
class Diagnosis:
    """The result of :func:`twitchnet.diagnose`.

    Attributes
    ----------
    evidence : Mapping
        The validated evidence (aliases resolved).
    ranking : tuple of CauseResult
        Every cause, highest probability first.
    red_flags : tuple of RedFlag
        The rules that fired (emergency ones first).
    urgent : bool
        True whenever any red flag is present. Nothing switches this off.
    triage : {"emergency", "urgent", "routine", "self_care", "insufficient"}
        Red flags first: ``"emergency"`` or ``"urgent"`` whenever a rule fired. Otherwise
        ``"routine"`` when a cause needing a clinician is likely enough; ``"self_care"`` only
        when a present finding is one that a self-care cause explains; else ``"insufficient"``:
        nothing to go on yet (see ``next_questions``).
    ranked_by : {"posterior", "sufficiency", "disablement"}
        What ``ranking`` is ordered by (every entry carries all three numbers).
    provenance : Provenance
    log_evidence : float
        ``log P(evidence)`` under the model.
    model : DiagnosticModel
        The model that produced it (not compared, not shown).
    reason : str
        Why the result is limited, or ``""``: the triage is ``"insufficient"``, or the person is
        outside the model's population (then ``ranking`` is empty and ``log_evidence`` None).
    engine : {"enumeration", "quickscore", "reference"}
        The exact engine that computed the numbers (see :class:`twitchnet.DiagnosticModel`):
        ``"reference"`` also when the enumeration engine handed the case to it.
    intervals : twitchnet.explain.uncertainty.Uncertainty or None
        How sure the ranking is over the knowledge base's ranges, when asked for
        (``twitchnet.diagnose(..., uncertainty=1000)``); see :meth:`uncertainty`.
    unconfirmed : tuple of str
        Ids given as ``maybe`` (:func:`twitchnet.maybe`) that the red-flag rules read: the
        override treats them as present until they are confirmed (the ranking never does; see
        :mod:`twitchnet.evidence`). Empty when every answer was definite.
    """

    evidence: Mapping[str, Any]
    ranking: tuple[CauseResult, ...]
    red_flags: tuple[RedFlag, ...]
    urgent: bool
    triage: Triage
    provenance: Provenance
    log_evidence: float | None
    model: DiagnosticModel | None = field(default=None, repr=False, compare=False)
    ranked_by: RankingName = "posterior"
    reason: str = ""
    engine: str = "enumeration"
    intervals: Uncertainty | None = field(default=None, repr=False)
    unconfirmed: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the model by reference, not whole: name, version, content hash, knowledge-base
        location and the fingerprint of its whole content (:attr:`DiagnosticModel.fingerprint`).
        Unpickling finds the model built in this process with that fingerprint, else reloads the
        packaged model or the knowledge-base folder and checks the fingerprint
        (:class:`~twitchnet.errors.ModelReferenceError` when it differs or nothing is found: a model
        built in memory must be built again, in the unpickling process, first). The evidence is a
        read-only mapping proxy, which does not pickle: it travels as a dict.
        """
        model = self.model
        ref = None if model is None else ModelRef(model.name, model.version, model.content_hash, model.kb.location, model.fingerprint)
        return (
            _rebuild_diagnosis,
            (dict(self.evidence), self.ranking, self.red_flags, self.urgent, self.triage, self.provenance,
             self.log_evidence, ref, self.ranked_by, self.reason, self.engine, self.intervals, self.unconfirmed),
        )

    def uncertainty(self, draws: int = 1000, seed: int | None = 0) -> Uncertainty:
        """How sure the ranking is, over draws of the knowledge base's numbers within their ranges.

        Every cause's posterior at the point values, its median and 90% interval over the draws,
        and the share of draws in which it ranks first and in the top three. Returns
        :attr:`intervals` when the diagnosis was made with the same ``draws`` and ``seed``. See
        :func:`twitchnet.explain.uncertainty.uncertainty`.

        Returns
        -------
        twitchnet.explain.uncertainty.Uncertainty

        Raises
        ------
        OutsidePopulationError
            For a person outside the model's population (empty ranking), carrying the red flags.
        """
        if not self.ranking:
            raise self._not_ranked("uncertainty")
        u = self.intervals
        if u is not None and u.draws == draws and u.seed == seed:
            return u
        from twitchnet.explain.uncertainty import uncertainty

        return uncertainty(self, draws, seed)

    def rests_on(self, k: int = 5, cause: str | None = None) -> tuple[RestsOn, ...]:
        """What the ranking rests on: the knowledge-base numbers that move the top cause's
        log-odds most across their ranges (exact derivative times half the range), each with its
        citation or "judgement". See :func:`twitchnet.explain.uncertainty.rests_on`.

        Returns
        -------
        tuple of twitchnet.explain.uncertainty.RestsOn
        """
        from twitchnet.explain.uncertainty import rests_on

        return rests_on(self, k, cause)

    def next_questions(self, k: int = 5) -> tuple[Question, ...]:
        """The questions worth asking next: unasked red flags first, then by expected information
        gain about the causes. See :func:`twitchnet.explain.questions.next_questions`.
        """
        from twitchnet import _validation as v
        from twitchnet.explain.questions import next_questions, unranked_questions

        v.check_count("k", k)
        if not self.ranking:  # outside the model's population: only the warning signs
            return unranked_questions(self._the_model("next_questions"), self.evidence)[slice(k)]
        return next_questions(self._the_model("next_questions"), self.evidence, k)

    @property
    def warning_signs_not_asked(self) -> tuple[tuple[str, str], ...]:
        """The model's warning signs (red-flag ids) not in the evidence, as ``(id, question)``
        pairs in vocabulary order: what a one-shot answer has not checked. Every rendering of a
        reassuring result (triage in :data:`REASSURING`) lists them; an urgent one has its
        advice already, and an "insufficient" one leads with the questions to answer first.
        """
        model = self.model
        if model is None:
            return ()
        return tuple((i, model.spec(i).meaning) for i in model.red_flag_ids if i not in self.evidence)

    def _the_model(self, what: str) -> DiagnosticModel:
        """The model that made this diagnosis; an error naming ``what`` for one built without it."""
        if self.model is None:
            from twitchnet import _validation as v
            from twitchnet.errors import ModelReferenceError

            raise v.fail(ModelReferenceError, "model", f"a diagnosis carrying the model that made it, for {what}",
                         "a Diagnosis built without one")
        return self.model

    def _not_ranked(self, what: str) -> OutsidePopulationError:
        """The error for ``what`` on a person outside the model's population, with the red flags."""
        from twitchnet import _validation as v
        from twitchnet.diagnose import with_red_flags
        from twitchnet.errors import OutsidePopulationError

        exc = v.fail(OutsidePopulationError, "evidence", f"a person the model describes for {what} ({self.reason})",
                     dict(self.evidence))
        return with_red_flags(exc, self.red_flags)

    def next_tests(self, k: int = 5, per_burden: bool = True) -> TestPlan:
        """The tests worth doing next (the vocabulary's test section), by exact expected
        information per unit of burden (``per_burden=False``: by the information alone), each
        with its burden, both numbers and what each result would do to the ranking; unasked
        red-flag questions come first. See :func:`twitchnet.explain.workup.next_tests`.

        For a person outside the model's population (empty ranking), as :meth:`next_questions`:
        no test is ranked and the plan's ``ask_first`` holds every unasked warning sign, with
        the reason in ``reason``.
        """
        from twitchnet import _validation as v
        from twitchnet.explain.questions import unranked_questions
        from twitchnet.explain.workup import TestPlan, next_tests

        v.check_count("k", k)
        if not self.ranking:
            return TestPlan((), unranked_questions(self._the_model("next_tests"), self.evidence), (), self.reason)
        return next_tests(self._the_model("next_tests"), self.evidence, k, per_burden)

    def atypicality(self, n: int = 2000, seed: int | None = 0) -> Atypicality:
        """How unusual the findings are for the model. See :func:`twitchnet.simulate.atypicality`.

        Raises
        ------
        OutsidePopulationError
            For a person outside the model's population (empty ranking), carrying the red flags.
        """
        if not self.ranking:
            raise self._not_ranked("atypicality")
        from twitchnet.simulate import atypicality

        return atypicality(self._the_model("atypicality"), self.evidence, n=n, seed=seed)

    def __getitem__(self, cause: str) -> CauseResult | GroupResult:
        """The :class:`CauseResult` of a cause id, or the :class:`GroupResult` of a cause-group id."""
        for r in self.ranking:
            if r.cause == cause:
                return r
        for g in self.group_results:
            if g.group == cause:
                return g
        raise KeyError(cause)

    @property
    def group_results(self) -> tuple[GroupResult, ...]:
        """Every cause group as a :class:`GroupResult` (knowledge-base order), computed on first
        use; empty when the model has no groups or the ranking is empty.
        """
        probs = self.groups
        if not probs:
            return ()
        from twitchnet._memo import memo

        def build() -> tuple[GroupResult, ...]:
            from twitchnet.engine.groups import group_counterfactual_measures

            model = self.model
            assert model is not None  # groups are empty without a model
            place = {r.cause: i for i, r in enumerate(self.ranking, 1)}
            case = model.encode(self.evidence, soft=True)
            # the counterfactual measures read hard answers only: with soft evidence they are None
            cf = {g.id: (None, None) for g in model.kb.groups} if case.soft else group_counterfactual_measures(model, case)
            return tuple(GroupResult(g.id, g.meaning, tuple(g.members), probs[g.id], min(place[m] for m in g.members), *cf[g.id])
                         for g in model.kb.groups)

        return memo(self, "group_results", build)

    def groups_frame(self) -> pd.DataFrame:
        """One row per cause group (index ``group``): meaning, members (comma-separated),
        probability, rank (its best member's place), disablement, sufficiency; with
        :attr:`intervals`, also ``median``, ``interval_low``, ``interval_high``, ``p_first``,
        ``p_top3`` over the draws. A frame of its own, not rows of :meth:`to_frame`: a group's
        probability overlaps its members', so a column summed or ranked over ``to_frame`` would
        count it twice.
        """
        from twitchnet.results.tables import groups_frame

        return groups_frame(self)

    @property
    def groups(self) -> Mapping[str, float]:
        """``{group id: P(at least one member present | evidence)}`` for every cause group of the
        model (vocabulary.md: ``neurological_disease``), exact, computed on first use; empty when
        the ranking is (the person is outside the model's population). See
        :func:`twitchnet.engine.groups.group_probabilities`.
        """
        model = self.model
        if not self.ranking or model is None or not model.kb.groups:
            return MappingProxyType({})
        from twitchnet._memo import memo
        from twitchnet.engine.groups import group_probabilities

        return memo(self, "groups", lambda: MappingProxyType(group_probabilities(model, model.encode(self.evidence, soft=True))))

    @property
    def probabilities(self) -> dict[str, float]:
        """``{cause: probability}`` in ranking order."""
        return {r.cause: r.probability for r in self.ranking}

    def to_frame(self) -> pd.DataFrame:
        """One row per cause (ranking order) as a pandas DataFrame.

        The column ``group`` names the cause groups a cause belongs to (comma-separated, ``""``
        for none); the groups themselves are in :meth:`groups_frame`.

        With :attr:`intervals`, also the columns ``median``, ``interval_low``, ``interval_high``
        (the 90% interval over draws of the knowledge base's numbers), ``p_first`` and ``p_top3``.
        """
        from twitchnet.results.tables import to_frame

        return to_frame(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (infinite log-odds become strings); ``groups`` holds every cause group
        (:class:`GroupResult` fields), and ``uncertainty.groups`` their intervals when drawn.
        """
        from twitchnet.results.tables import to_dict

        return to_dict(self)

    def __str__(self) -> str:
        from twitchnet.present.display import render_text

        return render_text(self)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))

    def _repr_html_(self) -> str:
        from twitchnet.present.display import render_html

        return render_html(self)


_T = TypeVar("_T")


def _frozen(cls: type[_T], names: Iterable[str], values: Iterable[Any]) -> _T:
    """Build a frozen dataclass instance without its generated ``__init__``.

    Used on the hot path of :func:`twitchnet.diagnose`: the generated ``__init__`` of a frozen
    dataclass sets each field through ``object.__setattr__``, which costs more than the whole
    posterior. The result is indistinguishable from ``cls(*values)`` (tested).
    """
    obj = object.__new__(cls)
    obj.__dict__.update(zip(names, values))
    return obj


class ModelRef(NamedTuple):
    """How a pickled :class:`Diagnosis` names its model: see :func:`twitchnet.model.model_by_reference`."""

    name: str
    version: str
    content_hash: str
    location: str
    fingerprint: str


def _rebuild_diagnosis(evidence: dict[str, Any], ranking: tuple[CauseResult, ...], red_flags: tuple[RedFlag, ...], urgent: bool, triage: Triage,
                       provenance: Provenance, log_evidence: float | None, model: DiagnosticModel | ModelRef | None, ranked_by: RankingName = "posterior",
                       reason: str = "", engine: str = "enumeration", intervals: Uncertainty | None = None, unconfirmed: tuple[str, ...] = ()) -> Diagnosis:
    from types import MappingProxyType

    if isinstance(model, ModelRef):
        from twitchnet.model import model_by_reference

        model = model_by_reference(model)
    return Diagnosis(MappingProxyType(evidence), ranking, red_flags, urgent, triage, provenance, log_evidence, model, ranked_by, reason, engine, intervals,
                     unconfirmed)
