"""How sure is one diagnosis: its posteriors over draws of the knowledge base's numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from twitchnet import _validation as v
from twitchnet.engine.many import layout, reduced_case
from twitchnet.errors import EngineLimitError, EvidenceError, TwitchnetError
from twitchnet.explain.uncertainty.numbers import DRAWS_BLOCK, _structure, _transform
from twitchnet.explain.uncertainty.results import LEVEL, CauseUncertainty, Uncertainty

if TYPE_CHECKING:
    from twitchnet.model import DiagnosticModel
    from twitchnet.results import Diagnosis
from twitchnet.limits import MAX_DRAWS


def _check_draws(draws, key="draws"):
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 1 <= draws <= MAX_DRAWS:
        raise v.fail(EvidenceError, key, f"a whole number of draws from 1 to {MAX_DRAWS} (twitchnet.limits.MAX_DRAWS)", draws)
    return int(draws)


def _check_seed(seed):
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise v.fail(EvidenceError, "seed", "a whole number >= 0 or None", seed)
    return None if seed is None else int(seed)


def posterior_draws(model: DiagnosticModel, evidence: Mapping[str, Any] | None, theta: np.ndarray) -> np.ndarray:
    """The posterior of every cause for each row of numbers ``theta`` (D, P): (D, C), exact, by the
    model's engine for many parameter sets (:meth:`twitchnet.engine.Engine.posterior_many`).
    """
    enc = model.encode(evidence)
    theta = np.asarray(theta, dtype=float)
    return np.concatenate([_posterior_block(model, enc, theta[a : a + DRAWS_BLOCK], ())[0] for a in range(0, theta.shape[0], DRAWS_BLOCK)])


def _posterior_block(model, enc, theta, groups):
    """``(prob (D, C), group prob (D, G))`` of one block of number sets: enumeration where the model
    can be enumerated, else Quickscore (:func:`twitchnet.engine.for_batch`).
    """
    from twitchnet.engine import for_batch

    return for_batch(model).posterior_many(model, enc, theta, groups=groups)


def uncertainty(diagnosis: Diagnosis, draws: int = 1000, seed: int | None = 0) -> Uncertainty:
    """The uncertainty of a diagnosis from the knowledge base's ranges.

    Parameters
    ----------
    diagnosis : Diagnosis
    draws : int, default=1000
        Number of draws of the knowledge base's numbers.
    seed : int or None, default=0

    Returns
    -------
    Uncertainty

    Raises
    ------
    EvidenceError
        For a bad ``draws`` or ``seed``.
    EngineLimitError
        Should a draw's posterior not be a finite number (it never is: see "Never exactly 0 or
        1" above), rather than a NaN interval.

    Every error carries the diagnosis' red flags (``red_flags``, ``urgent``), and its message
    then leads with the urgent advice.
    """
    return _carrying_red_flags(diagnosis, "uncertainty", _uncertainty, diagnosis, draws, seed)


def _carrying_red_flags(diagnosis, what, fn, *args):
    """``fn(*args)``; any error on the way is a :class:`~twitchnet.errors.TwitchnetError` carrying
    the diagnosis' red flags (an arithmetic failure becomes an :class:`EngineLimitError` naming
    ``what``), never a bare exception.
    """
    from twitchnet.diagnose import with_red_flags

    try:
        return fn(*args)
    except TwitchnetError as exc:
        raise with_red_flags(exc, diagnosis.red_flags)
    except (ArithmeticError, ValueError) as exc:
        err = v.fail(EngineLimitError, what, "a computation that stays within the floating-point range", f"{type(exc).__name__}: {exc}")
        raise with_red_flags(err, diagnosis.red_flags) from exc


def _uncertainty(diagnosis, draws, seed):
    draws = _check_draws(draws)
    seed = _check_seed(seed)
    model = diagnosis.model
    st = _structure(model)
    rng = np.random.default_rng(seed)  # as draw_numbers: the generator's stream continues from
    enc = model.encode(diagnosis.evidence)  # block to block, so the draws are the same
    used = reduced_case(layout(model), model, enc).used  # only the numbers the case reads are drawn
    prob = np.empty((draws, len(st.cause_ids)))
    index = {c: i for i, c in enumerate(model.cause_ids)}
    members = [tuple(index[m] for m in g.members) for g in model.kb.groups]
    gprob = np.empty((draws, len(members)))
    for a in range(0, draws, DRAWS_BLOCK):
        z = rng.standard_normal((min(DRAWS_BLOCK, draws - a), st.n))
        prob[a : a + DRAWS_BLOCK], gprob[a : a + DRAWS_BLOCK] = _posterior_block(model, enc, _transform(st, z, used, number_major=True), members)
    bad = np.flatnonzero(~(np.isfinite(prob).all(axis=1) & np.isfinite(gprob).all(axis=1)))
    if bad.size:
        raise v.fail(EngineLimitError, "uncertainty", "a finite posterior in every draw of the knowledge base's numbers",
                     f"{bad.size} of {draws} draws without one (the first: draw {int(bad[0])})")
    return _summary(diagnosis, seed, st, prob, gprob, members)


def _summary(diagnosis, seed, st, prob, gprob, members):
    """The :class:`Uncertainty` of the posteriors ``prob`` (D, C) and group probabilities ``gprob`` (D, G)."""
    model = diagnosis.model
    index = {c: i for i, c in enumerate(model.cause_ids)}
    kb_groups = model.kb.groups
    draws = prob.shape[0]
    prob.setflags(write=False)
    n_c = prob.shape[1]
    with np.errstate(divide="ignore"):
        lo = np.log(prob) - np.log1p(-prob)
    # rank in each draw as diagnose does: by log-odds, ties in knowledge-base order
    order = np.argsort(-lo, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n_c)[None, :], axis=1)
    if members:  # a group is placed where its best member ranks, in every draw
        gprob.setflags(write=False)
        rank = np.hstack([rank] + [rank[:, list(mem)].min(axis=1, keepdims=True) for mem in members])
    p_first = (rank == 0).mean(axis=0)
    p_top3 = (rank < 3).mean(axis=0)
    # the quantiles of every cause and group in one call (column by column, as separate calls)
    q = np.quantile(np.hstack([prob, gprob]) if members else prob, [0.5, (1 - LEVEL) / 2, (1 + LEVEL) / 2], axis=0)
    causes = tuple(
        CauseUncertainty(r.cause, r.name, r.probability, float(q[0, i]), float(q[1, i]), float(q[2, i]), float(p_first[i]), float(p_top3[i]))
        for r in diagnosis.ranking
        for i in (index[r.cause],)
    )
    at_point = diagnosis.groups if members else {}
    groups = tuple(
        CauseUncertainty(g.id, g.id.replace("_", " "), float(at_point[g.id]), float(q[0, j]), float(q[1, j]), float(q[2, j]),
                         float(p_first[j]), float(p_top3[j]))
        for j, g in enumerate(kb_groups[: len(members)], start=n_c)
    )
    held = tuple(w for w, h in zip(st.where, st.held) if h)
    return Uncertainty(causes, draws, seed, LEVEL, held, prob, groups, gprob if members else None, tuple(model.cause_ids))
