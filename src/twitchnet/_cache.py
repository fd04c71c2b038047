"""A cache of derived data of the packaged model, in plain bytes and JSON: no pickle is ever read.

Parsing and validating the packaged knowledge base and building the C kernel's tables are most of
a cold command-line run, so both are kept in files under the cache folder
(``TWITCHNET_CACHE_DIR``, else ``$XDG_CACHE_HOME/twitchnet`` or ``~/.cache/twitchnet``;
``TWITCHNET_NO_CACHE=1`` (or ``true``, ``yes``) turns the cache off). Each file is one JSON header
line, then the payload::

    {"format": "twitchnet-cache", "kind": "kb", "version": "0.1.0", "schema": 2,
     "data_hash": "<SHA-256 of what the payload was computed from>", "sha256": "<SHA-256 of the payload>", "bytes": 12345}
    <payload: JSON text (the knowledge base) or raw little-endian arrays (the kernel tables)>

Every file is keyed on the numbers it was computed from, never on where they were loaded from:
``data_hash`` is the SHA-256 of the knowledge-base files' bytes for ``"kb"``, and the model's
:attr:`~twitchnet.model.DiagnosticModel.fingerprint` (SHA-256 of the knowledge base's whole content)
for ``"kernel"``. A file is used only when its name and header match the package version, the
schema of what it holds and that hash, and the payload has the stated length and SHA-256. Anything
else (a file from another version, truncated, edited by hand) is ignored and rebuilt. The checks
catch corruption and careless edits; whoever can write the cache folder can also write a matching
hash, which is why nothing in it is ever executed or unpickled: the payload is data, parsed by
:mod:`json` or read as numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from twitchnet._validation import env_flag
from twitchnet._version import __version__

__all__ = ["cache_dir", "read", "write"]

_FORMAT = "twitchnet-cache"


def cache_dir():
    """The cache folder, or None when ``TWITCHNET_NO_CACHE`` is set."""
    if env_flag("TWITCHNET_NO_CACHE"):
        return None
    if os.environ.get("TWITCHNET_CACHE_DIR"):
        return Path(os.environ["TWITCHNET_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "twitchnet"


def path(kind, schema, data_hash):
    """The file for ``kind`` ("kb", "kernel") of this package version, schema and data hash, or None."""
    where = cache_dir()
    if where is None:
        return None
    return where / f"{kind}-{__version__}-s{schema}-{data_hash}.bin"


def _header(kind, schema, data_hash, payload):
    return {
        "format": _FORMAT,
        "kind": kind,
        "version": __version__,
        "schema": schema,
        "data_hash": data_hash,
        "sha256": hashlib.sha256(payload).hexdigest(),
        "bytes": len(payload),
    }


def read(kind, schema, data_hash):
    """The verified payload (bytes) cached for ``kind``, or None (no file, or any mismatch)."""
    try:
        file = path(kind, schema, data_hash)
        if file is None or not file.is_file():
            return None
        raw = file.read_bytes()
        head, sep, payload = raw.partition(b"\n")
        if not sep:
            return None
        header = json.loads(head)
        if header != _header(kind, schema, data_hash, payload):
            return None
        return payload
    except (OSError, ValueError):  # unreadable, or a header that is not JSON: a slower start only
        return None


def write(kind, schema, data_hash, payload):
    """Store ``payload`` atomically; give up silently (read-only home, full disk...)."""
    try:
        file = path(kind, schema, data_hash)
        if file is None:
            return
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_name(f"{file.name}.{os.getpid()}.tmp")
        tmp.write_bytes(json.dumps(_header(kind, schema, data_hash, payload)).encode() + b"\n" + payload)
        os.replace(tmp, file)
    except OSError:
        pass
