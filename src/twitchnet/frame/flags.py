"""The red flags of a frame's readable rows (carried by its errors), and the cells behind rows of
probability zero.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from twitchnet import _validation as v
from twitchnet import redflags
from twitchnet.errors import EvidenceError
from twitchnet.frame.encode import MAX_LISTED, _encode_column, _is_dask, _text_dtype

__all__: list[str] = []


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
