"""Orchestration: validate, fire red flags, infer, explain, triage."""

from __future__ import annotations

import math
from dataclasses import fields
from types import MappingProxyType

from twitchnet import _validation as v
from twitchnet import redflags
from twitchnet.engine import kernel as _fastpath
from twitchnet.errors import EvidenceError, OutsidePopulationError
from twitchnet.limits import ENGINES, choose_engine
from twitchnet.results import CauseResult, Contributions, Diagnosis, _frozen

_CAUSE_FIELDS = tuple(f.name for f in fields(CauseResult))
_contributions = Contributions._parts
_DIAGNOSIS_FIELDS = tuple(f.name for f in fields(Diagnosis))

__all__ = ["diagnose", "explain_rows"]


def prior_states_log(arr, rf_row):
    """``log P(s, e_R)`` over cause states for one risk-factor row, shape (2**C,)."""
    import numpy as np

    from twitchnet.engine.reference import prior_states

    with np.errstate(divide="ignore"):
        return np.log(prior_states(arr, rf_row[None])[0])


def explain_rows(encoded):
    """Evidence rows for the sequential explanation.

    Row 0 holds the risk factors only; row ``j`` adds the first ``j`` observed findings in
    knowledge-base order; the last row is all the evidence.

    Returns
    -------
    rf_state : ndarray of shape (n + 1, R)
    finding_state : ndarray of shape (n + 1, F)
    observed : ndarray of int
        Indices of the observed findings, in the order they were added.
    """
    import numpy as np

    observed = np.flatnonzero(encoded.finding_state >= 0)
    n = observed.size
    fs = np.full((n + 1, encoded.finding_state.size), -1, dtype=np.int64)
    # row j + 1 holds the first j + 1 observed findings: a lower-triangular pattern
    fs[1:, observed] = np.where(np.tri(n, dtype=bool), encoded.finding_state[observed][None, :], -1)
    rf = np.broadcast_to(encoded.rf_state, (n + 1, encoded.rf_state.size))
    return rf, fs, observed


RANKINGS = ("posterior", "sufficiency", "disablement")


def diagnose(evidence=None, *, model=None, strings=False, ranking="posterior", engine=None, uncertainty=None, seed=0):
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
    if ranking != "posterior" and ranking not in RANKINGS:
        raise v.fail(EvidenceError, "ranking", "one of " + ", ".join(repr(r) for r in RANKINGS), ranking, v.close_matches(ranking, RANKINGS) if isinstance(ranking, str) else ())
    if uncertainty is not None or seed != 0:
        from twitchnet.explain.uncertainty import _check_draws, _check_seed

        uncertainty = _check_draws(uncertainty, "uncertainty")
        seed = _check_seed(seed)
    if model is None:
        model = _default_model()
    # the common case encoded in C (identical, tested); anything else, errors included, takes the
    # one validation path
    fast = None if strings or model._encode_table is None else _fastpath.encode(model, evidence)
    if fast is not None:
        canonical, codes, obs, flags, rows, positive, true_flags = fast
        canonical, enc = MappingProxyType(canonical), None
    else:
        try:
            enc = model.encode(evidence, strings=strings)
        except EvidenceError as exc:
            # red flags first, whatever the rest of the validation says
            return _unrankable(model, evidence, strings, exc, ranking)
        canonical, codes, obs, true_flags = enc.evidence, enc.codes, enc.observed, enc.true_flags
        n_f = len(model.finding_ids)
        vals = enc.observed_values
        rows, positive = [v * n_f + f for f, v in zip(obs, vals)], [f for f, v in zip(obs, vals) if v]
        flags = tuple(map(bool, vals))
    # Safety first: the red-flag rules see the evidence only, before any posterior exists.
    fired = redflags.evaluate(model.kb, true_flags)

    chosen = model.engine if engine is None else engine
    if chosen not in ENGINES:
        raise v.fail(EvidenceError, "engine", "one of " + ", ".join(map(repr, ENGINES)), chosen,
                     v.close_matches(chosen, ENGINES) if isinstance(chosen, str) else ())
    if chosen == "auto":
        chosen = choose_engine(len(model.cause_ids), model.n_contexts, len(positive))
    if chosen == "quickscore":
        from twitchnet.engine import quickscore

        ex = quickscore.explain(model, codes, obs, flags)
    elif not (model._fast is not None or model.enumerable):
        raise model._enumeration_limit(f"engine {chosen!r}")
    elif chosen == "reference":
        ex = _explain_reference(model, enc if enc is not None else model.encode(evidence))
    elif model._fast is not None:  # the C kernel, no numpy needed
        ex = _fastpath.explain(model._fast, codes, rows, positive)
    else:
        from twitchnet.engine import tables as fast_engine

        ex = fast_engine.explain(model.plan, codes, rows, positive)
    if ex is None or (chosen != "quickscore" and not ex.log_evidence > -math.inf):
        # a sum outside the range the fast path keeps exact, or one that came out zero (which
        # underflow can fake, with tiny leaks and links): the reference engine, in log space,
        # decides
        chosen = "reference"
        ex = _explain_reference(model, enc if enc is not None else model.encode(evidence))
    if not ex.log_evidence > -math.inf:
        raise with_red_flags(model.impossible(canonical), fired)
    names = tuple(map(model.finding_ids.__getitem__, obs))
    post_p, prior_p, post_lo, prior_lo, steps, dis, suff = ex.probability, ex.prior, ex.log_odds, ex.prior_log_odds, ex.steps, ex.disablement, ex.sufficiency
    results = _fastpath.instances(CauseResult, _CAUSE_FIELDS, [
        (cause.id, cause.name, post_p[c], prior_p[c], post_lo[c], prior_lo[c],
         _contributions(names, flags, tuple(steps[c])), cause.care, cause.summary, cause.advice, dis[c], suff[c])
        for c, cause in enumerate(model.kb.causes)
    ])
    if ranking == "posterior":
        order = sorted(range(len(results)), key=[-x for x in post_lo].__getitem__)  # stable: ties keep kb order
    else:
        primary = dis if ranking == "disablement" else suff
        order = sorted(range(len(results)), key=lambda i: (-primary[i], -post_lo[i], i))
    ranking_ = tuple(results[i] for i in order)
    explained = not model._self_care_findings.isdisjoint(positive)
    triage = redflags.triage_level(fired, ranking_, model.kb.routine_threshold.value, explained)
    reason = "" if triage != "insufficient" else INSUFFICIENT
    d = _frozen(Diagnosis, _DIAGNOSIS_FIELDS, (canonical, ranking_, fired, bool(fired), triage, model.provenance, ex.log_evidence, model, ranking, reason, chosen, None))
    if uncertainty is None:
        return d
    from twitchnet.explain.uncertainty import uncertainty as _uncertainty

    return _frozen(Diagnosis, _DIAGNOSIS_FIELDS, (canonical, ranking_, fired, bool(fired), triage, model.provenance, ex.log_evidence, model, ranking,
                                                   reason, chosen, _uncertainty(d, uncertainty, seed)))


INSUFFICIENT = ("nothing present that a harmless cause explains: self-care advice needs a finding, "
                "so answer the questions in next_questions() first")


def with_red_flags(exc, fired):
    """Attach the red flags that fired to an evidence error; its message then leads with the
    urgent advice. Returns ``exc``."""
    if fired and not exc.red_flags:
        from twitchnet.present.display import urgent_text

        exc.red_flags = tuple(fired)
        exc.args = (urgent_text(fired) + " | The evidence could not be used otherwise: " + str(exc.args[0]),) + exc.args[1:]
    return exc


def _unrankable(model, evidence, strings, exc, ranking):
    """A case the model cannot rank: the red flags of whatever can be read, then either a
    Diagnosis with an empty ranking (a person outside the model's population) or the error,
    carrying those red flags."""
    fired = redflags.evaluate(model.kb, model.readable_flags(evidence, strings=strings))
    if not isinstance(exc, OutsidePopulationError):
        raise with_red_flags(exc, fired)
    rest = {}
    for key, value in evidence.items():
        try:
            if model.canonical_key(key) == exc.key:
                continue
        except EvidenceError:
            pass
        rest[key] = value
    try:
        enc = model.encode(rest, strings=strings)
    except EvidenceError as other:  # something else is wrong too: that error, with the red flags
        raise with_red_flags(other, fired) from None
    canonical = dict(enc.evidence)
    canonical[exc.key] = exc.value
    triage = redflags.triage_level(fired, (), model.kb.routine_threshold.value, explained=False)
    return _frozen(Diagnosis, _DIAGNOSIS_FIELDS, (MappingProxyType(canonical), (), fired, bool(fired), triage, model.provenance, None, model, ranking, str(exc), "", None))


def _default_model():
    from twitchnet.model import load_model

    return load_model()


def _explain_reference(model, enc):
    """The reference engine's answer to :func:`twitchnet.engine.tables.explain`, in log space."""
    import numpy as np

    from twitchnet.engine import tables as engine
    from twitchnet.engine.counterfactual import counterfactuals
    from twitchnet.engine.reference import log_odds

    arr = model.arrays
    observed, values = enc.observed, enc.observed_values
    positive = [f for f, v in zip(observed, values) if v]
    # Row j of the explanation holds the risk factors and the first j observed findings (knowledge
    # -base order); the last row is all the evidence. The risk factors' log P(s, e_R) is shared by
    # every row; each finding adds its row log P(f = v | s), so row j adds the sum of the first j
    # of those rows: a lower-triangular matrix of ones times them.
    rows = arr.log_f0.T[list(observed)]  # log P(f absent | s), (n, 2**C), finite
    rows[np.array(values, dtype=bool)] = arr.log_f1.T[positive]  # log P(f present | s) where present
    lj = prior_states_log(arr, enc.rf_state) + np.tri(len(observed) + 1, len(observed), -1) @ rows
    post, log_total = log_odds(arr, lj, with_total=True)
    log_ev = float(log_total[-1])
    if not np.isfinite(log_ev):
        return _fastpath.Explained(log_ev, *([None] * 7))
    dis, suff = counterfactuals(arr, np.exp(lj[-1] - log_ev), positive)
    return engine.explained_from_log_odds(log_ev, post, dis, suff)
