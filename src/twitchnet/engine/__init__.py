"""Layer 3: exact inference, behind one interface.

Every engine answers the same two questions on a compiled model, exactly:

* :meth:`Engine.explain`: one encoded case (:class:`twitchnet.model.Encoded`) with its sequential
  explanation (the change in each cause's log-odds as each observed finding is added) and the
  counterfactual measures, as an :class:`Explained`;
* :meth:`Engine.posterior`: many cases at once, as state arrays, giving ``P(c | e)`` and
  ``log P(e)`` per row.

Three implementations, each written once:

========================  ======================================================================
``"reference"``           :mod:`twitchnet.engine.reference`: numpy in log space, enumerating the
                          ``2**causes`` joint cause states; written for clarity. The engine when
                          no C kernel is built.
``"enumeration"``         :mod:`twitchnet.engine.kernel`: the same sums in the compiled C kernel
                          (inner loops only), on lookup tables built in numpy. Where the kernel
                          is not built, the reference engine runs (and ``Diagnosis.engine`` says
                          ``"reference"``).
``"quickscore"``          :mod:`twitchnet.engine.quickscore`: Heckerman's Quickscore for
                          two-layer noisy-OR networks, exponential in the present findings, not
                          in the causes: models of hundreds of causes.
========================  ======================================================================

The engine is an explicit setting: ``DiagnosticModel(kb, engine=...)`` or
``twitchnet.diagnose(..., engine=...)``, ``"auto"`` by default, which :func:`select` resolves per case
by cost (:func:`choose`). Nothing here reads a global or an environment
variable except :mod:`twitchnet.engine.kernel`, which honours ``TWITCHNET_NO_KERNEL=1`` (the same
install without its compiled part, as on a machine without a compiler).

This module imports no numpy: the command line's cold start stays fast.
"""

from __future__ import annotations

from typing import NamedTuple

from twitchnet._memo import memo
from twitchnet._validation import fail
from twitchnet.errors import EngineLimitError, EvidenceError
from twitchnet.limits import ENGINES, enumeration_ok

__all__ = ["ENGINES", "Engine", "Explained", "choose", "for_batch", "get", "group_probabilities", "select"]


class Explained(NamedTuple):
    """What an engine computes for one case, as Python lists (C entries each).

    Attributes
    ----------
    log_evidence : float
        ``log P(e)``; ``-inf`` when the evidence is impossible (then every other field is None).
    prior_log_odds, log_odds, prior, probability : list of float
        Given the risk factors only, and given all the evidence.
    steps : list of list of float
        Per cause, the change in its log-odds as each observed finding is added (the explanation).
    disablement, sufficiency : list of float
        The counterfactual measures (:mod:`twitchnet.engine.counterfactual`).
    """

    log_evidence: float
    prior_log_odds: list
    log_odds: list
    prior: list
    probability: list
    steps: list
    disablement: list
    sufficiency: list

    @classmethod
    def impossible(cls):
        """The answer for evidence of probability zero."""
        return cls(float("-inf"), *([None] * 7))


class Engine:
    """The interface every exact engine implements.

    Attributes
    ----------
    name : str
        The engine's name (one of :data:`twitchnet.limits.ENGINES` other than ``"auto"``), as
        ``Diagnosis.engine`` records it.
    """

    name = ""

    def supports(self, model):
        """Whether this engine can run ``model`` at all (its size is within the engine's limits)."""
        raise NotImplementedError

    def explain(self, model, case):
        """One case with its explanation.

        Parameters
        ----------
        model : twitchnet.DiagnosticModel
        case : twitchnet.model.Encoded
            The validated, encoded evidence (:meth:`twitchnet.DiagnosticModel.encode`).

        Returns
        -------
        Explained or None
            None when a sum leaves the range in which this engine is exact (then the reference
            engine, in log space, decides).
        """
        raise NotImplementedError

    def posterior(self, source, rf_state, finding_state, *, threads=None):
        """Posterior probabilities of every cause for many cases.

        Parameters
        ----------
        source : twitchnet.DiagnosticModel or twitchnet.model.arrays.Arrays
            The model, or compiled arrays (as :mod:`twitchnet.explain.uncertainty` and
            :mod:`twitchnet.learn` build for changed numbers).
        rf_state : ndarray of shape (N, R), int
            Risk-factor state indices, -1 where unknown.
        finding_state : ndarray of shape (N, F), int
            1 present, 0 absent, -1 unknown.
        threads : int, optional
            Worker threads, where the engine uses them.

        Returns
        -------
        prob : ndarray of shape (N, C)
            ``P(c | e)``; 0 in rows whose evidence is impossible.
        log_evidence : ndarray of shape (N,)
            ``log P(e)``; ``-inf`` where the evidence is impossible.
        """
        raise NotImplementedError

    def __repr__(self):
        return f"<twitchnet engine {self.name!r}>"


def get(name, model=None):
    """The engine called ``name``.

    ``"enumeration"`` is the C kernel when it is built (and, given ``model``, holds it: see
    :data:`twitchnet.limits.MAX_FINDINGS`), else the reference engine (the same
    enumeration, in numpy).

    Parameters
    ----------
    name : {"enumeration", "quickscore", "reference"}
    model : twitchnet.DiagnosticModel, optional

    Returns
    -------
    Engine
    """
    if name == "quickscore":
        from twitchnet.engine.quickscore import QUICKSCORE

        return QUICKSCORE
    if name == "enumeration":
        from twitchnet.engine.kernel import KERNEL

        if KERNEL.built and (model is None or KERNEL.supports(model)):
            return KERNEL
    elif name != "reference":
        raise fail(EvidenceError, "engine", "one of " + ", ".join(map(repr, ENGINES[1:])), name)
    from twitchnet.engine.reference import REFERENCE

    return REFERENCE


def select(model, setting, n_positive):
    """The engine to run for one case.

    Parameters
    ----------
    model : twitchnet.DiagnosticModel
    setting : {"auto", "enumeration", "quickscore", "reference"}
        Already validated (:func:`twitchnet._validation.check_engine`).
    n_positive : int
        Findings observed present in the case.

    Returns
    -------
    Engine

    Raises
    ------
    EngineLimitError
        When the case is beyond every engine's exact limit (``"auto"``), or beyond the limit of
        the engine asked for.
    """
    if setting == "auto":
        fixed = memo(model, "auto", lambda: _auto_without_positives(model))
        if fixed is not None:
            return fixed
        setting = choose(len(model.cause_ids), model.n_contexts, n_positive)
    if setting != "quickscore" and not model.enumerable:
        raise model._enumeration_limit(f"engine {setting!r}")
    return get(setting, model)


def _auto_without_positives(model):
    """What ``"auto"`` runs for every case of ``model`` when that does not depend on the number of
    present findings (enumeration costs no more than Quickscore's fixed cost), else None.
    """
    from twitchnet.limits import QS_OVERHEAD

    if model.enumerable and model.n_contexts * 2 ** len(model.cause_ids) <= QS_OVERHEAD:
        return get("enumeration", model)
    return None


def for_batch(model, setting=None):
    """The engine a batch of cases runs (:func:`twitchnet.diagnose_frame`, learning, sensitivity).

    Parameters
    ----------
    model : twitchnet.DiagnosticModel
    setting : {"auto", "enumeration", "quickscore", "reference"}, optional
        Default: the model's. ``"auto"`` is enumeration when the model can be enumerated, else
        Quickscore (one run per row).

    Returns
    -------
    Engine
    """
    setting = model.engine if setting is None else setting
    if setting == "auto":
        setting = "enumeration" if model.enumerable else "quickscore"
    if setting != "quickscore" and not model.enumerable:
        raise model._enumeration_limit(f"engine {setting!r}")
    return get(setting, model)


def choose(n_causes, n_contexts, n_positive):
    """The engine ``engine="auto"`` runs: the cheaper of the two exact engines that can run the case.

    Cost model (units: one joint state enumerated by the C kernel; constants in
    :mod:`twitchnet.limits`): enumeration costs ``K * 2**causes``; Quickscore ``QS_OVERHEAD + QS_RATIO * K * 2**positives * (positives + 1)``.
    Enumeration only within :func:`twitchnet.limits.enumeration_ok`; Quickscore only up to
    ``limits.MAX_QUICKSCORE_POSITIVES`` present findings; with neither, an ``EngineLimitError`` names
    both limits. Pure Python (no numpy), so the command line stays fast.
    """
    from twitchnet.limits import MAX_ENUMERATION_CAUSES, MAX_ENUMERATION_CELLS, MAX_QUICKSCORE_POSITIVES, QS_OVERHEAD, QS_RATIO

    enum_ok = enumeration_ok(n_causes, n_contexts)
    qs_ok = n_positive <= MAX_QUICKSCORE_POSITIVES
    if enum_ok and qs_ok:
        cost_enum = n_contexts * 2**n_causes
        cost_qs = QS_OVERHEAD + QS_RATIO * n_contexts * 2**n_positive * (n_positive + 1)
        return "enumeration" if cost_enum <= cost_qs else "quickscore"
    if enum_ok:
        return "enumeration"
    if qs_ok:
        return "quickscore"
    raise fail(
        EngineLimitError, "engine",
        f"a case some exact engine can run: this model has {n_causes} causes and {n_contexts} contexts, beyond "
        f"enumeration (contexts x 2**causes at most {MAX_ENUMERATION_CELLS}, at most {MAX_ENUMERATION_CAUSES} causes), "
        f"and Quickscore sums over 2**present findings (at most {MAX_QUICKSCORE_POSITIVES} present)",
        f"{n_positive} present findings",
    )


def group_probabilities(model, case):
    """Every cause group's probability that at least one member is present, given one case.

    ``1 - P(every member absent | e)``, the members' joint from the exact sum over the joint cause
    states in log space (the reference engine's :func:`~twitchnet.engine.reference.log_joint`), so
    equal to pgmpy's joint query on ``model.to_pgmpy()``.

    Parameters
    ----------
    model : DiagnosticModel
    case : Encoded

    Returns
    -------
    dict
        Group id -> probability, in knowledge-base order.

    Raises
    ------
    EngineLimitError
        For a model beyond enumeration (no engine computes a joint of causes there yet).
    """
    if not model.enumerable:
        raise model._enumeration_limit("cause-group probabilities")
    import numpy as np

    from twitchnet.engine.reference import log_joint, logsumexp

    arr = model.arrays
    _, lj = log_joint(arr, case.rf_state[None], case.finding_state[None])
    lj = lj[0]
    total = logsumexp(lj)
    index = {c: i for i, c in enumerate(model.cause_ids)}
    states = np.arange(lj.shape[0])
    out = {}
    for g in model.kb.groups:
        mask = sum(1 << index[m] for m in g.members)
        none = logsumexp(lj[(states & mask) == 0])
        out[g.id] = float(-np.expm1(none - total))
    return out
