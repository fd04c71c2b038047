"""Reading a frame's cells: its columns as vocabulary ids, and every distinct value of a column
validated once, by :meth:`DiagnosticModel.coerce_value` (the path of :func:`twitchnet.diagnose`).
"""

from __future__ import annotations

import numpy as np

from twitchnet import _validation as v
from twitchnet.engine.kernel import _kernel
from twitchnet.errors import EvidenceError, FrameEvidenceError

__all__ = ["MAX_LISTED", "encode_frame"]


MAX_LISTED = 20


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


def _text_dtype():
    """The dtype pandas gives a column of text: ``str`` in pandas 3, ``object`` before. The
    ``red_flags`` column has it in every partition and in the Dask ``meta`` alike (a meta of object
    over partitions of str made ``to_parquet`` raise ArrowInvalid).
    """
    import pandas as pd

    return pd.Series([""]).dtype
