"""The EM loop and its convergence; the public fit, partial_fit and log_posterior."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError, NotFittedError
from twitchnet.learn.estep import Tables, _add, _empty_stats, suff_stats
from twitchnet.learn.fitted import FittedModel, _finish
from twitchnet.learn.mstep import m_step
from twitchnet.learn.patterns import Patterns, _cause_columns, _encode_checked
from twitchnet.learn.priors import Structure, log_prior
from twitchnet.model import DiagnosticModel
from twitchnet.model.parameters import parameters, vector


# ---------------------------------------------------------------------------------------------- API
def _check_strength(prior_strength):
    if isinstance(prior_strength, bool) or not isinstance(prior_strength, (int, float, np.integer, np.floating)) or not (math.isfinite(prior_strength) and prior_strength >= 0):
        raise v.fail(EvidenceError, "prior_strength", "a finite number >= 0", prior_strength)
    return float(prior_strength)


def _check_tol(tol):
    if isinstance(tol, bool) or not isinstance(tol, (int, float, np.integer, np.floating)) or not (math.isfinite(tol) and tol >= 0):
        raise v.fail(EvidenceError, "tol", "a finite number >= 0", tol)
    return float(tol)


def _check_model(model):
    if not isinstance(model, DiagnosticModel):
        raise v.fail(EvidenceError, "model", "a DiagnosticModel (twitchnet.load_model()), or None for the packaged one", model)
    return model


def _check_int(name, value, low):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise v.fail(EvidenceError, name, f"a whole number >= {low}", value)
    return int(value)


def _check_progress(progress):
    from twitchnet._progress import check_progress

    return check_progress(progress)


def _is_dask(df):
    return type(df).__module__.split(".")[0] in ("dask", "dask_expr")


def _dask_tables(records, model):
    """Encode every partition (map); the tables stay with the scheduler between iterations."""
    import dask

    from twitchnet.frame import _columns

    cause_cols = list(_cause_columns(records.columns, model))
    _columns(model, records._meta.drop(columns=cause_cols) if cause_cols else records._meta)  # fail early
    parts = [dask.delayed(_encode_checked)(p, model) for p in records.to_delayed()]
    return list(dask.persist(*parts))


def _stats_over(tables, pats, threads=None):
    """Sum of the expected counts over pattern tables (a list means Dask partitions: map-reduce)."""
    if isinstance(pats, list):
        import dask

        parts = dask.compute(*[dask.delayed(suff_stats)(tables, p, 1) for p in pats])
        total = _empty_stats(tables)
        for p in parts:
            total = _add(total, p)
        return total
    return suff_stats(tables, pats, threads)


def log_posterior(model: DiagnosticModel, records: Any, prior: DiagnosticModel | None = None, prior_strength: float = 1.0) -> float:
    """The objective :func:`fit` maximises: ``log P(records | model) + log prior(model)``.

    Parameters
    ----------
    model : DiagnosticModel
        The numbers to score.
    records : pandas.DataFrame
    prior : DiagnosticModel, optional
        Whose values and ranges are the prior (default ``model`` itself).
    prior_strength : float

    Returns
    -------
    float
    """
    prior = model if prior is None else prior
    prior_strength = _check_strength(prior_strength)
    _check_enumerable(_check_model(model), "log_posterior")
    st = Structure(_check_model(prior), prior_strength)
    pats = _encode_checked(records, model)
    stats = suff_stats(Tables(model.arrays, st), pats)
    return stats["loglik"] + log_prior(st, vector(model.kb))


def _check_enumerable(model, what):
    """Refuse, before any work, a model whose joint cause states the E-step cannot enumerate."""
    if not model.enumerable:
        raise model._enumeration_limit(f"{what} (the E-step's expected counts enumerate the joint cause states)")


def _em(prior_model, theta, pats, prior_strength, max_iter, tol, threads=None, progress=False):
    """MAP EM from the numbers ``theta`` (P,): ``(theta, n_eff, history, converged, structure)``."""
    from twitchnet import _progress

    st = Structure(prior_model, prior_strength)
    states = prior_model.arrays.states
    bar = _progress.bar(progress, max_iter, desc="fit (EM)", unit="iter", purpose="fit(progress=True)")
    history, converged, n_eff = [], False, None
    for _ in range(max_iter):
        stats = _stats_over(Tables(st.params.arrays(theta, states), st), pats, threads)
        lp = stats["loglik"] + log_prior(st, theta)
        converged = bool(history) and abs(lp - history[-1]) <= tol * (1.0 + abs(lp))
        history.append(lp)
        if converged:
            break
        bar.update(1)
        bar.set_postfix_str(f"log posterior {lp:.6g}")
        theta, n_eff = m_step(st, theta, stats)
    bar.close()
    if n_eff is None:  # max_iter == 0: effective sizes at the start
        _, n_eff = m_step(st, theta, _stats_over(Tables(st.params.arrays(theta, states), st), pats, threads))
    return theta, n_eff, history, converged, st


def fit(records: Any, model: DiagnosticModel | None = None, prior_strength: float = 1.0, *, max_iter: int = 200, tol: float = 1e-10,
        threads: int | None = None, progress: bool | None = None) -> FittedModel:
    """Fit the model's numbers to records by MAP EM with the knowledge base as the prior.

    Parameters
    ----------
    records : pandas.DataFrame or dask.dataframe.DataFrame
        One record per row; columns are vocabulary ids or aliases (missing = unknown, as in
        :func:`twitchnet.diagnose_frame`), and optional diagnosis columns named by cause id or
        ``cause.<id>`` (as ``model.simulate(n, causes=True)`` names them)
        (True, False or missing; a record may have several causes).
    model : DiagnosticModel, optional
        The prior (and starting point); the packaged model by default.
    prior_strength : float, default=1.0
        Multiplies the weight of every number's prior; 0 is maximum likelihood.
    max_iter : int, default=200
    tol : float, default=1e-10
        Stop when the log posterior changes by less than ``tol * (1 + |log posterior|)``.
    threads : int, optional
        E-step worker threads (numpy releases the GIL); default: the CPUs, at most 4.
    progress : bool or None, default=None
        A tqdm bar over the EM iterations, with the log posterior: ``True`` always, ``False``
        never, ``None`` in a terminal or notebook once the fit has run for two seconds.

    Returns
    -------
    FittedModel

    Raises
    ------
    FrameEvidenceError
        Bad cells (unknown values, impossible evidence), listed by row and column.
    UnknownEvidenceError
        A column that is neither a vocabulary id, an alias nor a cause id.

    Warns
    -----
    FitWarning
        When fitted numbers leave their knowledge-base ranges: how many, and the one that moved
        furthest. Silence it with ``warnings.simplefilter("ignore", twitchnet.errors.FitWarning)``
        where that is expected.
    """
    if model is None:
        from twitchnet.model import load_model

        model = load_model()
    model = _check_model(model)
    prior_strength = _check_strength(prior_strength)
    _check_enumerable(model, "fit")
    max_iter = _check_int("max_iter", max_iter, 0)
    tol = _check_tol(tol)
    threads = v.check_threads(threads)
    progress = _check_progress(progress)
    if _is_dask(records):
        parts = _dask_tables(records, model)
        import dask

        # the provenance needs the whole table (small: distinct rows only); the EM maps over partitions
        merged = Patterns.concat(list(dask.compute(*parts)))
        theta, n_eff, history, converged, st = _em(model, parameters(model).values, parts, prior_strength, max_iter, tol, threads, progress)
        return _finish(model, theta, n_eff, history, converged, st, merged, prior_strength)
    pats = _encode_checked(records, model)
    theta, n_eff, history, converged, st = _em(model, parameters(model).values, pats, prior_strength, max_iter, tol, threads, progress)
    return _finish(model, theta, n_eff, history, converged, st, pats, prior_strength)


def partial_fit(fitted: FittedModel, records: Any, *, max_iter: int = 200, tol: float = 1e-10, threads: int | None = None,
                progress: bool | None = None) -> FittedModel:
    """Update a fitted model with a new batch of records.

    The fitted model keeps its data as distinct patterns with counts; the new batch is added and
    EM restarts from the fitted numbers with the same prior. The result is the fit to both batches
    together (the same fixed point as :func:`fit` on the concatenation, to the EM tolerance).

    Parameters
    ----------
    fitted : FittedModel
    records : pandas.DataFrame or dask.dataframe.DataFrame
    max_iter, tol, threads, progress
        As :func:`fit`.

    Returns
    -------
    FittedModel

    Warns
    -----
    FitWarning
        As :func:`fit`, when numbers leave their knowledge-base ranges.
    """
    if not isinstance(fitted, FittedModel):
        raise v.fail(NotFittedError, "fitted", "a FittedModel returned by twitchnet.fit", fitted)
    max_iter = _check_int("max_iter", max_iter, 0)
    tol = _check_tol(tol)
    threads = v.check_threads(threads)
    progress = _check_progress(progress)
    prior_model = fitted.prior_model
    _check_enumerable(prior_model, "partial_fit")
    if _is_dask(records):
        import dask

        new = Patterns.concat(list(dask.compute(*_dask_tables(records, prior_model))))
    else:
        new = _encode_checked(records, prior_model)
    pats = Patterns.concat([fitted._patterns, new])
    p = parameters(prior_model)
    start = p.values.copy()
    start[[p.names.index(w) for w in fitted.numbers]] = [n.new for n in fitted.numbers.values()]
    theta, n_eff, history, converged, st = _em(prior_model, start, pats, fitted.prior_strength, max_iter, tol, threads, progress)
    return _finish(prior_model, theta, n_eff, history, converged, st, pats, fitted.prior_strength)
