"""Cause groups' probabilities (at least one member present) and their counterfactual measures, on
any model an engine can run; Imports numpy when called.
"""

from __future__ import annotations

__all__ = ["group_counterfactual_measures", "group_probabilities", "group_probabilities_of_arrays"]


def group_probabilities(model, case, groups=None):
    """Every cause group's probability that at least one member is present, given one case.

    Exact on any model an engine can run. Within enumeration, ``P(any member present, e) / P(e)``
    from the sum over the joint cause states in log space (the reference engine's
    :func:`~twitchnet.engine.reference.log_joint`), the states with a member present summed
    directly (no ``1 - P(none)`` cancellation). Beyond enumeration, by a chain of Quickscore runs
    (:func:`twitchnet.engine.quickscore.group_masses`): ``P(e, m_1 .. m_(i-1) absent, m_i present)``
    is Quickscore with the first members' priors set to 0. Both equal pgmpy's joint query on
    ``model.to_pgmpy()``.

    Parameters
    ----------
    model : DiagnosticModel
    case : Encoded
    groups : sequence of CauseGroup, optional
        Default: the knowledge base's (``model.kb.groups``).

    Returns
    -------
    dict
        Group id -> probability, in the order of ``groups``; 0.0 for every group when the
        evidence is impossible.

    Raises
    ------
    EngineLimitError
        Beyond enumeration, for a case beyond Quickscore's limits (too many present findings).
    """
    import numpy as np

    groups = model.kb.groups if groups is None else groups
    index = {c: i for i, c in enumerate(model.cause_ids)}
    out = {}
    if model.enumerable:
        masks = [sum(1 << index[m] for m in g.members) for g in groups]
        probs = group_probabilities_of_arrays(model.arrays, case.rf_state, case.finding_state, masks, getattr(case, "soft", ()))
        return {g.id: p for g, p in zip(groups, probs)}
    if getattr(case, "soft", ()):
        raise model._enumeration_limit("cause-group probabilities with soft evidence (twitchnet.maybe)")
    from twitchnet.engine.quickscore import group_masses

    fs = case.finding_state
    neg, pos = np.flatnonzero(fs == 0).tolist(), np.flatnonzero(fs == 1).tolist()
    for g in groups:
        lev, log_any = group_masses(model, list(case.codes), neg, pos, [index[m] for m in g.members])
        out[g.id] = 0.0 if not lev > -np.inf else float(min(1.0, np.exp(log_any - lev)))
    return out


def group_probabilities_of_arrays(arr, rf_state, finding_state, masks, soft=()):
    """Groups' probabilities on compiled arrays (the enumeration path of :func:`group_probabilities`).

    Parameters
    ----------
    arr : twitchnet.model.arrays.Arrays
    rf_state, finding_state : ndarray of shape (R,) and (F,)
    masks : sequence of int
        Per group, the bit mask of its members (bit ``i`` = cause ``i``).
    soft : sequence of (int, float), optional
        Soft findings (``Encoded.soft``): each multiplies every state by
        ``P(f absent | s) + ratio * P(f present | s)``, as the reference engine does.

    Returns
    -------
    list of float
        0.0 for every group when the evidence is impossible.
    """
    import numpy as np

    from twitchnet.engine.reference import log_joint, logsumexp

    _, lj = log_joint(arr, rf_state[None], finding_state[None])
    lj = lj[0]
    for f, ratio in soft:
        lj = lj + np.logaddexp(arr.log_f0[:, f], np.log(ratio) + arr.log_f1[:, f])
    total = logsumexp(lj)
    states = np.arange(lj.shape[0])
    return [0.0 if not total > -np.inf else float(np.exp(logsumexp(lj[(states & mask) != 0]) - total)) for mask in masks]


def group_counterfactual_measures(model, case, groups=None):
    """Every cause group's expected disablement and sufficiency (the whole group intervened on).

    See :func:`twitchnet.engine.counterfactual.group_counterfactuals`. Within enumeration only
    (the average runs over the joint cause states); beyond it, ``(None, None)`` per group.

    Returns
    -------
    dict
        Group id -> ``(disablement, sufficiency)``; ``(0.0, 0.0)`` for impossible evidence.
    """
    groups = model.kb.groups if groups is None else groups
    if not model.enumerable:
        return {g.id: (None, None) for g in groups}
    import numpy as np

    from twitchnet.engine.counterfactual import group_counterfactuals
    from twitchnet.engine.reference import log_joint, logsumexp

    arr = model.arrays
    _, lj = log_joint(arr, case.rf_state[None], case.finding_state[None])
    total = logsumexp(lj[0])
    if not total > -np.inf:
        return {g.id: (0.0, 0.0) for g in groups}
    post = np.exp(lj[0] - total)
    positive = np.flatnonzero(case.finding_state == 1)
    index = {c: i for i, c in enumerate(model.cause_ids)}
    return {g.id: group_counterfactuals(arr, post, positive, [index[m] for m in g.members]) for g in groups}
