"""What one answer rests on: exact derivatives of the log-odds with respect to every number."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from twitchnet import _validation as v
from twitchnet.engine.many.case import _Case
from twitchnet.engine.many.dual import _Dual
from twitchnet.engine.many.posterior import _log_odds
from twitchnet.errors import EngineLimitError, EvidenceError
from twitchnet.explain.uncertainty.draws import _carrying_red_flags
from twitchnet.explain.uncertainty.numbers import _structure
from twitchnet.explain.uncertainty.results import RestsOn

if TYPE_CHECKING:
    from twitchnet.model import DiagnosticModel
    from twitchnet.results import Diagnosis


def derivatives(model: DiagnosticModel, evidence: Mapping[str, Any] | None, cause: str | None = None, groups: bool = False) -> np.ndarray:
    """Exact ``d log-odds / d number`` of every cause for every number: (P, C), by forward-mode
    differentiation. Fixed numbers (structural zeros, zero-width ranges) get 0. Moving a category
    prior scales the others of its group in proportion. With ``groups``, the knowledge base's cause
    groups follow as further columns, (P, C + G): the log-odds that at least one member is present.

    Within enumeration only (the derivative runs through the sum over every joint cause state):
    beyond it, an :class:`~twitchnet.errors.EngineLimitError` naming the limit, before any work.
    """
    _check_enumerable(model)
    st = _structure(model)
    enc = model.encode(evidence)
    case = _Case(st, model, enc.rf_state, enc.finding_state)
    free = np.flatnonzero(~st.fixed)
    th = st.ext(st.value[None])  # (1, P + 1)
    t = np.zeros((free.size, 1, st.n + 1))
    t[np.arange(free.size), 0, free] = 1.0
    for row, i in enumerate(free):
        g = st.group_of[i]
        if g >= 0:
            others = st.groups[g][st.groups[g] != i]
            t[row, 0, others] = -st.value[others] / (1.0 - st.value[i])
    index = {c: i for i, c in enumerate(model.cause_ids)}
    members = [tuple(index[m] for m in g.members) for g in model.kb.groups] if groups else []
    res = _log_odds(st, case, _Dual(th, t), members)
    cols = [res[0].t[:, 0, :]] + ([res[3].t[:, 0, :]] if members else [])
    tangents = np.concatenate(cols, axis=-1)
    out = np.zeros((st.n, tangents.shape[-1]))
    out[free] = tangents
    return out


def rests_on(diagnosis: Diagnosis, k: int | None = 5, cause: str | None = None) -> tuple[RestsOn, ...]:
    """What the ranking rests on: the numbers that move the top cause's log-odds most.

    Parameters
    ----------
    diagnosis : Diagnosis
    k : int or None, default=5
        How many numbers (None: every number with a range).
    cause : str, optional
        Another cause than the top of the ranking, or a cause-group id (the log-odds that at
        least one member is present).

    Returns
    -------
    tuple of RestsOn
        Largest ``|effect|`` first, where ``effect = d log-odds / d number * (high - low) / 2``.

    Raises
    ------
    EvidenceError
        For a bad ``k`` or ``cause``; it carries the diagnosis' red flags, as every error here does.
    EngineLimitError
        On a model beyond enumeration (Quickscore only), before any work: the derivatives are
        exact only through the enumeration.
    """
    return _carrying_red_flags(diagnosis, "rests_on", _rests_on, diagnosis, k, cause)


def _check_enumerable(model):
    if not model.enumerable:
        raise model._enumeration_limit("rests_on's exact derivatives (forward-mode differentiation of the sum over every joint cause state; "
                                       "Quickscore's double-double sums have none)")


def _rests_on(diagnosis, k, cause):
    k = v.check_count("k", k)
    model = diagnosis.model
    _check_enumerable(model)
    st = _structure(model)
    if cause is None:
        if not diagnosis.ranking:
            return ()
        cause = diagnosis.ranking[0].cause
    group_ids = [g.id for g in model.kb.groups]
    if cause in group_ids:
        d = derivatives(model, diagnosis.evidence, groups=True)[:, len(model.cause_ids) + group_ids.index(cause)]
    elif cause not in model.cause_ids:
        known = list(model.cause_ids) + group_ids
        raise v.fail(EvidenceError, "cause", "a cause or cause-group id", cause, v.close_matches(cause, known) if isinstance(cause, str) else ())
    else:
        d = derivatives(model, diagnosis.evidence)[:, model.cause_ids.index(cause)]
    effect = d * (st.high - st.low) / 2.0
    if not np.isfinite(effect[~st.fixed]).all():
        # a cause certain or impossible given the evidence (log-odds infinite), or a number at the
        # very edge of its range: the derivative has no finite value, so refuse rather than show one
        bad = st.where[int(np.flatnonzero(~np.isfinite(effect) & ~st.fixed)[0])]
        raise v.fail(EngineLimitError, "rests_on", f"a finite derivative of {cause}'s log-odds with respect to every number",
                     f"none for {bad} (the evidence makes {cause} certain or impossible, or the number sits at the edge of its range)")
    order = sorted(np.flatnonzero(~st.fixed).tolist(), key=lambda i: (-abs(effect[i]), i))
    if k is not None:
        order = order[:k]
    sources = model.kb.sources
    out = []
    for i in order:
        n = st.numbers[i]
        citation = f"judgement: {n.note}" if n.is_judgement else sources[n.source].citation
        out.append(RestsOn(st.where[i], cause, n.value, n.low, n.high, float(d[i]), float(effect[i]), n.source, citation, n.is_judgement))
    return tuple(out)
