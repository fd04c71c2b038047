"""Orchestration: validate, fire red flags, infer, explain, triage."""

from __future__ import annotations

import numpy as np

from twitchnet import _validation as v
from twitchnet import redflags
from twitchnet.counterfactual import counterfactuals
from twitchnet.errors import EvidenceError
from twitchnet.inference import expit, log_likelihood_states, log_odds, prior_states


def prior_states_log(arr, rf_row):
    """``log P(s, e_R)`` over cause states for one risk-factor row, shape (2**C,)."""
    with np.errstate(divide="ignore"):
        return np.log(prior_states(arr, rf_row[None])[0])
from twitchnet.results import CauseResult, Contribution, Diagnosis, Provenance

__all__ = ["diagnose", "explain_rows"]


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
    observed = np.flatnonzero(encoded.finding_state >= 0)
    n = observed.size
    fs = np.full((n + 1, encoded.finding_state.size), -1, dtype=np.int64)
    # row j + 1 holds the first j + 1 observed findings: a lower-triangular pattern
    fs[1:, observed] = np.where(np.tri(n, dtype=bool), encoded.finding_state[observed][None, :], -1)
    rf = np.broadcast_to(encoded.rf_state, (n + 1, encoded.rf_state.size))
    return rf, fs, observed


RANKINGS = ("posterior", "sufficiency", "disablement")


def diagnose(evidence=None, *, model=None, strings=False, ranking="posterior"):
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
        measures of Richens et al. (2020) (see :mod:`twitchnet.counterfactual`). Every entry
        carries all three; ties are broken by posterior, then knowledge-base order.

    Returns
    -------
    Diagnosis

    Raises
    ------
    EvidenceError
        For an unknown key, a wrong value, or evidence of probability zero.

    Examples
    --------
    >>> import twitchnet
    >>> d = twitchnet.diagnose({"age": 68, "sex": "male", "tingling": True, "diabetes": True})
    >>> d.ranking[0].cause
    'neuropathy'
    >>> twitchnet.diagnose({"saddle_numbness": True}).triage
    'emergency'
    """
    if ranking not in RANKINGS:
        raise v.fail(EvidenceError, "ranking", "one of " + ", ".join(repr(r) for r in RANKINGS), ranking, v.close_matches(ranking, RANKINGS) if isinstance(ranking, str) else ())
    if model is None:
        from twitchnet.model import load_model

        model = load_model()
    enc = model.encode(evidence, strings=strings)
    # Safety first: the red-flag rules see the evidence only, before any posterior exists.
    fired = redflags.evaluate(model.kb, enc.true_flags)

    rf, fs, observed = explain_rows(enc)
    # every explanation row shares the risk factors: their prior over cause states is computed once
    lj = prior_states_log(model.arrays, enc.rf_state) + log_likelihood_states(model.arrays, fs)
    post, log_total = log_odds(model.arrays, lj, with_total=True)
    log_ev = float(log_total[-1])
    if not np.isfinite(log_ev):
        raise model.impossible(enc.evidence)
    steps = np.diff(post, axis=0).T.tolist()  # per cause: change in log-odds as each finding is added
    probs = expit(post[-1]).tolist()
    priors = expit(post[0]).tolist()
    post_last, post_first = post[-1].tolist(), post[0].tolist()
    dis, suff = counterfactuals(model.arrays, np.exp(lj[-1] - log_ev), np.flatnonzero(enc.finding_state == 1))
    dis, suff = dis.tolist(), suff.tolist()
    names = [model.finding_ids[f] for f in observed.tolist()]
    values = [bool(enc.finding_state[f]) for f in observed.tolist()]
    results = []
    for c, cause in enumerate(model.kb.causes):
        contribs = tuple(map(Contribution, names, values, steps[c]))
        results.append(
            CauseResult(
                cause.id, cause.name, probs[c], priors[c], post_last[c], post_first[c],
                contribs, cause.care, cause.summary, cause.advice, dis[c], suff[c],
            )
        )
    primary = {"posterior": lambda r: 0.0, "sufficiency": lambda r: -r.sufficiency, "disablement": lambda r: -r.disablement}[ranking]
    order = sorted(range(len(results)), key=lambda i: (primary(results[i]), -results[i].log_odds, i))
    ranking_ = tuple(results[i] for i in order)
    triage = redflags.triage_level(fired, ranking_, model.kb.routine_threshold.value)
    return Diagnosis(
        evidence=enc.evidence,
        ranking=ranking_,
        red_flags=fired,
        urgent=bool(fired),
        triage=triage,
        provenance=Provenance(model.name, model.version, model.content_hash),
        log_evidence=log_ev,
        model=model,
        ranked_by=ranking,
    )
