"""Progress bars on long work: one rule for every function that takes ``progress=``.

``progress=True`` always shows a tqdm bar (on stderr, or a widget in a notebook); ``False`` never
does; ``None`` (the default) shows one only where a person is watching (a terminal on stderr, or a
Jupyter kernel) and only once the work has run for :data:`DELAY` seconds, so short calls and
scripts whose output goes to a file or a pipe stay silent.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["DELAY", "bar", "check_progress", "interactive"]

#: Seconds a default bar (``progress=None``) waits before it appears: quick work never shows one.
DELAY = 2.0


def interactive() -> bool:
    """True in a Jupyter kernel or when stderr is a terminal (where a bar would be seen)."""
    shell = sys.modules.get("IPython")
    if shell is not None:
        try:
            ip = shell.get_ipython()
        except Exception:  # an IPython stub without get_ipython: not a kernel
            ip = None
        if ip is not None and type(ip).__name__ == "ZMQInteractiveShell":
            return True
    try:
        return bool(sys.stderr.isatty())
    except Exception:  # a replaced stderr without isatty
        return False


def check_progress(progress: Any) -> bool | None:
    """``progress`` as given, or an :class:`~twitchnet.errors.EvidenceError` in the one message shape."""
    if progress is None or isinstance(progress, bool):
        return progress
    from twitchnet import _validation as v
    from twitchnet.errors import EvidenceError

    raise v.fail(EvidenceError, "progress", "True, False or None", progress)


class _Silent:
    """A bar that shows nothing (``progress=False``, or nobody watching)."""

    def update(self, n: float = 1) -> None:
        pass

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> _Silent:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def bar(progress: bool | None, total: float | None, *, desc: str, unit: str = "it", purpose: str = "progress=True") -> Any:
    """A tqdm bar for ``total`` units of work, or a silent stand-in (the same methods).

    Parameters
    ----------
    progress : bool or None
        ``True``: shown at once (without tqdm: :class:`~twitchnet.errors.MissingExtraError`);
        ``False``: silent; ``None``: shown after :data:`DELAY` seconds when :func:`interactive`.
    total : float or None
        Units of work, or None when unknown (EM iterations up to ``max_iter``).
    desc, unit : str
        The bar's label and unit.
    purpose : str
        What asked, for the missing-tqdm message.
    """
    progress = check_progress(progress)
    if progress is False or (progress is None and not interactive()):
        return _Silent()
    if progress:
        from twitchnet._extras import require

        tqdm = require("tqdm.auto", "frame", purpose).tqdm
        return tqdm(total=total, desc=desc, unit=unit)
    try:
        from tqdm.auto import tqdm as auto_tqdm
    except ImportError:
        return _Silent()
    return auto_tqdm(total=total, desc=desc, unit=unit, delay=DELAY)
