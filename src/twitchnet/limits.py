"""Every structural limit of twitchnet, in one place, with the reason for each.

The loader refuses a knowledge base that no engine can run; each engine refuses a case beyond its
own limit with an :class:`~twitchnet.errors.EngineLimitError` that names the limit and why.

Enumeration (the ``"enumeration"`` and ``"reference"`` engines) sums over the ``2**causes`` joint
cause states in each of the ``K`` contexts (joint states of the shared risk factors), so its cost
and memory grow with ``K * 2**causes``. Quickscore (Heckerman 1989, the ``"quickscore"`` engine)
sums over the ``2**positives`` subsets of the findings observed present instead, and is linear in
the number of causes, so a model with hundreds of causes runs as long as a case has few present
findings.
"""

from __future__ import annotations

__all__ = [
    "ENGINES",
    "MAX_CAUSES",
    "MAX_CONTEXT_STATES",
    "MAX_ENUMERATION_CAUSES",
    "MAX_ENUMERATION_CELLS",
    "MAX_EXACT_FALLBACK_TERMS",
    "MAX_KERNEL_FINDINGS",
    "MAX_PRIVATE_CELLS",
    "MAX_QUICKSCORE_POSITIVES",
    "choose_engine",
    "enumeration_ok",
]

#: Engine names accepted by :class:`twitchnet.DiagnosticModel` and :func:`twitchnet.diagnose`.
ENGINES = ("auto", "enumeration", "quickscore", "reference")

#: Causes in one knowledge base (any engine). Quickscore's tables are linear in the causes; the
#: cap only keeps a corrupt file from asking for gigabytes.
MAX_CAUSES = 5000
#: Enumeration: at most this many causes, and ``K * 2**causes`` at most MAX_ENUMERATION_CELLS
#: (the default model has ``16 * 2**9``): the joint table of one case stays small.
MAX_ENUMERATION_CAUSES = 16
MAX_ENUMERATION_CELLS = 2**16
#: Joint states of the shared risk factors (the context ``K``), and of the context with one
#: cause's private factors (``K * J``): both engines build these tables at load.
MAX_CONTEXT_STATES = 2**12
MAX_PRIVATE_CELLS = 2**16
#: Quickscore: present findings in one case. The work is ``K * 2**positives`` per group of causes
#: sharing present children, in double-double arithmetic; 2**16 subsets keep one case under a few
#: hundred MB and about a second.
MAX_QUICKSCORE_POSITIVES = 16
#: Quickscore's exact rational fallback (taken when double-double cannot promise the tolerance, i.e.
#: when the inclusion-exclusion cancels more than about 80 of its 106 bits) costs about a few
#: microseconds per term, subsets x causes involved: beyond this many terms the case is refused.
MAX_EXACT_FALLBACK_TERMS = 2**16
#: The C kernel encodes at most this many findings per case (a fixed buffer); larger models run
#: the numpy path of the enumeration engine.
MAX_KERNEL_FINDINGS = 256


def enumeration_ok(n_causes, n_contexts):
    """Whether the enumeration engines can run a model of this size.

    Parameters
    ----------
    n_causes : int
    n_contexts : int
        Joint states of the shared risk factors.

    Returns
    -------
    bool
    """
    return n_causes <= MAX_ENUMERATION_CAUSES and n_contexts * 2**n_causes <= MAX_ENUMERATION_CELLS


#: Calibration of :func:`choose_engine`: the fixed cost of one Quickscore call, and its cost per
#: subset and present finding, in units of one joint state enumerated by the C kernel.
QS_OVERHEAD = 2**14
QS_RATIO = 16


def choose_engine(n_causes, n_contexts, n_positive):
    """The engine ``engine="auto"`` runs: the cheaper of the two exact engines that can run the case.

    Cost model (units: one joint state enumerated by the C kernel): enumeration costs
    ``K * 2**causes``; Quickscore ``QS_OVERHEAD + QS_RATIO * K * 2**positives * (positives + 1)``
    (its numpy set-up and double-double arithmetic). Enumeration only within
    :func:`enumeration_ok`; Quickscore only up to ``MAX_QUICKSCORE_POSITIVES`` present findings.
    With neither, the error names both limits. Pure Python (no numpy), so the command line stays
    fast.

    Parameters
    ----------
    n_causes, n_contexts, n_positive : int

    Returns
    -------
    {"enumeration", "quickscore"}

    Raises
    ------
    EngineLimitError
    """
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
    from twitchnet._validation import fail
    from twitchnet.errors import EngineLimitError

    raise fail(
        EngineLimitError, "engine",
        f"a case some exact engine can run: this model has {n_causes} causes and {n_contexts} contexts, beyond "
        f"enumeration (contexts x 2**causes at most {MAX_ENUMERATION_CELLS}, at most {MAX_ENUMERATION_CAUSES} causes), "
        f"and Quickscore sums over 2**present findings (at most {MAX_QUICKSCORE_POSITIVES} present)",
        f"{n_positive} present findings",
    )
