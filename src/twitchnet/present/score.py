"""``twitchnet score INPUT OUTPUT``: a CSV or Parquet table in, one row per case out (every cause's
posterior, triage, urgent, red flags, the bad cells read as unknown); with the command line's
small helpers (:func:`_whole`, :func:`_err`) that :mod:`twitchnet.present.cli` shares.
"""

from __future__ import annotations

import argparse
import sys

from twitchnet.errors import TwitchnetError, UsageError

__all__ = ["SCORE_EXIT", "SCORED_WITH_BAD_CELLS", "URGENT_WRITE_FAILED"]

URGENT_WRITE_FAILED = 3  # exit status: an urgent result could not be written
SCORED_WITH_BAD_CELLS = 5  # exit status: score wrote its output, but some cells were bad or some rows failed

#: ``twitchnet score``'s exit statuses and their meaning.
SCORE_EXIT = {
    0: "every row scored from clean cells",
    2: "nothing written: a bad argument, an unreadable input, an unknown column, or a bad cell with --errors raise",
    URGENT_WRITE_FAILED: "the output could not be written and some rows were urgent",
    SCORED_WITH_BAD_CELLS: "written, but some cells were bad (read as unknown, named in 'coerced') or some rows failed ('error')",
}

_SCORE_EPILOG = "exit status: " + "; ".join(f"{k} {v}" for k, v in {
    0: "every row scored from clean cells",
    5: "written, some cells bad (named in 'coerced') or rows failed ('error')",
    2: "nothing written (bad argument, input or column; a bad cell with --errors raise)",
    3: "output not written and some rows urgent",
}.items())


def _whole(text):
    """An option's whole number; anything else is passed on as text, so that the one validation
    path (twitchnet.diagnose) words the error with the option's name.
    """
    try:
        return int(text)
    except ValueError:
        return text


def _err(text):
    try:
        if sys.stderr is not None:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
    except OSError:
        pass


def _score_parser(sub):
    s = sub.add_parser("score", help="diagnose every row of a CSV or Parquet file and write the results (Parquet or CSV)",
                       description="Diagnose every row of INPUT and write one row per case to OUTPUT: every cause's posterior, "
                                   "top_cause, triage, urgent, red_flags, coerced (the bad cells read as unknown) and error.",
                       epilog=_SCORE_EPILOG)
    s.add_argument("input", metavar="INPUT", help="a .csv (also .csv.gz) or .parquet file, one case per row, columns vocabulary ids or aliases")
    s.add_argument("output", metavar="OUTPUT", help="a .parquet or .csv file to write")
    s.add_argument("--id", metavar="COLUMN", action="append", default=[], help="a column to copy to the output as it is (not evidence); repeatable")
    s.add_argument("--errors", choices=["coerce", "raise"], default="coerce",
                   help="a bad cell: read as unknown and named in 'coerced' (coerce, the default), or stop with every bad cell listed (raise)")
    s.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar on standard error (default: when standard error is a terminal and the work takes over two seconds)")
    s.add_argument("--chunk-size", metavar="ROWS", type=_whole, default=65536, help="rows per batch through the engine (default 65536)")
    return s


def _table_format(path, what):
    """``"csv"`` or ``"parquet"`` from a file name's suffix, else a UsageError naming it."""
    name = str(path).lower()
    if name.endswith((".csv", ".csv.gz", ".csv.bz2", ".csv.zip", ".csv.xz")):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    raise UsageError(f"{what}: expected a file name ending in .csv or .parquet, got {path!r}", key=what,
                     expected="a file name ending in .csv or .parquet", got=path)


def _read_table(path):
    import pandas as pd

    fmt = _table_format(path, "INPUT")
    try:
        if fmt == "csv":  # every cell as text: the frame reader parses yes/no, ages and categories itself
            return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        from twitchnet._extras import require

        require("pyarrow", "frame", "twitchnet score (Parquet)")
        return pd.read_parquet(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, TwitchnetError):
            raise
        raise UsageError(f"INPUT: could not read {path!r}: {exc}", key="INPUT", expected=f"a readable {fmt} file", got=str(exc)) from None


def _write_table(df, path):
    fmt = _table_format(path, "OUTPUT")
    if fmt == "csv":
        df.to_csv(path, index=False)
        return
    from twitchnet._extras import require

    require("pyarrow", "frame", "twitchnet score (Parquet)")
    df.to_parquet(path, index=False)


def _score(model, args, out):
    """``twitchnet score``: see the module docstring for what it writes and its exit statuses."""
    import warnings

    import pandas as pd

    from twitchnet.frame import diagnose_frame

    _table_format(args.output, "OUTPUT")  # before any work
    df = _read_table(args.input)
    missing = [c for c in args.id if c not in df.columns]
    if missing:
        raise UsageError(f"--id: expected a column of {args.input!r}, got {missing[0]!r}", key="--id",
                         expected="a column of INPUT", got=missing[0])
    ids = df[args.id]
    with warnings.catch_warnings(record=True) as caught:  # the bad cells are counted below and named per row
        warnings.simplefilter("always", UserWarning)
        res = diagnose_frame(df.drop(columns=args.id), model, errors=args.errors, chunk_size=args.chunk_size, progress=args.progress)
    for w in caught:
        if not issubclass(w.category, UserWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    result = pd.concat([ids, res], axis=1) if args.id else res
    if "coerced" not in result:  # errors="raise" that passed: every cell was clean
        result = result.assign(coerced="", error="")
    n_bad = int((result["coerced"] != "").sum())
    n_cells = int(result["coerced"].str.count(",").add(1).where(result["coerced"] != "", 0).sum())
    n_failed = int((result["error"] != "").sum())
    n_urgent = int(result["urgent"].sum())
    try:
        _write_table(result, args.output)
    except (OSError, ValueError) as exc:
        if isinstance(exc, TwitchnetError):
            raise
        _err(f"twitchnet: error: could not write {args.output!r}: {exc}")
        return URGENT_WRITE_FAILED if n_urgent else 2
    _err(f"twitchnet: scored {len(result)} rows to {args.output}: {n_urgent} urgent; {n_cells} bad cell(s) in {n_bad} row(s) "
         f"read as unknown (named in the 'coerced' column); {n_failed} row(s) without probabilities (see 'error')")
    return SCORED_WITH_BAD_CELLS if (n_bad or n_failed) else 0
