"""Optional dependencies: one helper that imports one and, when it is missing, says how to install it."""

from __future__ import annotations

import importlib

__all__ = ["require"]


def require(module, extra, purpose):
    """Import ``module`` (e.g. ``"matplotlib.pyplot"``), or raise a clear error.

    Parameters
    ----------
    module : str
    extra : str
        The twitchnet extra that installs it: ``"plot"``, ``"widget"``, ``"frame"``.
    purpose : str
        What needs it, for the message ("twitchnet.present.plot").

    Raises
    ------
    MissingExtraError
        Naming the package and the pip command, ``pip install 'twitchnet[<extra>]'``.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        from twitchnet.errors import MissingExtraError

        top = module.split(".")[0]
        raise MissingExtraError(
            f"{purpose} needs {top}, which is not installed: pip install 'twitchnet[{extra}]'",
            key=top, expected=f"pip install 'twitchnet[{extra}]'", got=f"ImportError: {exc}",
        ) from None
