"""Forward simulation from the model, and how atypical a case's findings are.

:func:`simulate` draws whole cases by ancestral sampling (risk factors, then causes, then
findings). :func:`atypicality` compares a case with cases the model itself generates: among
cases drawn from ``P(findings | the case's risk factors)``, restricted to the findings the case
reports, it gives the share whose log-probability is at most the case's own. A small share means
the reported findings are unusual for every combination of the modelled causes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np

from twitchnet.engine.reference import logsumexp, prior_states
from twitchnet.model.parameters import logistic_pair, logit, parameters

if TYPE_CHECKING:
    import pandas as pd

    from twitchnet.model import DiagnosticModel

__all__ = ["simulate", "atypicality", "Atypicality", "ATYPICAL_BELOW"]

ATYPICAL_BELOW = 0.05  # share of model-generated cases below which a case is called atypical


def simulate(model: DiagnosticModel, n: int, seed: int | None = None, causes: bool = False, *,
             progress: object = None) -> pd.DataFrame:
    """Draw ``n`` cases from the model by ancestral sampling.

    Parameters
    ----------
    model : DiagnosticModel
    n : int
    seed : int or None
        Seed for :func:`numpy.random.default_rng`.
    causes : bool, default=False
        Also return the sampled causes, as columns named ``cause.<id>``.
    progress : bool or None, default=None
        A tqdm bar over the sampling steps (each risk factor, each cause, the findings): ``True``
        always, ``False`` never, ``None`` in a terminal or notebook once it has run for two seconds.

    Returns
    -------
    pandas.DataFrame
        One column per risk factor and finding (vocabulary ids, so the frame can go straight into
        :func:`twitchnet.diagnose_frame`). ``age`` is drawn uniformly within its group (the top
        group is capped at 95 years); ``sex`` as text; yes/no ids as booleans.
    """
    import pandas as pd

    from twitchnet import _progress
    from twitchnet import _validation as v
    from twitchnet.errors import EvidenceError

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise v.fail(EvidenceError, "n", "a whole number >= 0", n)
    progress = _progress.check_progress(progress)
    rng = np.random.default_rng(seed)
    kb = model.kb
    state: dict[str, Any] = {}
    bar = _progress.bar(progress, len(kb.risk_factors) + len(kb.causes) + 2, desc=f"simulate {n} cases", unit="steps",
                        purpose="simulate(progress=True)")
    for rf in kb.risk_factors:
        bar.update(1)
        if rf.kind == "binary":
            if rf.parent is None:
                p = np.full(n, rf.prior[0].value)
            else:  # P(True | parent state), indexed by the parent's sampled state
                p = np.array([x.value for x in rf.prior])[state[rf.parent]]
            state[rf.id] = (rng.random(n) < p).astype(np.int64)
        else:
            probs = np.array([x.value for x in rf.prior])
            state[rf.id] = rng.choice(len(probs), size=n, p=probs / probs.sum())
    cause_on = np.zeros((n, len(kb.causes)), dtype=bool)
    for c, cause in enumerate(kb.causes):
        bar.update(1)
        z = np.full(n, logit(cause.baseline.value))
        for e in cause.effects:
            on = np.ones(n, dtype=bool)
            for f, st in e.conditions:
                on &= state[f] == kb.risk_factors[model.risk_factor_ids.index(f)].states.index(st)
            z += math.log(e.odds_ratio.value) * on
        cause_on[:, c] = rng.random(n) < logistic_pair(z)[0]  # the logistic prior, as the engines read it
    a0, b0 = noisy_or_logs(model)
    log_absent = cause_on.astype(float) @ b0 + a0  # noisy-OR, (n, F)
    findings = rng.random(log_absent.shape) >= np.exp(log_absent)
    bar.update(1)
    data = {}
    for rf in kb.risk_factors:
        s = state[rf.id]
        if rf.kind == "number":
            lo = np.array(rf.edges[:-1])[s]
            hi = np.minimum(np.array(rf.edges[1:])[s], 96)
            data[rf.id] = rng.integers(lo.astype(int), hi.astype(int))
        elif rf.kind == "category":
            data[rf.id] = np.array(rf.states, dtype=object)[s]
        else:
            data[rf.id] = s.astype(bool)
    _plausible_ages(model, state, data, rng)
    for f_i, fid in enumerate(model.finding_ids):
        data[fid] = findings[:, f_i]
    for cat in kb.categories:  # the highest level present (the first state when none is)
        level = np.zeros(n, dtype=np.int64)
        for j, col in enumerate(model._levels[cat.id], start=1):
            level[findings[:, col]] = j
        data[cat.id] = np.array(cat.states, dtype=object)[level]
    if causes:
        for c, cid in enumerate(model.cause_ids):
            data[f"cause.{cid}"] = cause_on[:, c]
    out = pd.DataFrame(data)
    bar.update(1)
    bar.close()
    return out


def noisy_or_logs(model: DiagnosticModel) -> tuple[np.ndarray, np.ndarray]:
    """``log P(f absent | no cause)`` per finding and ``log(1 - p_cf)`` per cause and finding.

    From the parameters layer's one compile step (:mod:`twitchnet.model.parameters`: links and
    leaks, no table over the joint cause states), so sampling runs on a model of any size.

    Returns
    -------
    a0 : ndarray of shape (F,)
    b0 : ndarray of shape (C, F)
    """
    par = parameters(model)
    tables = par.compile(par.values)
    assert tables.log_leak_off is not None and tables.log_keep is not None  # compiled with findings
    return tables.log_leak_off, tables.log_keep


def _plausible_ages(model, state, data, rng):
    """Keep the drawn ages within the plausibility checks of :data:`twitchnet.model.PLAUSIBLE_AGES`
    (pregnancy at 12-55), which diagnose and frames apply: a person with such a factor present gets
    an age drawn within the overlap of their age group and the plausible range. The knowledge base's
    pregnancy prior depends on sex only, so it also puts pregnancies in groups wholly above the range
    (60-69, 70+); those are reported as absent (about 0.5% of rows of the default model).
    """
    from twitchnet.model import PLAUSIBLE_AGES

    ages = [rf for rf in model.kb.risk_factors if rf.kind == "number" and rf.id == "age"]
    if not ages:
        return
    rf = ages[0]
    for fid, (lo, hi) in PLAUSIBLE_AGES.items():
        if fid not in data:
            continue
        on = np.flatnonzero(data[fid] & ((data["age"] < lo) | (data["age"] > hi)))
        if not on.size:
            continue
        s = state["age"][on]
        low = np.maximum(np.array(rf.edges[:-1])[s], lo).astype(int)
        high = np.minimum(np.minimum(np.array(rf.edges[1:])[s], 96), hi + 1).astype(int)
        fits = low < high
        data["age"][on[fits]] = rng.integers(low[fits], high[fits])
        data[fid][on[~fits]] = False


@dataclass(frozen=True)
class Atypicality:
    """How a case's findings compare with cases the model generates.

    Attributes
    ----------
    percentile : float
        Share of model-generated cases (same risk factors, same reported findings) whose
        findings are at most as probable as this case's. Near 0: unusual for the model.
    log_likelihood : float
        ``log P(reported findings | risk factors)``.
    n : int
        Cases simulated.
    atypical : bool
        ``percentile < 0.05``.
    message : str
    """

    percentile: float
    log_likelihood: float
    n: int
    atypical: bool
    message: str


def atypicality(model: DiagnosticModel, evidence: Mapping, n: int = 2000, seed: int | None = 0) -> Atypicality:
    """Percentile of the case's findings among ``n`` cases simulated with its risk factors.

    Exact probabilities, Monte Carlo percentile: the simulated findings are drawn from
    ``P(findings | risk factors)`` for the ids the case reports, and each is scored with the same
    exact ``log P(findings | risk factors)`` as the case. Beyond enumeration the scores come from
    Quickscore (one run per distinct simulated case; at most
    ``limits.MAX_QUICKSCORE_POSITIVES`` reported findings, else an ``EngineLimitError`` before any work).
    """
    enc = model.encode(evidence)
    observed = np.flatnonzero(enc.finding_state >= 0)
    if observed.size == 0:
        return Atypicality(1.0, 0.0, 0, False, "No findings were reported, so there is nothing to judge.")
    if not model.enumerable:
        pct, ll_case = _quickscore_percentile(model, enc, observed, n, seed)
        return _atypicality_result(pct, ll_case, n)
    arr = model.arrays
    prior = prior_states(arr, enc.rf_state[None])[0]
    prior = prior / prior.sum()
    log1 = arr.log_f1[:, observed]
    log0 = arr.log_f0[:, observed]
    x_case = enc.finding_state[observed].astype(float)
    rng = np.random.default_rng(seed)
    s = rng.choice(prior.size, size=n, p=prior)
    x = (rng.random((n, observed.size)) < np.exp(log1[s])).astype(float)
    with np.errstate(divide="ignore"):
        lp = np.log(prior)
    def score(xx):
        return logsumexp(lp[None, :] + xx @ log1.T + (1.0 - xx) @ log0.T, axis=1)
    ll_case = float(score(x_case[None])[0])
    pct = float(np.mean(score(x) <= ll_case + 1e-12))
    return _atypicality_result(pct, ll_case, n)


def _quickscore_percentile(model, enc, observed, n, seed):
    """:func:`atypicality` beyond enumeration: the context drawn from ``P(context | risk factors)``,
    the causes independently given it, the reported findings by noisy-OR; every case (and each
    distinct simulated one) scored with Quickscore's exact ``log P(findings, risk factors) -
    log P(risk factors)``. Refuses before any work when a simulated case could have more present
    findings than Quickscore sums over.
    """
    from twitchnet import _validation as v
    from twitchnet.engine.quickscore.plan import _weights, masses, plan_of
    from twitchnet.errors import EngineLimitError
    from twitchnet.limits import MAX_QUICKSCORE_POSITIVES

    if observed.size > MAX_QUICKSCORE_POSITIVES:
        raise v.fail(EngineLimitError, "evidence",
                     f"at most {MAX_QUICKSCORE_POSITIVES} reported findings for atypicality beyond enumeration (each simulated "
                     f"case is scored by Quickscore, which sums over 2**present findings; twitchnet.limits.MAX_QUICKSCORE_POSITIVES)",
                     f"{observed.size} reported findings")
    qp = plan_of(model)
    codes = list(enc.codes)
    log_z0, _, pi = _weights(qp, codes, [])
    a0, b0 = noisy_or_logs(model)
    rng = np.random.default_rng(seed)
    ctx = np.exp(log_z0 - log_z0.max())
    k = rng.choice(ctx.size, size=n, p=ctx / ctx.sum())
    cause_on = rng.random((n, qp.n_causes)) < pi[k]
    x = rng.random((n, observed.size)) >= np.exp(cause_on.astype(float) @ b0[:, observed] + a0[observed])
    base = masses(qp, codes, [], [])[0]

    def score(row):
        return masses(qp, codes, observed[~row].tolist(), observed[row].tolist())[0] - base

    ll_case = score(enc.finding_state[observed] == 1)
    uniq, inverse = np.unique(x, axis=0, return_inverse=True)
    scores = np.array([score(r) for r in uniq])[np.ravel(inverse)]
    return float(np.mean(scores <= ll_case + 1e-12)), float(ll_case)


def _atypicality_result(pct, ll_case, n):
    atypical = pct < ATYPICAL_BELOW
    if atypical:
        msg = (f"Atypical: only {pct:.1%} of the cases the model generates with these risk factors have findings "
               "this improbable. The findings fit none of the modelled causes well; consider a cause outside the model.")
    else:
        msg = f"Typical enough: {pct:.1%} of model-generated cases with these risk factors have findings this improbable or more."
    return Atypicality(pct, ll_case, n, atypical, msg)
