"""Records -> patterns: encode a table of records and group identical rows, with their counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from twitchnet import _validation as v
from twitchnet.errors import EvidenceError


# ---------------------------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Patterns:
    """Distinct encoded records with their counts (the data the EM runs on).

    Attributes
    ----------
    rf, findings, causes : ndarray of int8, shapes (D, R), (D, F), (D, C)
        Risk-factor states, finding states and diagnosis states (-1 unknown).
    counts : ndarray of float, shape (D,)
    n_records : int
    digest : tuple of int
        Two order- and partition-independent 64-bit sums of per-record hashes (see :func:`_digest`).
    """

    rf: np.ndarray
    findings: np.ndarray
    causes: np.ndarray
    counts: np.ndarray
    n_records: int
    digest: tuple

    @staticmethod
    def concat(parts: Sequence[Patterns]) -> Patterns:
        """Merge pattern tables (regrouping identical rows)."""
        parts = [p for p in parts if p.counts.size] or parts[:1]
        x = np.concatenate([np.concatenate([p.rf, p.findings, p.causes], axis=1) for p in parts])
        counts = np.concatenate([p.counts for p in parts])
        inv, first = _group(x)
        summed = np.bincount(inv, weights=counts, minlength=first.size)
        r, f = parts[0].rf.shape[1], parts[0].findings.shape[1]
        xs = x[first]
        d0 = sum(p.digest[0] for p in parts) % (1 << 64)
        d1 = sum(p.digest[1] for p in parts) % (1 << 64)
        return Patterns(xs[:, :r], xs[:, r : r + f], xs[:, r + f :], summed, sum(p.n_records for p in parts), (d0, d1))


def _pack(x):
    """Rows of small non-negative ints packed into uint64 words (columns of ``bits`` bits each)."""
    n, m = x.shape
    top = int(x.max(initial=0))
    bits = max(1, top.bit_length())
    per = 64 // bits
    words = []
    for a in range(0, max(m, 1), per):
        w = np.zeros(n, dtype=np.uint64)
        for i, col in enumerate(range(a, min(m, a + per))):
            w |= x[:, col].astype(np.uint64) << np.uint64(i * bits)
        words.append(w)
    return words


def _group(x):
    """Group identical rows of an int8 matrix: (inverse index, first row of each group)."""
    import pandas as pd

    n = x.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    words = _pack((x.astype(np.int16) + 1).astype(np.uint8))
    g = pd.factorize(words[0])[0].astype(np.int64)
    for w in words[1:]:
        h = pd.factorize(w)[0].astype(np.int64)
        g = pd.factorize(g * (int(h.max()) + 1) + h)[0].astype(np.int64)
    first = np.full(int(g.max()) + 1, n, dtype=np.int64)
    np.minimum.at(first, g, np.arange(n))
    return g, first


def _digest(x):
    """Two sums (mod 2**64) of per-row hashes: the same for any row order or partitioning."""
    import pandas as pd

    if x.shape[0] == 0:
        return (0, 0)
    words = _pack((x.astype(np.int16) + 1).astype(np.uint8))
    out = []
    for salt in ("twitchnet-fit-a", "twitchnet-fit-b"):
        h = pd.util.hash_array(np.full(x.shape[0], x.shape[1], dtype=np.uint64), hash_key=salt.ljust(16)[:16])
        for w in words:
            h = pd.util.hash_array(h ^ w, hash_key=salt.ljust(16)[:16])
        with np.errstate(over="ignore"):
            out.append(int(h.sum(dtype=np.uint64)))
    return tuple(out)


def _cause_columns(columns, model):
    """``{column: cause id}`` for the diagnosis columns: a cause id, or ``cause.<id>`` as
    :meth:`DiagnosticModel.simulate` names them (the prefix never collides with a vocabulary id or
    alias). Two columns of one cause are an error.
    """
    out, seen = {}, {}
    for col in columns:
        cid = col if col in model.cause_ids else None
        if cid is None and isinstance(col, str) and col.startswith("cause.") and col[6:] in model.cause_ids:
            cid = col[6:]
        if cid is None:
            continue
        if cid in seen:
            raise v.fail(EvidenceError, cid, "one diagnosis column per cause (named by its id or cause.<id>)",
                         f"two columns: {seen[cid]!r} and {col!r}")
        seen[cid] = col
        out[col] = cid
    return out


def _encode(df, model):
    """Encode a pandas frame into a :class:`Patterns` table; bad cells raise, listed by row and column."""
    import pandas as pd

    from twitchnet.frame import _bad_cells_error, _columns, encode_frame

    if not isinstance(df, pd.DataFrame):
        raise v.fail(EvidenceError, "records", "a pandas or Dask DataFrame", df)
    cause_of = _cause_columns(df.columns, model)
    cause_cols = list(cause_of)
    evidence = df.drop(columns=cause_cols) if cause_cols else df
    _columns(model, evidence)
    rf, fs, _, bad = encode_frame(evidence, model)
    n = len(df)
    cs = np.full((n, len(model.cause_ids)), -1, dtype=np.int8)
    for col in cause_cols:
        codes, uniques = pd.factorize(df[col], use_na_sentinel=True)
        table = np.full(len(uniques) + 1, -1, dtype=np.int8)
        messages = {}
        for u, val in enumerate(uniques):
            try:
                b = v.coerce_bool(col, val, strings=True, numbers01=True)
                table[u] = -1 if b is None else int(b)
            except EvidenceError as exc:
                messages[u] = str(exc)
        cs[:, model.cause_ids.index(cause_of[col])] = table[codes]
        if messages:
            values = df[col].to_numpy(dtype=object)
            for pos in np.flatnonzero(np.isin(codes, list(messages))):
                bad.append((df.index[pos], col, values[pos], messages[codes[pos]]))
    if bad:
        raise _bad_cells_error(bad)
    x = np.concatenate([rf, fs, cs], axis=1)
    inv, first = _group(x)
    counts = np.bincount(inv, minlength=first.size).astype(float)
    r, f = rf.shape[1], fs.shape[1]
    xs = x[first]
    pats = Patterns(xs[:, :r], xs[:, r : r + f], xs[:, r + f :], counts, n, _digest(x))
    return pats, inv



def _encode_checked(df, model):
    """:func:`_encode` plus the check that every record has non-zero probability under ``model``."""
    from twitchnet.learn.estep import Tables, _dead_patterns
    from twitchnet.learn.priors import Structure

    pats, inv = _encode(df, model)
    tables = Tables(model.arrays, Structure(model))
    dead = _dead_patterns(tables, pats)
    if dead.size:
        from twitchnet.frame import _bad_cells_error, _impossible_cells

        rows = np.isin(inv, dead)
        rf_rows = pats.rf[inv]
        cells = _impossible_cells(model, df, rf_rows, rows)[0]
        raise _bad_cells_error(cells or [(df.index[p], "evidence", None, "evidence: expected non-zero probability") for p in np.flatnonzero(rows)])
    return pats
