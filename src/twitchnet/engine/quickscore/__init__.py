"""Quickscore: exact posteriors at a cost exponential in the present findings, not the causes.

Heckerman D. A tractable inference algorithm for diagnosing multiple diseases. Proceedings of the
Fifth Conference on Uncertainty in Artificial Intelligence (UAI 1989), 163-171. Written here from
the mathematics for twitchnet's three layers (risk factors -> causes -> noisy-OR findings).

Given the context ``k`` (joint state of the shared risk factors, summed exactly outside), the
causes are independent with weights ``a_c = P(c absent, e_priv(c) | k)`` and
``b_c = P(c present, e_priv(c) | k)``. Under noisy-OR ``P(f absent | s) = (1 - l_f)
prod_c (1 - p_cf)**s_c``, so

* every **absent** finding folds into each cause's present weight, ``b_c *= prod (1 - p_cf)``,
  and into a constant ``prod (1 - l_f)``;
* the **present** findings ``F+`` expand by inclusion-exclusion,
  ``prod_{f in F+} (1 - g_f(s)) = sum_{S subset F+} (-1)**|S| prod_{f in S} g_f(s)``, and for each
  subset ``S`` the sum over the ``2**C`` cause states factorises:
  ``sum_s prod_c w_c(s_c) prod_{f in S} g_f(s) = L_S prod_c (a_c + b_c m_c(S))`` with
  ``L_S = prod_{f in S} (1 - l_f)`` and ``m_c(S) = prod_{f in S} (1 - p_cf)``.

The mass with cause ``c`` present is the same sum with ``a_c + b_c m_c(S)`` replaced by
``b_c m_c(S)`` (and absent: by ``a_c``), so each posterior comes from two sums of its own, as in
the enumeration engine. Causes with no present child factor out of the sum over subsets. Causes are
grouped by which present findings they are parents of; a group's factor depends only on the
subset's intersection with that set, and the per-cause sums are projections of one signed vector.
Work: ``K * 2**|F+| * (groups + bits)`` operations.

**Numerics.** The alternating sum cancels: its terms are of order 1 while the result,
``P(F+ | ...)``, can be ``1e-12`` or less, so double precision loses all digits. Every term and sum
is therefore computed in double-double arithmetic (about 106 bits; Dekker 1971, Hida, Li & Bailey
2001) from the model's double inputs (``1 - p`` is formed exactly), and a running error bound is
kept: ``gamma * sum |terms|`` for every sum, ``gamma = (ops + 32) * 2**-100``. When the bound for
any returned mass exceeds ``TOLERANCE`` (1e-13 relative) of the mass itself, the same sums are
recomputed in pairs of x87 long doubles (64-bit significands, about 128 bits together, error bound
``(ops + 32) * 2**-122``; the ``path`` still says "double-double"; only where numpy's long double
is x87 extended, as on Linux and macOS x86-64). The double-double bound is
pessimistic (it counts every operation's worst case), and this second pass makes it rare to go
further: on 60 QMR-shaped cases with up to 16 present findings (``benchmarks/bench_scale.py``), none
went further, where 14 of the 60 were refused before it. Only when that bound fails too is the case recomputed
in exact rational arithmetic (:mod:`fractions`; slow, so only up to
``limits.MAX_EXACT_FALLBACK_TERMS`` subsets x causes, beyond which the case is refused with an
:class:`~twitchnet.errors.EngineLimitError` saying why) and the returned ``path`` says so.
Present findings that share no cause are summed separately (connected components), which keeps
both the work and the cancellation to each component. The inputs themselves (the normalised cause
weights) are rounded doubles; every mass is a multilinear polynomial with non-negative
coefficients in them, so their rounding moves a result by at most a few ulps, relatively.

Modules: :mod:`.doubles` (double-double arithmetic), :mod:`.sums` (the sums over subsets and their
precision paths), :mod:`.combine` (one run over connected components), :mod:`.plan` (a model's plan,
one case's masses), :mod:`.explain` (the explanation), :mod:`.many` (many parameter vectors); this
module holds the engine.
"""

from __future__ import annotations

import math

import numpy as np

from twitchnet.engine import Engine
from twitchnet.engine.quickscore.combine import _lse
from twitchnet.engine.quickscore.explain import _explain
from twitchnet.engine.quickscore.many import posterior_many
from twitchnet.engine.quickscore.plan import QuickscorePlan, masses, plan_of
from twitchnet.engine.quickscore.sums import TOLERANCE
from twitchnet.errors import EngineLimitError

__all__ = ["QUICKSCORE", "TOLERANCE", "QuickscoreEngine", "QuickscorePlan", "group_masses", "masses", "plan_of", "posterior",
           "posterior_many"]


def group_masses(model, codes, negative, positive, members, exact=False):
    """``log P(e)`` and ``log P(at least one of members present, e)`` by a chain of Quickscore runs.

    ``P(any present, e) = sum_i P(m_1 .. m_(i-1) absent, m_i present, e)``: run ``i`` holds the
    members before ``m_i`` absent (their prior's present weight 0, :func:`masses`' ``absent``) and
    reads ``m_i``'s present mass. Every term is a mass Quickscore computes exactly, and the sum
    has no cancellation (unlike ``P(e) - P(every member absent, e)``), so a small group
    probability keeps its relative precision. Cost: one run per member.

    Parameters
    ----------
    model : DiagnosticModel
    codes, negative, positive
        As :func:`masses`.
    members : sequence of int
        The group's cause indices.

    Returns
    -------
    log_evidence, log_any : float
    """
    qp = plan_of(model)
    terms = []
    lev = None
    for i, m in enumerate(members):
        lz, l1, _, _ = masses(qp, codes, negative, positive, exact=exact, absent=members[:i])
        if i == 0:
            lev = lz
        terms.append(l1[m])
    with np.errstate(divide="ignore"):
        log_any = float(_lse(np.array(terms), axis=0)) if terms else -math.inf
    return lev, log_any


def posterior(model, codes, negative, positive, exact=False):
    """Posterior log-odds of every cause for one case.

    Returns
    -------
    log_odds : ndarray of shape (C,)
    log_evidence : float
    path : str
    """
    lev, l1, l0, path = masses(plan_of(model), codes, negative, positive, exact=exact)
    with np.errstate(invalid="ignore"):
        return l1 - l0, lev, path


class QuickscoreEngine(Engine):
    """The ``"quickscore"`` engine (see the module docstring)."""

    name = "quickscore"

    def supports(self, model):
        """Every model that loads (its tables are linear in causes and findings)."""
        return True

    def explain(self, model, case):
        """One case (see :meth:`twitchnet.engine.Engine.explain`); never None."""
        soft = getattr(case, "soft", ())
        if not soft:
            return _explain(model, case.codes, case.observed, case.observed_values, lazy=True)
        from twitchnet.engine import observed_order

        order = observed_order(case)
        return _explain(model, case.codes, [f for f, _, _ in order], [val for _, val, _ in order], soft=dict(soft))

    def posterior(self, source, rf_state, finding_state, *, threads=None, failed=None):
        """Many cases, one Quickscore run each (``threads`` unused). ``source`` must be a model.

        Parameters
        ----------
        failed : dict, optional
            When given, a row beyond Quickscore's limits does not stop the batch: its
            :class:`~twitchnet.errors.EngineLimitError` is stored here under the row's position in
            the batch, and its probabilities and log-evidence are NaN.

        Raises
        ------
        EngineLimitError
            Without ``failed``, for a row beyond Quickscore's limits (more than
            ``limits.MAX_QUICKSCORE_POSITIVES`` present findings, or cancellation beyond its
            precision budget); its ``row`` is the row's position in the batch.
        """
        qp = plan_of(source)
        rf_state = np.asarray(rf_state, dtype=np.int64)
        finding_state = np.asarray(finding_state)
        codes = (rf_state + 1) @ qp.tables.codes
        prob = np.zeros((rf_state.shape[0], qp.n_causes))
        log_ev = np.empty(rf_state.shape[0])
        for r in range(rf_state.shape[0]):
            neg = np.flatnonzero(finding_state[r] == 0).tolist()
            pos = np.flatnonzero(finding_state[r] == 1).tolist()
            try:
                log_ev[r], l1, l0, _ = masses(qp, codes[r].tolist(), neg, pos)
            except EngineLimitError as exc:  # which row of the batch (callers name it in their terms)
                exc.row = r
                if failed is None:
                    raise
                failed[r] = exc
                prob[r] = log_ev[r] = np.nan
                continue
            if log_ev[r] > -math.inf:
                with np.errstate(over="ignore"):
                    prob[r] = 1.0 / (1.0 + np.exp(l0 - l1))
        return prob, log_ev

    def posterior_many(self, model, case, theta, *, groups=()):
        """See :meth:`twitchnet.engine.Engine.posterior_many` (Quickscore: :func:`posterior_many`)."""
        return posterior_many(model, case, theta, groups)


#: The one instance (the engine holds no state of its own).
QUICKSCORE = QuickscoreEngine()

