"""Reading knowledge-base files safely: bounded size, regular files inside the folder only (no FIFO
or device, refused without blocking), nesting bounded before parsing; errors name the file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from twitchnet._validation import fail
from twitchnet.errors import KnowledgeBaseError, TwitchnetError
from twitchnet.limits import (  # every limit, in one place; the kernel is compiled to the same numbers
    MAX_DOTS_PER_LINE,
    MAX_FILE_BYTES,
    MAX_NESTING,
)

__all__ = ["check_shape", "read_bounded"]


_LEXEME = re.compile(
    "|".join(
        (
            r'"""(?:[^\\]|\\.)*?"""',  # multi-line basic string
            r"'''.*?'''",  # multi-line literal string
            r'"(?:[^"\\\n]|\\.)*"',  # basic string
            r"'[^'\n]*'",  # literal string
            r"#[^\n]*",  # comment
            r"(?<![\w.-])[+-]?\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d[\d_]*)?(?![\w.])",  # a number: its dot is no key
            r"[\n.\[\]{}]",  # what is counted
        )
    ),
    re.DOTALL,
)


def _err(where: str, expected: str, got: Any) -> KnowledgeBaseError:
    return fail(KnowledgeBaseError, where, expected, got)


def check_shape(name: str, text: str, error: type[TwitchnetError] = KnowledgeBaseError) -> None:
    """Reject text that would make the TOML parser itself blow up (see ``MAX_DOTS_PER_LINE``).

    A lexical pass that skips strings and comments; tomllib still parses the text afterwards.
    JSON text passes through it too (its strings and numbers are TOML's), which bounds the
    nesting of a vignette file. Raises ``error`` naming ``name`` and the line.
    """

    def _err(where: str, expected: str, got: Any) -> TwitchnetError:
        return fail(error, where, expected, got)

    line, dots, depth = 1, 0, 0
    for m in _LEXEME.finditer(text):
        tok = m.group()
        if tok == "\n":
            line, dots = line + 1, 0
        elif tok == ".":
            dots += 1
            if dots > MAX_DOTS_PER_LINE:
                raise _err(f"{name}: line {line}", f"at most {MAX_DOTS_PER_LINE} dots outside strings on one line (dotted keys that deep are not supported)", "more")
        elif tok in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                nested = "arrays and inline tables" if error is KnowledgeBaseError else "arrays and objects"
                raise _err(f"{name}: line {line}", f"{nested} nested at most {MAX_NESTING} deep", "deeper nesting")
        elif tok in ("]", "}"):
            depth = max(depth - 1, 0)
        else:
            line += tok.count("\n")


def read_bounded(path: str | os.PathLike[str] | Any, name: str, *, error: type[TwitchnetError] = KnowledgeBaseError, what: str = "a TOML file") -> str:
    """The text of one file, read with the loader's guards; raises ``error`` naming ``name``.

    Refuses a special file (FIFO, device or socket: checked on the opened descriptor, which is
    opened without blocking, so a FIFO never hangs), reads at most :data:`MAX_FILE_BYTES` plus
    one byte (a huge or endless file such as ``/dev/zero`` is never read whole), and decodes
    UTF-8. ``path`` is a :class:`~pathlib.Path` or an ``importlib.resources`` traversable. Used
    by the knowledge-base loader and :func:`twitchnet.vignettes.load_vignettes`; the text's
    nesting is checked by :func:`check_shape`.
    """
    import stat

    def fail_(expected: str, got: Any) -> TwitchnetError:
        return fail(error, name, expected, got)

    try:
        if isinstance(path, (str, os.PathLike)):
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            try:
                mode = os.fstat(fd).st_mode
                if stat.S_ISDIR(mode):
                    raise IsADirectoryError(f"is a directory: {os.fspath(path)!r}")
                if not stat.S_ISREG(mode):
                    raise fail_("a regular file", "a special file (FIFO, device or socket)")
            except BaseException:
                os.close(fd)
                raise
            fh = os.fdopen(fd, "rb")
        else:
            fh = path.open("rb")
        with fh:  # at most one byte past the limit: a huge (or sparse) file is never read whole
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise fail_("a file in the knowledge-base folder" if error is KnowledgeBaseError else "a readable file", "no such file") from None
    except OSError as exc:
        raise fail_("a readable file", f"{type(exc).__name__}: {exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail_(f"{what} of at most {MAX_FILE_BYTES} bytes", "a larger file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail_("UTF-8 text", f"undecodable bytes at offset {exc.start}") from None


def _read(folder: Any, name: str) -> tuple[bytes, dict[str, Any]]:
    """Return (raw bytes, parsed dict) of one file, or raise KnowledgeBaseError."""
    path = folder / name
    if isinstance(path, Path) and path.is_symlink():
        # a link out of the folder would read (and echo in messages) a file that is not the KB's
        target = path.resolve()
        if not target.is_relative_to(folder.resolve()):
            raise _err(name, "a file inside the knowledge-base folder (a symbolic link may point only inside it)", f"a link to {target}")
    text = read_bounded(path, name)
    raw = text.encode("utf-8")
    check_shape(name, text)
    import tomllib  # only when a file is parsed: a cached default knowledge base needs none

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _err(name, "valid TOML", f"a syntax error: {exc}") from None  # exc names line and column
    except RecursionError:
        raise _err(name, "valid TOML", "nesting too deep to parse") from None
    except ValueError as exc:  # e.g. an integer too long to convert
        raise _err(name, "valid TOML", f"a value it cannot read: {exc}") from None
    return raw, data
