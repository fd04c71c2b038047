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

from typing import TYPE_CHECKING, NamedTuple

from twitchnet._memo import memo
from twitchnet._validation import fail
from twitchnet.errors import EngineLimitError, EvidenceError
from twitchnet.limits import ENGINES, enumeration_ok

if TYPE_CHECKING:
    from twitchnet.model import DiagnosticModel

__all__ = ["ENGINES", "Engine", "Explained", "choose", "cost", "for_batch", "get", "observed_order", "select", "soft_terms"]


def observed_order(case):
    """Every observed finding of a case, hard and soft, in knowledge-base (column) order: the
    order of the explanation's steps. Each entry is ``(column, value, ratio)``: ``value`` 1 or 0
    and ``ratio`` None for a hard answer, ``value`` None and the likelihood ratio for a soft one.
    """
    soft = getattr(case, "soft", ())
    hard = [(f, val, None) for f, val in zip(case.observed, case.observed_values)]
    if not soft:
        return hard
    return sorted(hard + [(f, None, r) for f, r in soft], key=lambda t: t[0])


def soft_terms(ratio):
    """A soft finding's factor ``P(f absent | s) + ratio * P(f present | s)`` as a combination, with
    non-negative weights, of two hard answers: ``[(weight, value)]`` where ``value`` is None
    (unknown: the factor 1), 1 (present) or 0 (absent). For ``ratio >= 1`` it is
    ``1 + (ratio - 1) P(f present | s)``; below 1, ``ratio + (1 - ratio) P(f absent | s)``. No
    term is negative, so a sum over them loses no digits; a zero weight is left out.
    """
    if ratio >= 1.0:
        return [(1.0, None)] + ([(ratio - 1.0, 1)] if ratio > 1.0 else [])
    return [(ratio, None), (1.0 - ratio, 0)]


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

    def posterior_many(self, model, case, theta, *, groups=()):
        """One case under many sets of the knowledge base's numbers: what uncertainty, its
        derivatives and sensitivity need.

        The enumeration engines (reference and kernel) run :func:`twitchnet.engine.many.posterior_many`,
        vectorised over the sets; Quickscore overrides this.

        Parameters
        ----------
        model : twitchnet.DiagnosticModel
            Its structure; its numbers are replaced by each row of ``theta``.
        case : twitchnet.model.Encoded
            Hard evidence (soft evidence is not read).
        theta : ndarray of shape (D, P)
            Parameter sets in :meth:`KnowledgeBase.numbers` order (:mod:`twitchnet.model.parameters`).
        groups : sequence of sequence of int, default=()
            Cause groups as member cause indices.

        Returns
        -------
        prob : ndarray of shape (D, C)
            ``P(c | e)`` under each set.
        group_prob : ndarray of shape (D, G)
            ``P(at least one member present | e)`` under each set.

        Raises
        ------
        EngineLimitError
            When the model is beyond this engine's limits.
        """
        from twitchnet.engine.many import posterior_many

        if not model.enumerable:
            raise model._enumeration_limit(f"engine {self.name!r} over many parameter sets")
        return posterior_many(model, case, theta, groups)

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


def select(model: DiagnosticModel, setting: str, n_positive: int, n_observed: int | None = None, *, n_soft: int = 0) -> Engine:
    """The engine to run for one case.

    Parameters
    ----------
    model : twitchnet.DiagnosticModel
    setting : {"auto", "enumeration", "quickscore", "reference"}
        Already validated (:func:`twitchnet._validation.check_engine`).
    n_positive : int
        Findings observed present in the case (a soft finding that leans present, ratio above 1,
        counts: Quickscore sums over it as over a present one).
    n_observed : int, optional
        Findings observed (present, absent or soft); default ``n_positive``.
    n_soft : int, default=0
        Findings given as soft evidence (:func:`twitchnet.maybe`), see :func:`cost`.

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
        setting = choose(len(model.cause_ids), model.n_contexts, n_positive, n_observed, kernel=_kernel_runs(model), n_soft=n_soft)
    if setting != "quickscore" and not model.enumerable:
        raise model._enumeration_limit(f"engine {setting!r}")
    return get(setting, model)


def _kernel_runs(model):
    """Whether ``"enumeration"`` is the C kernel for ``model`` (else the reference engine)."""
    return model.enumerable and get("enumeration", model).name == "enumeration"


def _auto_without_positives(model):
    """What ``"auto"`` runs for every case of ``model`` when the cost model says enumeration is
    never dearer than Quickscore, whatever the case (see :func:`choose`), else None.

    Enumeration costs ``e0 + e1 * 2**C * (K + m + 2 p)``; Quickscore at least ``(m + 1 + 2 p) * q0``
    (no present finding), plus ``q1`` per run once one is present. Enumeration is never dearer when
    its cost with nothing observed is at most one Quickscore run (``e0 + e1 * 2**C * K <= q0``) and
    each observed finding adds no more to it than one run does (``e1 * 2**C <= q0``).
    """
    from twitchnet.limits import COST_KERNEL, COST_QUICKSCORE, COST_REFERENCE

    if not model.enumerable:
        return None
    e0, e1 = COST_KERNEL if _kernel_runs(model) else COST_REFERENCE
    q0 = COST_QUICKSCORE[0]
    states = 2 ** len(model.cause_ids)
    if e0 + e1 * states * model.n_contexts <= q0 and e1 * states <= q0:
        return get("enumeration", model)
    return None


def for_batch(model, setting=None):
    """The engine a batch of cases runs (:func:`twitchnet.diagnose_frame`, learning, sensitivity).

    Parameters
    ----------
    model : twitchnet.DiagnosticModel
    setting : {"auto", "enumeration", "quickscore", "reference"}, optional
        Default: the model's. ``"auto"`` is enumeration when the model can be enumerated, else
        Quickscore (one run per row). Enumeration's batch is vectorised over the rows (in C, or in
        numpy without the kernel) while Quickscore's runs each row alone at numpy's fixed cost
        (about 66 us a row with no present finding, ``limits.COST_QUICKSCORE``), more than a whole
        row of the batch kernel (a few microseconds) or of the numpy batch.

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


def cost(n_causes: int, n_contexts: int, n_positive: int, n_observed: int | None = None, *, kernel: bool = True,
         n_soft: int = 0) -> tuple[float, float]:
    """The fitted time of one explained case in each engine, in microseconds (see :func:`choose`).

    A soft finding (``n_soft`` of the observed ones) is one more per-state row in enumeration,
    as a hard one, in the C kernel as in the reference engine. Quickscore writes its factor as a
    combination of two hard cases (:func:`soft_terms`), so each step of the explanation after
    ``s`` soft findings costs ``2**s`` runs, and so does each counterfactual run: counted as if the
    soft findings came last, ``(m - n_soft + 1) + (2**(n_soft + 1) - 2) + 2 p 2**n_soft`` runs
    instead of ``m + 1 + 2 p`` (an upper bound: they come in knowledge-base order).

    Returns
    -------
    enumeration, quickscore : float
    """
    from twitchnet.limits import COST_KERNEL, COST_QUICKSCORE, COST_REFERENCE

    m = n_positive if n_observed is None else max(n_observed, n_positive)
    p = n_positive
    e0, e1 = COST_KERNEL if kernel else COST_REFERENCE
    q0, q1, q2 = COST_QUICKSCORE
    enum = e0 + e1 * 2**n_causes * (n_contexts + m + 2 * p)
    s = min(n_soft, m)
    runs = (m - s + 1) + (2 ** (s + 1) - 2) + 2 * p * 2**s
    qs = runs * (q0 + (q1 if p else 0.0) + q2 * n_contexts * 2**p * (p + 1))
    return enum, qs


def choose(n_causes: int, n_contexts: int, n_positive: int, n_observed: int | None = None, *, kernel: bool = True, n_soft: int = 0) -> str:
    """The engine ``engine="auto"`` runs: the cheaper of the two exact engines that can run the case.

    Cost model (:func:`cost`; constants in :mod:`twitchnet.limits`, fitted to measured times of
    ``Engine.explain`` on this machine): enumeration costs ``e0 + e1 * 2**causes * (contexts +
    observed + 2 * present)``, with the C kernel's constants or, with ``kernel=False``, the
    reference engine's; Quickscore ``(observed + 1 + 2 * present) * (q0 + q1 * [present > 0] +
    q2 * contexts * 2**present * (present + 1))``. With the kernel, enumeration is the cheaper in
    every measured case it can run (Quickscore pays numpy's fixed cost per run); without it,
    Quickscore wins cases with no present finding and few observed ones (at most three on the
    default model, eleven on a model of 13 causes and 8 contexts).
    Enumeration only within :func:`twitchnet.limits.enumeration_ok`; Quickscore only up to
    ``limits.MAX_QUICKSCORE_POSITIVES`` present findings; with neither, an ``EngineLimitError`` names
    both limits. Pure Python (no numpy), so the command line stays fast.

    Parameters
    ----------
    n_causes, n_contexts : int
    n_positive : int
        Findings observed present.
    n_observed : int, optional
        Findings observed, present or absent; default ``n_positive``.
    kernel : bool, default=True
        Whether enumeration runs in the C kernel (else the reference engine).
    n_soft : int, default=0
        Observed findings given as soft evidence (see :func:`cost`).

    Returns
    -------
    {"enumeration", "quickscore"}
    """
    from twitchnet.limits import MAX_ENUMERATION_CAUSES, MAX_ENUMERATION_CELLS, MAX_QUICKSCORE_POSITIVES

    enum_ok = enumeration_ok(n_causes, n_contexts)
    qs_ok = n_positive <= MAX_QUICKSCORE_POSITIVES
    if enum_ok and qs_ok:
        cost_enum, cost_qs = cost(n_causes, n_contexts, n_positive, n_observed, kernel=kernel, n_soft=n_soft)
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
