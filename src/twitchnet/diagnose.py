"""Orchestration: validate, fire red flags, infer, explain, triage."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import fields
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from twitchnet import _validation as v
from twitchnet import engine as engines
from twitchnet import redflags
from twitchnet._memo import memo
from twitchnet.errors import EvidenceError, OutsidePopulationError, TwitchnetError
from twitchnet.results import CauseResult, Contributions, Diagnosis, _frozen

if TYPE_CHECKING:
    from twitchnet._typing import EngineName, Evidence, RankingName
    from twitchnet.model import DiagnosticModel, Encoded
    from twitchnet.redflags import RedFlag

_contributions = Contributions._parts
_DIAGNOSIS_FIELDS = tuple(f.name for f in fields(Diagnosis))

__all__ = ["diagnose"]


RANKINGS = ("posterior", "sufficiency", "disablement")


def diagnose(
    evidence: Evidence | None = None,
    *,
    model: DiagnosticModel | None = None,
    strings: bool = False,
    ranking: RankingName = "posterior",
    engine: EngineName | None = None,
    uncertainty: int | None = None,
    seed: int | None = 0,
) -> Diagnosis:
    """Rank every cause by its exact posterior probability, explain it, and apply red flags.

    Parameters
    ----------
    evidence : Mapping, optional
        Vocabulary ids (or aliases) -> values: ``True``/``False`` for yes/no ids, a number of years
        for ``age``, ``"female"``/``"male"`` for ``sex``. A key left out (or ``None``) is unknown
        and marginalised exactly; ``False`` means "asked, and absent".
    model : DiagnosticModel, optional
        Defaults to :func:`twitchnet.load_model`'s packaged model.
    strings : bool, default=False
        Accept values as text ("yes", "68"), as the command line does.
    ranking : {"posterior", "sufficiency", "disablement"}, default="posterior"
        What orders the ranking: the posterior probability, or one of the counterfactual
        measures of Richens et al. (2020) (see :mod:`twitchnet.engine.counterfactual`). Every entry
        carries all three; ties are broken by posterior, then knowledge-base order.
    engine : {"auto", "enumeration", "quickscore", "reference"}, optional
        The exact engine for this call; default: the model's (``DiagnosticModel(kb, engine=...)``,
        itself ``"auto"`` by default). ``Diagnosis.engine`` records the one that ran.
    uncertainty : int, optional
        Also draw the knowledge base's numbers this many times within their ranges and report,
        per cause, a 90% interval of the posterior and the probability of ranking first and in
        the top three (:attr:`Diagnosis.intervals`; see :mod:`twitchnet.explain.uncertainty`).
    seed : int or None, default=0
        Seed of those draws.

    Returns
    -------
    Diagnosis
        For a person outside the model's population (an age under its minimum, 18 for the
        packaged model): the red flags and triage of what can be read, an empty ranking and
        the reason in ``reason``.

    Raises
    ------
    EvidenceError
        For an unknown key, a wrong value, an implausible combination or evidence of
        probability zero. The red flags of whatever could be read are evaluated first: the
        error carries them (``red_flags``, ``urgent``) and its message then leads with the
        urgent advice.
    EngineLimitError
        When the case is beyond the chosen engine's exact limit (:mod:`twitchnet.limits`).

    Examples
    --------
    >>> import twitchnet
    >>> d = twitchnet.diagnose({"age": 68, "sex": "male", "tingling": True, "stocking_distribution": True, "diabetes": True})
    >>> d.ranking[0].cause
    'neuropathy'
    >>> twitchnet.diagnose({"saddle_numbness": True}).triage
    'emergency'
    """
    if model is None:
        model = _default_model()
    elif not _is_model(model):  # the packaged rules still read the red flags of the evidence
        exc = v.fail(EvidenceError, "model", "a DiagnosticModel (twitchnet.load_model()), or None for the packaged one", model)
        default = _default_model()
        raise with_red_flags(exc, redflags.evaluate(default.kb, default.readable_flags(evidence, strings=strings))) from None
    try:
        ranking, engine, uncertainty, seed = _check_settings(ranking, engine, uncertainty, seed)
    except EvidenceError as exc:  # a bad setting: still the red flags of whatever can be read
        raise with_red_flags(exc, redflags.evaluate(model.kb, model.readable_flags(evidence, strings=strings))) from None
    try:
        enc = model.encode(evidence, strings=strings, soft=True)
    except EvidenceError as exc:
        # red flags first, whatever the rest of the validation says
        return _unrankable(model, evidence, strings, exc, ranking)
    # Safety first: the red-flag rules see the evidence only, before any posterior exists.
    fired = redflags.evaluate(model.kb, enc.true_flags)
    try:
        return _rank(model, enc, fired, ranking, engine, uncertainty, seed)
    except TwitchnetError as exc:  # an engine's limit, impossible evidence: the red flags go with it
        raise with_red_flags(exc, fired) from None


def _check_settings(ranking: Any, engine: Any, uncertainty: Any, seed: Any) -> tuple[Any, Any, Any, Any]:
    """The settings of :func:`diagnose`, validated (EvidenceError naming the setting)."""
    if not (isinstance(ranking, str) and ranking in RANKINGS):  # an array would compare elementwise
        raise v.fail(EvidenceError, "ranking", "one of " + ", ".join(repr(r) for r in RANKINGS), ranking, v.close_matches(ranking, RANKINGS) if isinstance(ranking, str) else ())
    if engine is not None:
        engine = v.check_engine(engine)
    seeded = not (isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed == 0)
    if uncertainty is None and seeded:
        raise v.fail(EvidenceError, "seed", "no seed without uncertainty draws (it seeds them: give uncertainty=N; "
                     "on the command line, --seed needs --uncertainty N)", seed)
    if uncertainty is not None:
        from twitchnet.explain.uncertainty import _check_draws, _check_seed

        uncertainty = _check_draws(uncertainty, "uncertainty")
        seed = _check_seed(seed)
    return ranking, engine, uncertainty, seed


def _rank(model: DiagnosticModel, enc: Encoded, fired: tuple[RedFlag, ...], ranking: str, engine: str | None, uncertainty: int | None,
          seed: int | None) -> Diagnosis:
    """The ranking, its explanation and triage, for validated evidence whose rules have fired."""
    canonical, obs, vals = enc.evidence, enc.observed, enc.observed_values
    n_positive = vals.count(1) + sum(1 for _, r in enc.soft if r > 1.0)  # a soft "leans present" runs as present too
    eng = engines.select(model, model.engine if engine is None else engine, n_positive, len(vals) + len(enc.soft), n_soft=len(enc.soft))
    ex = getattr(eng, "explain_lazy", eng.explain)(model, enc)  # the kernel's steps computed when read
    if ex is None or (eng.name != "quickscore" and not ex.log_evidence > -math.inf):
        # a sum outside the range the fast path keeps exact, or one that came out zero (which
        # underflow can fake, with tiny leaks and links): the reference engine, in log space,
        # decides
        eng = engines.get("reference")
        ex = eng.explain(model, enc)
    if not ex.log_evidence > -math.inf:
        raise model.impossible(canonical)
    chosen = eng.name
    flags = tuple(map(bool, vals))
    positive = [f for f, value in zip(obs, vals) if value]
    if enc.soft:  # the explanation's steps run over hard and soft findings, in column order
        order = engines.observed_order(enc)
        obs = tuple(f for f, _, _ in order)
        flags = tuple(bool(val) if val is not None else canonical[model.column_ids[f]] for f, val, _ in order)
    names = tuple(map(model.column_ids.__getitem__, obs))
    post_p, prior_p, post_lo, prior_lo, steps, dis, suff = ex.probability, ex.prior, ex.log_odds, ex.prior_log_odds, ex.steps, ex.disablement, ex.sufficiency
    lazy = None
    if callable(getattr(steps, "row", None)):  # computed when first read (the Quickscore engine, the kernel's explain_lazy)
        lazy = _lazy_rows(model, canonical, obs, names, flags, steps)
        if model._level_of and not model._level_of.keys().isdisjoint(obs):
            names, flags, _ = _merge_levels(model, canonical, obs, names, flags, [])
    else:
        steps = [tuple(row) for row in steps]
        if model._level_of and not model._level_of.keys().isdisjoint(obs):
            names, flags, steps = _merge_levels(model, canonical, obs, names, flags, steps)
    results = _cause_results(model, (post_p, prior_p, post_lo, prior_lo, dis, suff), names, flags, steps, lazy)
    if ranking == "posterior":
        order = sorted(range(len(results)), key=[-x for x in post_lo].__getitem__)  # stable: ties keep kb order
    else:
        primary = dis if ranking == "disablement" else suff
        order = sorted(range(len(results)), key=lambda i: (-primary[i], -post_lo[i], i))
    ranking_ = tuple(results[i] for i in order)
    explained = not redflags.self_care_indices(model).isdisjoint(positive)
    triage = redflags.triage_level(fired, ranking_, model.kb.routine_threshold.value, explained)
    reason = "" if triage != "insufficient" else INSUFFICIENT
    d = _frozen(Diagnosis, _DIAGNOSIS_FIELDS, (canonical, ranking_, fired, bool(fired), triage, model.provenance, ex.log_evidence, model, ranking, reason, chosen, None,
                                                   _unconfirmed(model, enc)))
    if uncertainty is None:
        return d
    from twitchnet.explain.uncertainty import uncertainty as _uncertainty

    return _frozen(Diagnosis, _DIAGNOSIS_FIELDS, (canonical, ranking_, fired, bool(fired), triage, model.provenance, ex.log_evidence, model, ranking,
                                                   reason, chosen, _uncertainty(d, uncertainty, seed), d.unconfirmed))


def _cause_results(model: DiagnosticModel, numbers: tuple[Sequence[float], ...], names: tuple[str, ...], flags: tuple[Any, ...],
                   steps: Sequence[Any], lazy: Callable[[int], Any] | None = None) -> list[CauseResult]:
    """Every cause's :class:`CauseResult`, in knowledge-base order (the hot path: each built as
    :func:`~twitchnet.results._frozen` does, its fields set in one dict update; the causes' texts
    read once per model).

    ``numbers``: posterior, prior, their log-odds, disablement, sufficiency (one entry per
    cause each); ``steps``: per cause, its explanation's steps; or ``lazy``: a function of the
    cause giving them when first read (one for every cause: no object per cause).
    """
    post_p, prior_p, post_lo, prior_lo, dis, suff = numbers
    new, part = object.__new__, _contributions
    out = []
    for c, (cid, name, care, summary, advice) in enumerate(memo(model, "cause_texts", lambda: tuple(
            (cause.id, cause.name, cause.care, cause.summary, cause.advice) for cause in model.kb.causes))):
        r = new(CauseResult)
        r.__dict__.update(cause=cid, name=name, probability=post_p[c], prior=prior_p[c], log_odds=post_lo[c], prior_log_odds=prior_lo[c],
                          contributions=part(names, flags, steps[c]) if lazy is None else part(names, flags, lazy, c), care=care, summary=summary, advice=advice, disablement=dis[c],
                          sufficiency=suff[c])
        out.append(r)
    return out


def _unconfirmed(model: DiagnosticModel, enc: Encoded) -> tuple[str, ...]:
    """The ids given as ``maybe`` that the red-flag override treats as present, in vocabulary order."""
    if not enc.unconfirmed:
        return ()
    return tuple(i for i in model.evidence_ids if i in enc.unconfirmed)


def _lazy_rows(model: DiagnosticModel, canonical: Evidence, obs: Sequence[int], names: Sequence[str], flags: Sequence[Any],
               steps: Any) -> Callable[[int], Any]:
    """The function giving a cause's steps (merged as :func:`_merge_levels` does) when called."""
    if model._level_of and not model._level_of.keys().isdisjoint(obs):
        return lambda c: _merge_levels(model, canonical, obs, names, flags, [steps.row(c)])[2][0]
    return steps.row


def _merge_levels(model: DiagnosticModel, canonical: Evidence, obs: Sequence[int], names: Sequence[str], flags: Sequence[Any],
                  steps: Sequence[Sequence[float]]) -> tuple[tuple[str, ...], tuple[Any, ...], list[tuple[float, ...]]]:
    """One contribution per category finding: the sum of its level findings' sequential steps
    (consecutive in knowledge-base order, so the explanation still adds up exactly), named by the
    category with its stated value (``("duration", "weeks", log_lr)``).
    """
    level_of = model._level_of
    keep: list[list[int]] = []
    out_names: list[str] = []
    out_flags: list[Any] = []
    for i, f in enumerate(obs):
        cat = level_of.get(f)
        if cat is not None and out_names and out_names[-1] == cat and keep[-1][-1] == i - 1:
            keep[-1].append(i)
            continue
        keep.append([i])
        out_names.append(cat if cat is not None else names[i])
        out_flags.append(canonical[cat] if cat is not None else flags[i])
    merged = [tuple(math.fsum(row[i] for i in group) for group in keep) for row in steps]
    return tuple(out_names), tuple(out_flags), merged


_E = TypeVar("_E", bound=TwitchnetError)

INSUFFICIENT = ("nothing present that a harmless cause explains: self-care advice needs a finding, "
                "so answer the questions in next_questions() first")


def with_red_flags(exc: _E, fired: Sequence[RedFlag]) -> _E:
    """Attach the red flags that fired to an evidence error; its message then leads with the
    urgent advice. Returns ``exc``.
    """
    if fired and not exc.red_flags:
        exc.red_flags = tuple(fired)
        exc.args = (redflags.urgent_text(fired) + " | The evidence could not be used otherwise: " + str(exc.args[0]),) + exc.args[1:]
    return exc


def _unrankable(model: DiagnosticModel, evidence: Evidence | None, strings: bool, exc: EvidenceError, ranking: str) -> Diagnosis:
    """A case the model cannot rank: the red flags of whatever can be read, then either a
    Diagnosis with an empty ranking (a person outside the model's population) or the error,
    carrying those red flags.
    """
    fired = redflags.evaluate(model.kb, model.readable_flags(evidence, strings=strings))
    if not isinstance(exc, OutsidePopulationError):
        raise with_red_flags(exc, fired)
    rest = {}
    for key, value in (evidence or {}).items():
        try:
            if model.canonical_key(key) == exc.key:
                continue
        except EvidenceError:
            pass
        rest[key] = value
    try:
        enc = model.encode(rest, strings=strings, soft=True)
    except EvidenceError as other:  # something else is wrong too: that error, with the red flags
        raise with_red_flags(other, fired) from None
    canonical = dict(enc.evidence)
    canonical[str(exc.key)] = exc.value
    triage = redflags.triage_level(fired, (), model.kb.routine_threshold.value, explained=False)
    return _frozen(Diagnosis, _DIAGNOSIS_FIELDS, (MappingProxyType(canonical), (), fired, bool(fired), triage, model.provenance, None, model, ranking,
                                                  str(exc), "", None, _unconfirmed(model, enc)))


def _is_model(model: object) -> bool:
    from twitchnet.model import DiagnosticModel

    return isinstance(model, DiagnosticModel)


def _default_model() -> DiagnosticModel:
    from twitchnet.model import load_model

    return load_model()
