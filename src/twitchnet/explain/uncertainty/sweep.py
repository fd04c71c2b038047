"""What the model rests on: every number swept to the ends of its range over a set of cases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError, TwitchnetError
from twitchnet.explain.uncertainty.draws import _check_seed
from twitchnet.explain.uncertainty.numbers import _structure
from twitchnet.explain.uncertainty.results import Sensitivity, SensitivityRow

if TYPE_CHECKING:
    from twitchnet.model import DiagnosticModel


def _cases_states(model, cases, seed):
    """(rf_state, finding_state) int8 arrays of the cases."""
    import pandas as pd

    from twitchnet.frame import encode_frame

    if isinstance(cases, (int, np.integer)) and not isinstance(cases, bool):
        if cases < 1:
            raise v.fail(EvidenceError, "cases", "a number of cases to simulate >= 1, a DataFrame or vignettes", cases)
        cases = model.simulate(int(cases), seed=seed)
    elif not isinstance(cases, pd.DataFrame):
        try:
            rows = [dict(c.evidence) if hasattr(c, "evidence") else dict(c) for c in cases]
        except (TypeError, ValueError):
            raise v.fail(EvidenceError, "cases", "a DataFrame, a sequence of vignettes or evidence mappings, or a number of cases", cases) from None
        encoded = [model.encode(r) for r in rows]
        rf = np.array([e.rf_states for e in encoded], dtype=np.int8).reshape(len(rows), len(model.risk_factor_ids))
        fs = np.array([e.finding_states for e in encoded], dtype=np.int8).reshape(len(rows), len(model.column_ids))
        return rf, fs
    from twitchnet.frame import _bad_cells_error, _with_frame_red_flags

    try:  # bad cells raise, listed by row and column (never dropped silently), with the rows' red flags
        rf, fs, _, bad = encode_frame(cases, model)
        if bad:
            raise _bad_cells_error(bad)
    except TwitchnetError as exc:
        raise _with_frame_red_flags(exc, model, cases) from None
    return rf, fs


class _Row:
    """One case of a sweep as the engines' ``posterior_many`` reads it (hard evidence only)."""

    def __init__(self, rf_state, finding_state, codes):
        self.rf_state, self.finding_state, self.codes = rf_state, finding_state, codes


def _posteriors(model, st, sets, rf, fs, threads=None):
    """Posteriors (M, N, C) of the cases ``rf``, ``fs`` (N rows) under each parameter set ``sets``
    (M, P). Enumeration: per set, the model's arrays rebuilt from the parameters and the batch
    engine over the cases. Beyond enumeration: per case, Quickscore under every set at once
    (:meth:`twitchnet.engine.Engine.posterior_many`).
    """
    from twitchnet.engine import get

    if model.enumerable:
        enum = get("enumeration")
        return np.stack([enum.posterior(st.arrays(theta, model), rf, fs, threads=threads)[0] for theta in sets]) if len(sets) else (
            np.zeros((0, rf.shape[0], len(model.cause_ids))))
    qs = get("quickscore")
    codes = (rf.astype(np.int64) + 1) @ model.factor_tables.codes
    out = np.empty((len(sets), rf.shape[0], len(model.cause_ids)))
    for r in range(rf.shape[0]):
        row = _Row(rf[r].astype(np.int64), fs[r].astype(np.int64), codes[r].tolist())
        out[:, r] = qs.posterior_many(model, row, np.asarray(sets).reshape(-1, st.n))[0]
    return out


def _base(model, rf, fs, threads=None):
    """Posteriors (N, C) of the cases at the knowledge base's values."""
    from twitchnet.engine import get

    return get("enumeration" if model.enumerable else "quickscore").posterior(model, rf, fs, threads=threads)[0]


def _sweep_cases(model, st, ends, rf, fs, base, changed, where, progress):
    """The enumeration sweep, one case at a time (:mod:`.oneatatime`): ``base`` (the top causes at
    the knowledge base's values) and ``changed`` filled in place.
    """
    from twitchnet import _progress
    from twitchnet.engine.many import layout
    from twitchnet.explain.uncertainty.oneatatime import _Kinds, case_posteriors

    lay = layout(model)
    kinds = _Kinds(lay)
    which = np.array([i for i, _, _ in ends], dtype=np.int64)
    moved = np.array([st.moved(i, x) for i, _, x in ends]).reshape(-1, st.n)
    rows = np.array([where[i] for i, _, _ in ends], dtype=np.int64)
    side = np.array([e for _, e, _ in ends], dtype=np.int64)
    bar = _progress.bar(progress, rf.shape[0], desc="sensitivity", unit="cases", purpose="sensitivity(progress=True)")
    for r in range(rf.shape[0]):
        b, post = case_posteriors(lay, kinds, model, rf[r].astype(np.int64), fs[r].astype(np.int64), moved, which)
        base[r] = _top(b[None])[0]
        changed[rows, side, r] = _top(post) != base[r]
        bar.update(1)
    bar.close()


def moved_posterior(model: DiagnosticModel, i: int, x: float, cases: Any, seed: int = 0) -> np.ndarray:
    """The posteriors (N, C) of ``cases`` with number ``i`` (:meth:`KnowledgeBase.numbers` order)
    at ``x``, the others at their values, as :func:`sensitivity` computes them.
    """
    st = _structure(model)
    rf, fs = _cases_states(model, cases, seed)
    if not model.enumerable:
        return _posteriors(model, st, st.moved(int(i), float(x))[None], rf, fs)[0]
    from twitchnet.engine.many import layout
    from twitchnet.explain.uncertainty.oneatatime import _Kinds, case_posteriors

    lay = layout(model)
    kinds, moved, which = _Kinds(lay), st.moved(int(i), float(x))[None], np.array([int(i)])
    out = np.empty((rf.shape[0], len(model.cause_ids)))
    for r in range(rf.shape[0]):
        out[r] = case_posteriors(lay, kinds, model, rf[r].astype(np.int64), fs[r].astype(np.int64), moved, which)[1][0]
    return out


def _top(prob):
    prob = np.clip(prob, 0.0, 1.0)  # a posterior of 1 may come back as 1 + 4e-16 (rounding)
    with np.errstate(divide="ignore"):
        return np.argmax(np.log(prob) - np.log1p(-prob), axis=1)


def sensitivity(model: DiagnosticModel | None = None, cases: Any = 10000, *, seed: int = 0, threads: int | None = None,
                progress: bool | None = None) -> Sensitivity:
    """What the model rests on: every number swept to the ends of its range over a set of cases.

    For each number with a range, the posteriors of every case with that number at its low end,
    and again at its high end (the others at their values; a category prior's other states scaled
    in proportion). Numbers are ranked by the share of cases whose top cause changes: the knowledge
    base's research agenda (which figure is most worth measuring).

    Models within enumeration sweep one case at a time (:mod:`.oneatatime`): the case's joint
    weights over the cause configurations are built once and each moved number changes only the
    one factor it touches (the same posteriors as the model rebuilt with the number moved, to
    1e-12). Larger models run Quickscore under every moved set at once, case by case.

    Parameters
    ----------
    model : DiagnosticModel, optional
        The packaged model when omitted.
    cases : DataFrame, sequence of Vignette or evidence mappings, or int, default=10000
        The cases; an int simulates that many from the model (:meth:`DiagnosticModel.simulate`).
        A DataFrame is read as :func:`twitchnet.diagnose_frame` reads it; bad cells raise one
        :class:`~twitchnet.errors.FrameEvidenceError` listing them (the red flags of the readable
        rows attached), never dropped silently.
    seed : int, default=0
        Seed of the simulation.
    threads : int, optional
        Checked, and passed to the Quickscore path's base posteriors; the one-case enumeration
        sweep runs in the calling thread.
    progress : bool or None, default=None
        A tqdm bar over the cases (enumeration) or the range ends swept (two per number, beyond
        enumeration): ``True`` always, ``False`` never, ``None`` in a terminal or notebook once the
        sweep has run for two seconds.

    Returns
    -------
    Sensitivity
    """
    from twitchnet import _progress

    if model is None:
        from twitchnet.model import load_model

        model = load_model()
    seed = _check_seed(seed)
    threads = v.check_threads(threads)
    progress = _progress.check_progress(progress)
    st = _structure(model)
    rf, fs = _cases_states(model, cases, seed)
    n = rf.shape[0]
    base = _top(_base(model, rf, fs, threads)) if n and not model.enumerable else np.zeros(n, dtype=np.int64)
    swept = np.flatnonzero(~st.fixed).tolist()
    ends = [(i, e, x) for i in swept for e, x in enumerate((st.low[i], st.high[i])) if x != st.value[i]]
    changed = np.zeros((len(swept), 2, n), dtype=bool)
    where = {i: r for r, i in enumerate(swept)}
    if model.enumerable and n:
        _sweep_cases(model, st, ends, rf, fs, base, changed, where, progress)
    else:
        bar = _progress.bar(progress, len(ends), desc="sensitivity", unit="range ends", purpose="sensitivity(progress=True)")
        step = max(1, len(ends))  # sets per batch: Quickscore takes every set at once
        for a in range(0, len(ends) if n else 0, step):
            block = ends[a : a + step]
            post = _posteriors(model, st, np.array([st.moved(i, x) for i, _, x in block]).reshape(-1, st.n), rf, fs, threads)
            for (i, e, _), p in zip(block, post):
                changed[where[i], e] = _top(p) != base
            bar.update(len(block))
        bar.close()
    rows = []
    for r, i in enumerate(swept):
        num = st.numbers[i]
        shares = [float(m.mean()) if n else 0.0 for m in (changed[r, 0], changed[r, 1], changed[r, 0] | changed[r, 1])]
        rows.append(SensitivityRow(st.where[i], num.value, num.low, num.high, num.source, num.is_judgement, *shares))
    rows.sort(key=lambda r: (-r.changed, -max(r.changed_low, r.changed_high), r.where))
    return Sensitivity(tuple(rows), n, model.name, model.version)
