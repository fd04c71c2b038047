"""Batch diagnosis of a table of cases: pandas in, pandas out; Dask for cohorts of any size.

Columns are vocabulary ids (or aliases); a missing value (NaN, None, pd.NA) means unknown.
Yes/no columns accept booleans, 0/1 and yes/no text; ``age`` numbers; ``sex`` "female"/"male".
Every distinct value of a column goes through the same validation as :func:`twitchnet.diagnose`
(:meth:`DiagnosticModel.coerce_value`), so both accept exactly the same things.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import TYPE_CHECKING, overload

import numpy as np

from twitchnet import _validation as v
from twitchnet import engine as engines
from twitchnet import redflags
from twitchnet.engine.kernel import _kernel
from twitchnet.errors import EngineLimitError, EvidenceError, FrameEvidenceError, TwitchnetError

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

    from twitchnet._typing import EngineName, ErrorsSetting
    from twitchnet.model import DiagnosticModel

__all__ = ["MAX_LISTED", "diagnose_frame", "encode_frame"]

MAX_LISTED = 20
_TRIAGE = redflags.TRIAGE  # the ordered categories of ``triage``


def _is_dask(df):
    return type(df).__module__.split(".")[0] in ("dask", "dask_expr")


def _columns(model, df):
    """Map frame columns to canonical ids; unknown or duplicated columns raise."""
    out = {}
    dup = df.columns[df.columns.duplicated()]
    if len(dup):
        raise v.fail(EvidenceError, str(dup[0]), "distinct column names", f"column {dup[0]!r} more than once")
    for col in df.columns:
        cid = model.canonical_key(col)
        if cid in out.values():
            first = next(c for c, i in out.items() if i == cid)
            raise v.fail(EvidenceError, str(col), f"one column per id ({first!r} already means {cid!r})", col)
        out[col] = cid
    return out


def encode_frame(df, model, errors="raise"):
    """Validate and encode a DataFrame of cases.

    Returns
    -------
    rf_state : ndarray of shape (N, R), int8
    finding_state : ndarray of shape (N, F), int8
    flags : dict
        Red-flag id -> boolean array (True where the cell is True).
    bad : list of (row label, column, value, message)
        Every bad cell (its state is -1, unknown, in the arrays). Attribute-free positions of
        the same cells are in ``bad_positions`` of :func:`_encode`.
    """
    rf_state, finding_state, flags, bad, _ = _encode(df, model)
    return rf_state, finding_state, flags, bad


def _encode(df, model):
    """:func:`encode_frame`, plus the row position of every bad cell (labels may repeat)."""
    n = len(df)
    unknown = np.full(n, -1, dtype=np.int8)
    rf_cols = [unknown] * len(model.risk_factor_ids)  # one column each, stacked into rows at the end
    f_cols = [unknown] * len(model.column_ids)
    flags = {f: np.zeros(n, dtype=bool) for f in model.rule_ids}
    bad, bad_pos = [], []
    numbers = {}  # canonical id -> float array (NaN unknown), for the plausibility checks
    for col, cid in _columns(model, df).items():
        sp = model.spec(cid)
        codes, where, messages, col_numbers = _encode_column(model, cid, df[col])
        if where.size:
            values = df[col].to_numpy(dtype=object)
            for pos, label, msg in zip(where.tolist(), df.index[where], messages):
                bad.append((label, col, values[pos], msg))
            bad_pos.append(where)
        if col_numbers is not None:
            numbers[cid] = col_numbers
        if sp.kind in ("finding", "category_finding"):
            _put_findings(model, sp, codes, f_cols)
        elif sp.kind != "red_flag":
            rf_cols[sp.index] = codes
        if cid in model.rule_ids:
            flags[cid] = codes == 1  # a bad cell is -1 here: it never fires a rule
    rf_state = np.stack(rf_cols, axis=1) if rf_cols else np.zeros((n, 0), dtype=np.int8)
    finding_state = np.stack(f_cols, axis=1) if f_cols else np.zeros((n, 0), dtype=np.int8)
    # plausibility (model.implausible, by rows): the yes/no cell becomes a bad cell
    for key, age_id, low, high in model._plausible:
        if age_id not in numbers:
            continue
        sp = model.spec(key)
        col_state = finding_state[:, sp.index] if sp.kind == "finding" else rf_state[:, sp.index]
        age = numbers[age_id]
        where = np.flatnonzero((col_state == 1) & ~np.isnan(age) & ((age < low) | (age > high)))
        if where.size:
            col = next(c for c in df.columns if model.canonical_key(c) == key)
            for pos in where.tolist():
                a = age[pos]
                bad.append((df.index[pos], col, True, v.describe(key, f"{key}=True only with {age_id} from {low} to {high} (a plausibility check)",
                                                                  f"{key}=True with {age_id}={int(a) if a.is_integer() else a!r}")))
            col_state[where] = -1
            if key in flags:
                flags[key][where] = False
            bad_pos.append(where)
    positions = np.concatenate(bad_pos) if bad_pos else np.zeros(0, dtype=np.intp)
    return rf_state, finding_state, flags, bad, positions


def _put_findings(model, sp, codes, f_cols):
    """A finding column's states into the finding columns; a category finding's state ``k`` into
    its levels (level ``k`` present, higher ones absent, lower ones unknown), as ``model.encode``.
    """
    if sp.kind == "finding":
        f_cols[sp.index] = codes
        return
    for j, level in enumerate(model._levels[sp.id], start=1):
        # state k (codes; -1 unknown): level k present, levels above it absent, those below unknown
        f_cols[level] = np.where((codes >= 0) & (codes <= j), (codes == j).astype(np.int8), np.int8(-1)).astype(np.int8)


def _encode_column(model, cid, series):
    """One column of canonical id ``cid``, validated and encoded.

    Every distinct value goes once through :meth:`DiagnosticModel.coerce_value`. "Distinct" means
    distinct in type and value: ``pd.factorize`` merges cells that compare equal
    (``Decimal("1") == True == complex(1, 0)``), so a column of Python objects is factorized on
    (type, value) pairs, and each cell is read as what it is whatever came before it.

    Returns
    -------
    codes : ndarray of int8
        The state of each cell; -1 unknown (missing or bad).
    where : ndarray of intp
        Positions of the bad cells.
    messages : list of str
        The message of each bad cell (same order).
    numbers : ndarray of float or None
        For a number column, each cell's value (NaN unknown).
    """
    import pandas as pd

    n = len(series)
    sp = model.spec(cid)
    try:
        index_of, uniques = _factorize(series, sp)
    except TypeError:  # unhashable cells (lists, dicts): validate cell by cell
        index_of, uniques = np.arange(n), series.to_numpy(dtype=object)
        index_of = np.where(pd.isna(series).to_numpy() if series.dtype != object else [_isna(x) for x in uniques], -1, index_of)
    unique_codes = np.full(len(uniques), -1, dtype=np.int8)
    bad_unique = np.zeros(len(uniques), dtype=bool)
    unique_numbers = np.full(len(uniques), np.nan) if sp.kind == "number" else None
    messages = {}
    for u, val in enumerate(uniques):
        if _isna(val):
            continue
        try:
            canonical = model.coerce_value(cid, val, strings=True, numbers01=True)
            unique_codes[u] = -1 if canonical is None else model.state_index(cid, canonical)
            if unique_numbers is not None and canonical is not None:
                unique_numbers[u] = canonical
        except EvidenceError as exc:
            bad_unique[u] = True
            messages[u] = str(exc)
    if index_of.dtype == np.int8 and unique_codes.tolist() == list(range(len(uniques))):
        codes = index_of  # the direct yes/no paths: the index already is the state
    else:
        codes = np.append(unique_codes, np.int8(-1))[index_of]  # index -1 (missing) is the appended -1
    where = np.zeros(0, dtype=np.intp)
    if bad_unique.any():
        where = np.flatnonzero((index_of >= 0) & bad_unique[np.clip(index_of, 0, None)])
    numbers = None if unique_numbers is None else np.append(unique_numbers, np.nan)[index_of]
    return codes, where, [messages[index_of[pos]] for pos in where.tolist()], numbers


def _factorize(series, sp):
    """``pd.factorize`` of a column, with direct paths for yes/no columns stored as numpy ``bool``
    or pandas ``boolean`` (whose only possible values are False and True). The distinct values are
    validated afterwards in every case, the same way.
    """
    import pandas as pd

    if sp.kind in ("finding", "risk_factor", "red_flag"):
        if series.dtype == bool:
            return series.to_numpy().astype(np.int8), np.array([False, True], dtype=object)
        if isinstance(series.dtype, pd.BooleanDtype):  # public API, no private mask/data attributes
            return series.to_numpy(dtype=np.int8, na_value=-1), np.array([False, True], dtype=object)
        if series.dtype == object and _kernel is not None:
            # a column of Python True/False/None/NaN, as a frame built from dicts holds: read in C;
            # any other cell (0/1, "yes", typos) and the column is factorized as below
            states = _kernel.yes_no_cells(np.ascontiguousarray(series.to_numpy(dtype=object)))
            if states is not None:
                return np.frombuffer(states, dtype=np.int8), np.array([False, True], dtype=object)
    index_of, uniques = pd.factorize(series, use_na_sentinel=True)
    if series.dtype == object and len(uniques):
        # pd.factorize merges cells that compare equal across types (Decimal("1") == True):
        # split each distinct value by the type of its cells
        type_of, types = pd.factorize(series.map(type, na_action="ignore"), use_na_sentinel=True)
        if len(types) > 1:
            pair = np.where(index_of >= 0, index_of.astype(np.int64) * len(types) + type_of, -1)
            distinct, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
            keep = distinct >= 0  # -1 (missing) sorts first when present
            index_of = (inverse.reshape(-1) - (~keep).sum()).astype(np.intp)
            index_of[pair < 0] = -1
            uniques = series.to_numpy(dtype=object)[first[keep]]
    return index_of, uniques


def _isna(x):
    try:
        import pandas as pd

        out = pd.isna(x)
        return bool(out) if np.ndim(out) == 0 else False
    except (TypeError, ValueError):
        return False


def _bad_cells_error(bad):
    listed = "; ".join(f"row {v.safe_repr(r, 60)}, column {v.safe_repr(c, v.KEY_LIMIT)}: {msg}" for r, c, _, msg in bad[:MAX_LISTED])
    more = f" (and {len(bad) - MAX_LISTED} more)" if len(bad) > MAX_LISTED else ""
    first = bad[0]
    return FrameEvidenceError(
        f"{len(bad)} bad cell(s): {listed}{more}",
        key=str(first[1]),
        expected="valid evidence values (see the listed messages)",
        got=first[2],
        cells=bad,
    )


def _readable_flags(model, df):
    """Red-flag id -> bool array: True where a cell of a column meaning that id reads as True.

    Best effort, for the errors of a frame that cannot be diagnosed: each column is read on its
    own (an unknown or duplicated column, a bad cell elsewhere does not stop the others), as
    :meth:`DiagnosticModel.readable_flags` reads a single case. Never raises.
    """
    n = len(df)
    flags = {f: np.zeros(n, dtype=bool) for f in model.rule_ids}
    for i, col in enumerate(df.columns):
        try:
            cid = model.canonical_key(col)
            if cid in flags:
                flags[cid] |= _encode_column(model, cid, df.iloc[:, i])[0] == 1
        except Exception:  # noqa: BLE001, S112 - this column cannot be read; the others still count
            continue
    return flags


_ROWS, _LABELS = "__rows__", "__labels__"


def _flag_summary(df, model):
    """The rows of ``df`` where a red-flag rule fires, summarised: one row per distinct pattern of
    true red-flag ids, with the number of rows (``__rows__``) and up to ``MAX_LISTED`` of their
    labels (``__labels__``). A small frame, also for each partition of a Dask frame.
    """
    import pandas as pd

    ids = sorted(model.rule_ids)
    n = len(df)
    flags = _readable_flags(model, df)
    hit = np.zeros(n, dtype=bool)
    for _, fire in redflags.fire(model.kb, flags.__getitem__):
        hit |= np.broadcast_to(fire, (n,))
    rows = np.flatnonzero(hit)
    mat = np.column_stack([flags[i][rows] for i in ids]) if ids else np.zeros((rows.size, 0), dtype=bool)
    patterns, inverse = np.unique(mat, axis=0, return_inverse=True) if rows.size else (mat, np.zeros(0, dtype=np.intp))
    inverse = inverse.reshape(-1)
    out = pd.DataFrame({i: patterns[:, k].astype(bool) for k, i in enumerate(ids)})
    out[_ROWS] = np.bincount(inverse, minlength=len(patterns)).astype(np.int64)
    labels = df.index[rows]
    out[_LABELS] = pd.array([", ".join(v.safe_repr(x, 60) for x in labels[inverse == g][:MAX_LISTED]) for g in range(len(patterns))],
                            dtype=_text_dtype())
    return out


def _frame_red_flags(model, df):
    """The red flags of the rows of ``df`` that can be read: (rules that fired in some row, as
    :class:`~twitchnet.redflags.RedFlag`, ``triggered_by`` over those rows; number of rows; some
    of their labels). A Dask frame is read for its red-flag columns only.
    """
    if _is_dask(df):
        cols = []
        for col in df.columns:
            try:
                if model.canonical_key(col) in model.rule_ids:
                    cols.append(col)
            except EvidenceError:
                continue
        if not cols:
            return (), 0, []
        meta = _flag_summary(df._meta[cols], model)
        summary = df[cols].map_partitions(_flag_summary, model, meta=meta).compute()
    else:
        summary = _flag_summary(df, model)
    ids = [c for c in summary.columns if c not in (_ROWS, _LABELS)]
    by_rule = {}
    for pattern in summary[ids].itertuples(index=False):
        for flag in redflags.evaluate(model.kb, {i for i, x in zip(ids, pattern) if x}):
            seen = by_rule.get(flag.id)
            by_rule[flag.id] = flag if seen is None else replace(seen, triggered_by=tuple(dict.fromkeys(seen.triggered_by + flag.triggered_by)))
    order = [r.id for r in redflags.ordered_rules(model.kb)]
    fired = tuple(by_rule[i] for i in order if i in by_rule)
    labels = [text for text in summary[_LABELS] if text]
    return fired, int(summary[_ROWS].sum()), labels


def _with_frame_red_flags(exc, model, df):
    """Attach the red flags of the frame's readable rows to an error about the frame; its message
    then leads with the urgent advice and names those rows. Returns ``exc``; never raises.
    """
    if exc.red_flags or model is None:
        return exc
    try:
        fired, count, labels = _frame_red_flags(model, df)
    except Exception:  # noqa: BLE001 - reading the red flags must never hide the error itself
        return exc
    if fired:
        listed = ", ".join(labels)
        if len(listed) > 60 * MAX_LISTED:
            listed = listed[: 60 * MAX_LISTED] + "..."
        exc.red_flags = fired
        exc.args = (f"{redflags.urgent_text(fired)} (in {count} row(s): {listed}) | The frame could not be used otherwise: {exc.args[0]}",) + exc.args[1:]
    return exc


def _impossible_cells(model, df, rf_state, dead):
    """Cells responsible for rows of probability zero (a structural zero of a conditional factor)."""
    cells, positions = [], []
    for rf in model.kb.risk_factors:
        if rf.parent is None:
            continue
        i = model.risk_factor_ids.index(rf.id)
        j = model.risk_factor_ids.index(rf.parent)
        zero = np.array([p.value == 0.0 for p in rf.prior])
        hit = dead & (rf_state[:, i] == 1) & (rf_state[:, j] >= 0)
        hit &= zero[np.clip(rf_state[:, j], 0, None)]
        for pos in np.flatnonzero(hit).tolist():
            parent_state = model.kb.risk_factors[j].states[rf_state[pos, j]]
            cells.append((df.index[pos], rf.id, True, f"{rf.id}: expected evidence with non-zero probability under the model, got {rf.id}=True with {rf.parent}={parent_state!r}"))
            positions.append(pos)
    return cells, positions


@overload
def diagnose_frame(df: pd.DataFrame, model: DiagnosticModel | None = None, *, errors: ErrorsSetting = "raise", chunk_size: int = 65536,
                   progress: bool | None = None, engine: EngineName | None = None) -> pd.DataFrame: ...


@overload
def diagnose_frame(df: dd.DataFrame, model: DiagnosticModel | None = None, *, errors: ErrorsSetting = "raise", chunk_size: int = 65536,
                   progress: bool | None = None, engine: EngineName | None = None) -> dd.DataFrame: ...


def diagnose_frame(df: pd.DataFrame | dd.DataFrame, model: DiagnosticModel | None = None, *, errors: ErrorsSetting = "raise", chunk_size: int = 65536,
                   progress: bool | None = None, engine: EngineName | None = None) -> pd.DataFrame | dd.DataFrame:
    """Diagnose every row of a DataFrame.

    Parameters
    ----------
    df : pandas.DataFrame or dask.dataframe.DataFrame
        One case per row; columns are vocabulary ids or aliases; missing means unknown.
    model : DiagnosticModel, optional
        Defaults to the packaged model.
    errors : {"raise", "coerce"}, default="raise"
        ``"raise"``: bad cells raise one :class:`FrameEvidenceError` listing row and column of
        each (the first 20). ``"coerce"``: bad cells become unknown, with a warning listing them
        and a ``coerced`` column naming them per row. Red flags are read from every cell that
        can be read; a cell impossible with the rest of its row (pregnancy for a male) is
        unknown for the posterior but its red flag, having been read, still counts. With
        ``"coerce"``, a row the engine cannot compute (beyond Quickscore's limits: more than 16
        present findings or cancellation beyond its precision budget; or evidence of probability
        zero no single cell explains) fails alone: its probabilities are NaN and its
        ``top_cause`` missing, its ``error`` cell says why, and its red flags, ``urgent`` and
        ``triage`` are read from the evidence (``"insufficient"`` when no red flag fired, as for
        a case that cannot be ranked); a warning lists those rows.
    chunk_size : int, default=65536
        Rows per batch through the engine: memory stays flat whatever the frame's length.
    progress : bool or None, default=None
        Show a tqdm progress bar over the rows: ``True`` always (without tqdm raises
        :class:`MissingExtraError` naming ``pip install 'twitchnet[frame]'``), ``False`` never,
        ``None`` only where someone is watching (a terminal or a notebook) and only once the work
        has run for two seconds (see :mod:`twitchnet._progress`).
    engine : {"auto", "enumeration", "quickscore", "reference"}, optional
        The exact engine; default: the model's. ``"auto"`` runs enumeration (the C kernel when
        built) when the model can be enumerated, else Quickscore (see :func:`twitchnet.engine.for_batch`).

    Returns
    -------
    pandas.DataFrame or dask.dataframe.DataFrame
        Same index. One column per cause id with its posterior probability, then ``top_cause``
        (categorical over the cause ids), ``urgent`` (bool), ``triage`` (ordered categorical:
        self_care < insufficient < routine < urgent < emergency, so ``out.triage >= "urgent"``
        works) and
        ``red_flags`` (the fired rule ids, comma-separated; "" where none fired); with
        ``errors="coerce"`` also ``coerced``: the columns whose cell was bad and read as unknown
        in that row (comma-separated; "" where none), so a lost red-flag cell shows in the result,
        and ``error``: why the row has no probabilities ("" where it has them).
        Bad cells are found by position, so repeated index labels never mix rows.
        A Dask input gives a lazy Dask DataFrame.

    Raises
    ------
    EvidenceError or EngineLimitError
        For an unknown or duplicated column (an alias and its id count as one), a bad setting, and
        with ``errors="raise"`` a bad cell (:class:`FrameEvidenceError`, every cell listed), a row
        of probability zero or beyond the engine (:class:`EngineLimitError`). Every such error
        carries the red flags of the rows that can be read (``red_flags``: each rule that fired
        in some row; ``urgent``), and its message then leads with the urgent advice and names
        those rows. On a Dask frame an early error reads the red-flag columns to find them;
        an error inside a partition carries that partition's.

    Notes
    -----
    Identical to :func:`twitchnet.diagnose` row by row (property-tested to 1e-9). The posterior
    comes from the engine's batch method (:meth:`twitchnet.engine.Engine.posterior`); red flags and triage follow the same rules as
    :mod:`twitchnet.redflags`, vectorized over rows.
    """
    if model is None:
        from twitchnet.model import load_model

        model = load_model()
    try:
        return _diagnose_frame(df, model, errors, chunk_size, progress, engine)
    except TwitchnetError as exc:  # a frame-level error: the red flags of the rows that can be read go with it
        raise _with_frame_red_flags(exc, model, df) from None


def _diagnose_frame(df, model, errors, chunk_size, progress, engine):
    """:func:`diagnose_frame` without the red flags attached to its errors."""
    if errors not in ("raise", "coerce"):
        raise v.fail(EvidenceError, "errors", "'raise' or 'coerce'", errors)
    if not (isinstance(chunk_size, (int, np.integer)) and not isinstance(chunk_size, bool) and chunk_size >= 1):
        raise v.fail(EvidenceError, "chunk_size", "a positive integer", chunk_size)
    eng = engines.for_batch(model, None if engine is None else v.check_engine(engine))
    if _is_dask(df):
        _columns(model, df)  # fail before any task runs (the error reads the red-flag columns only)
        meta = _empty_result(model, df._meta.index, errors)
        return df.map_partitions(
            diagnose_frame, model, errors=errors, chunk_size=chunk_size, progress=False, engine=engine, meta=meta
        )
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise v.fail(EvidenceError, "df", "a pandas or Dask DataFrame", df)
    rf_state, finding_state, flags, bad, bad_positions = _encode(df, model)
    if bad and errors == "raise":
        raise _bad_cells_error(bad)
    n = len(df)
    prob = np.empty((n, len(model.cause_ids)))
    log_ev = np.empty(n)
    failed = {} if errors == "coerce" else None  # position -> why the row has no probabilities
    bar = _progress_bar(progress, n, chunk_size)
    for a in range(0, n, chunk_size):
        b = min(n, a + chunk_size)
        prob[a:b], log_ev[a:b] = _posterior(eng, model, df, slice(a, b), rf_state, finding_state, failed)
        if bar is not None:
            bar.update(b - a)
    if bar is not None:
        bar.close()
    dead = log_ev == -np.inf  # NaN: a row beyond the engine, already in ``failed``
    if dead.any():
        cells, cell_pos = _impossible_cells(model, df, rf_state, dead)
        if errors == "raise":
            raise _bad_cells_error(cells or [(df.index[p], "evidence", None, _IMPOSSIBLE) for p in np.flatnonzero(dead)])
        for pos, (_, col, _, _) in zip(cell_pos, cells):  # by position: labels may repeat
            rf_state[pos, model.risk_factor_ids.index(col)] = -1
        # the red flags stay: the cell was read (a single case's error carries them too)
        bad += cells
        bad_positions = np.concatenate([bad_positions, np.asarray(cell_pos, dtype=np.intp)])
        redo = np.unique(np.asarray(cell_pos, dtype=np.intp))
        if redo.size:
            prob[redo], log_ev[redo] = _posterior(eng, model, df, redo, rf_state, finding_state, failed)
        for pos in np.flatnonzero(log_ev == -np.inf).tolist():  # impossible with no cell to blame: that row fails
            failed[pos] = _IMPOSSIBLE
    coerced = error = None
    if errors == "coerce":
        coerced = _coerced_column(df, bad, bad_positions)
        error = np.full(n, "", dtype=object)
        if failed:
            rows = np.fromiter(failed, dtype=np.intp, count=len(failed))
            prob[rows] = np.nan
            error[rows] = list(failed.values())
    if bad:
        listed = "; ".join(f"row {v.safe_repr(r, 60)}, column {v.safe_repr(c, v.KEY_LIMIT)}: {msg}" for r, c, _, msg in bad[:MAX_LISTED])
        warnings.warn(f"{len(bad)} bad cell(s) treated as unknown (see the 'coerced' column): {listed}", UserWarning, stacklevel=3)
    if failed:
        order = sorted(failed)
        listed = "; ".join(f"row {v.safe_repr(df.index[p], 60)} (position {p}): {failed[p]}" for p in order[:MAX_LISTED])
        warnings.warn(f"{len(failed)} row(s) left without probabilities, their red flags and triage read from the evidence "
                      f"(see the 'error' column): {listed}", UserWarning, stacklevel=3)
    explained = _explained(model, finding_state)
    return _assemble(model, df.index, prob, flags, explained, coerced, error)


def _progress_bar(progress, n, chunk_size):
    """The tqdm bar :func:`diagnose_frame` shows (see its ``progress``), or None."""
    from twitchnet import _progress

    return _progress.bar(progress, n, desc="twitchnet", unit="rows", purpose="diagnose_frame(progress=True)")
    return None


_IMPOSSIBLE = "evidence: expected evidence with non-zero probability under the model"


def _posterior(eng, model, df, rows, rf_state, finding_state, failed=None):
    """The engine's batch posterior of the frame's ``rows`` (positions); an engine limit names the
    frame's row (label and position). With ``failed`` (a dict), a row beyond the engine gets NaN
    and its message there, by frame position, and the others are computed.
    """
    positions = np.arange(len(df))[rows]
    try:
        if failed is None or eng.name != "quickscore":  # only Quickscore refuses single rows
            return eng.posterior(model, rf_state[rows], finding_state[rows])
        beyond = {}
        out = eng.posterior(model, rf_state[rows], finding_state[rows], failed=beyond)
        for r, exc in beyond.items():
            failed[int(positions[r])] = str(exc)
        return out
    except EngineLimitError as exc:
        pos = int(positions[getattr(exc, "row", 0)])
        exc.args = (f"row {v.safe_repr(df.index[pos], 60)} (position {pos}): {exc.args[0]}",) + exc.args[1:]
        raise


def _explained(model, finding_state):
    """Rows with a present finding that a self-care cause explains (see redflags.triage_level)."""
    idx = sorted(redflags.self_care_indices(model))
    if not idx:
        return np.zeros(finding_state.shape[0], dtype=bool)
    return (finding_state[:, idx] == 1).any(axis=1)


def _coerced_column(df, bad, positions):
    """Per row, the columns whose cell was bad and read as unknown (comma-separated; "" none)."""
    out = np.full(len(df), "", dtype=object)
    if not bad:
        return out
    names = np.array([str(c) for _, c, _, _ in bad], dtype=object)
    order = np.lexsort((np.arange(len(positions)), positions))
    pos, names = positions[order], names[order]
    starts = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])
    groups = np.split(names, starts[1:])
    out[pos[starts]] = [",".join(dict.fromkeys(g)) for g in groups]
    return out


def _text_dtype():
    """The dtype pandas gives a column of text: ``str`` in pandas 3, ``object`` before. The
    ``red_flags`` column has it in every partition and in the Dask ``meta`` alike (a meta of object
    over partitions of str made ``to_parquet`` raise ArrowInvalid).
    """
    import pandas as pd

    return pd.Series([""]).dtype


def _empty_result(model, index, errors="raise"):
    import pandas as pd

    data = {c: pd.Series([], dtype=float) for c in model.cause_ids}
    data |= {
        "top_cause": pd.Series(pd.Categorical.from_codes([], categories=model.cause_ids)),
        "urgent": pd.Series([], dtype=bool),
        "triage": pd.Series(pd.Categorical.from_codes([], categories=_TRIAGE, ordered=True)),
        "red_flags": pd.Series([], dtype=_text_dtype()),
    }
    if errors == "coerce":
        data["coerced"] = pd.Series([], dtype=_text_dtype())
        data["error"] = pd.Series([], dtype=_text_dtype())
    return pd.DataFrame(data, index=index[:0])


def _assemble(model, index, prob, flags, explained, coerced=None, error=None):
    import pandas as pd

    n = prob.shape[0]
    unranked = np.isnan(prob).any(axis=1)  # rows beyond the engine: no probabilities, no top cause
    explained = np.asarray(explained, dtype=bool) & ~unranked  # and never self-care (as a case that cannot be ranked)
    fired_any = np.zeros(n, dtype=bool)
    emergency = np.zeros(n, dtype=bool)
    fired = redflags.fire(model.kb, flags.__getitem__)  # the one red-flag function, on columns
    order = [rule for rule, _ in fired]
    fires = []
    for rule, fire in fired:
        fire = np.broadcast_to(fire, (n,))
        fires.append(fire)
        fired_any |= fire
        if rule.level == "emergency":
            emergency |= fire
    red = np.full(n, "", dtype=object)
    hit = np.flatnonzero(fired_any)  # names only for the rows where some rule fired
    if hit.size:
        # one string per distinct combination of fired rules, not per row
        ids = [r.id for r in order]
        code = np.zeros(hit.size, dtype=object if len(ids) > 62 else np.int64)
        for bit, f in enumerate(fires):
            code += f[hit].astype(code.dtype) * (1 << bit)
        patterns, inverse = np.unique(code, return_inverse=True)
        parts = [[] for _ in range(len(patterns))]  # each pattern's rule ids, in rule order, from its set bits
        for bit, rule_id in enumerate(ids):
            for k in np.flatnonzero((patterns >> bit) & 1).tolist():
                parts[k].append(rule_id)
        names = np.array([",".join(x) for x in parts], dtype=object)
        red[hit] = names[inverse.reshape(-1)]
    care = np.array([c.care == "clinician" for c in model.kb.causes])
    routine = (prob[:, care] >= model.kb.routine_threshold.value).any(axis=1) if care.any() else np.zeros(n, dtype=bool)
    # the one triage rule (redflags.triage_level for a single case), on columns
    level = redflags.triage_index(emergency.astype(np.intp), fired_any.astype(np.intp), routine.astype(np.intp), np.asarray(explained, dtype=np.intp))
    data = {c: prob[:, i] for i, c in enumerate(model.cause_ids)}
    top = np.argmax(prob, axis=1) if n else np.zeros(0, dtype=int)
    # rows where two causes share the largest probability as floats (both within 1e-16 of 1, say):
    # rank by log-odds, as diagnose does
    tied = np.flatnonzero((prob == prob[np.arange(n), top][:, None]).sum(axis=1) > 1) if n else top
    if tied.size:
        with np.errstate(divide="ignore"):
            top[tied] = np.argmax(np.log(prob[tied]) - np.log1p(-prob[tied]), axis=1)
    top[unranked] = -1  # missing
    data["top_cause"] = pd.Categorical.from_codes(top, categories=model.cause_ids)
    data["urgent"] = fired_any
    data["triage"] = pd.Categorical.from_codes(level, categories=_TRIAGE, ordered=True)
    data["red_flags"] = pd.array(red, dtype=_text_dtype())
    if coerced is not None:
        data["coerced"] = pd.array(coerced, dtype=_text_dtype())
    if error is not None:
        data["error"] = pd.array(error, dtype=_text_dtype())
    return pd.DataFrame(data, index=index)
