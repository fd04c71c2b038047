"""Batch diagnosis of a table of cases: pandas in, pandas out; Dask for cohorts of any size.

Columns are vocabulary ids (or aliases); a missing value (NaN, None, pd.NA) means unknown.
Yes/no columns accept booleans, 0/1 and yes/no text; ``age`` numbers; ``sex`` "female"/"male".
Every distinct value of a column goes through the same validation as :func:`twitchnet.diagnose`
(:meth:`DiagnosticModel.coerce_value`), so both accept exactly the same things.

The steps, one module each: :mod:`twitchnet.frame.encode` reads and validates the cells,
:mod:`twitchnet.frame.flags` finds the red flags a frame's errors carry, and
:mod:`twitchnet.frame.assemble` builds the result frame; this module runs the engine over chunks.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, overload

import numpy as np

from twitchnet import _progress
from twitchnet import _validation as v
from twitchnet import engine as engines
from twitchnet.errors import EngineLimitError, EvidenceError, TwitchnetError
from twitchnet.frame.assemble import _assemble, _coerced_column, _empty_result, _explained
from twitchnet.frame.encode import MAX_LISTED, _bad_cells_error, _columns, _encode, _is_dask, encode_frame
from twitchnet.frame.flags import _impossible_cells, _with_frame_red_flags

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

    from twitchnet._typing import EngineName, ErrorsSetting
    from twitchnet.model import DiagnosticModel

__all__ = ["MAX_LISTED", "diagnose_frame", "encode_frame"]


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
    bar = _progress.bar(progress, n, desc="twitchnet", unit="rows", purpose="diagnose_frame(progress=True)")
    for a in range(0, n, chunk_size):
        b = min(n, a + chunk_size)
        prob[a:b], log_ev[a:b] = _posterior(eng, model, df, slice(a, b), rf_state, finding_state, failed)
        bar.update(b - a)
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


