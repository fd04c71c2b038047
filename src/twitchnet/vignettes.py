"""Clinical vignettes: a documented JSON format, a strict loader and small frozen records.

Format (``twitchnet-vignettes/1``)::

    {"format": "twitchnet-vignettes/1",
     "description": "how the cases were chosen and entered",
     "vignettes": [
       {"id": "rls-pregnancy-01",                  # unique slug
        "source": "Authors. Title. Journal Year;Vol:pages. doi:...",   # full citation, DOI or URL
        "source_type": "case_report",              # case_report | case_series | guideline_example |
                                                   # diagnostic_criteria | textbook_example
        "summary": "one paragraph, in our own words",
        "evidence": {"age": 31, "sex": "female", "urge_to_move": true},  # vocabulary ids only,
                                                   # entered only from what the source states
        "truth": "rls",                            # a cause id, or null (a condition outside the model)
        "acceptable": [],                          # other causes a clinician would accept
        "red_flag": false,                         # true iff a red-flag id is true in the evidence
        "expected_triage": "routine",              # emergency | urgent | routine | self_care | insufficient
        "split": "dev"}                            # dev | holdout (held out while the model is tuned)
     ]}

Evidence is validated through :meth:`DiagnosticModel.encode`, the same path as
:func:`twitchnet.diagnose`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, Mapping

if TYPE_CHECKING:
    import os

    from twitchnet._typing import Triage
    from twitchnet.model import DiagnosticModel

from twitchnet import redflags
from twitchnet._validation import fail
from twitchnet.errors import TwitchnetError, VignetteError

__all__ = ["Vignette", "load_vignettes", "FORMAT", "SOURCE_TYPES", "TRIAGE_LEVELS"]

FORMAT = "twitchnet-vignettes/1"
SOURCE_TYPES = ("case_report", "case_series", "guideline_example", "diagnostic_criteria", "textbook_example")
TRIAGE_LEVELS = ("emergency", "urgent", "routine", "self_care", "insufficient")
_KEYS = {"id", "source", "source_type", "summary", "evidence", "truth", "acceptable", "red_flag", "expected_triage", "split"}


@dataclass(frozen=True)
class Vignette:
    """One clinical vignette (see the module docstring for the meaning of each field)."""

    id: str
    source: str
    source_type: str
    summary: str
    evidence: Mapping[str, Any]
    truth: str | None
    acceptable: tuple[str, ...]
    red_flag: bool
    expected_triage: Triage
    split: str


def _packaged_text() -> str:
    here = Path(__file__).resolve().parent / "data" / "vignettes.json"
    if here.is_file():
        return here.read_text(encoding="utf-8")
    from importlib import resources  # the package is not on a file system (a zip, say)

    return (resources.files("twitchnet.data") / "vignettes.json").read_text(encoding="utf-8")


def _parse(path: str | os.PathLike[str] | None, name: str) -> Any:
    """The parsed JSON of a vignette file (the packaged one for ``None``). A file is read through
    the knowledge-base loader's guards: bounded size, no FIFO or device (refused without
    blocking), nesting at most :data:`twitchnet.limits.MAX_NESTING`.
    """
    from twitchnet.kb.reading import check_shape, read_bounded

    try:
        if path is None:
            return json.loads(_packaged_text())
        text = read_bounded(Path(path), name, error=VignetteError, what="a JSON file")
        check_shape(name, text, error=VignetteError)
        return json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(VignetteError, name, "a readable UTF-8 JSON file", f"{type(exc).__name__}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise fail(VignetteError, name, "valid JSON", f"{exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise fail(VignetteError, name, "valid JSON", "nesting too deep to parse") from None


def load_vignettes(path: str | os.PathLike[str] | None = None, *, split: Literal["dev", "holdout"] | None = None,
                   model: DiagnosticModel | None = None) -> tuple[Vignette, ...]:
    """Load and validate vignettes.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A JSON file in the format above; the packaged suite when omitted.
    split : {"dev", "holdout", None}
        Keep only one split (None: all).
    model : DiagnosticModel, optional
        Model whose vocabulary the evidence must use (default: the packaged model).

    Returns
    -------
    tuple of Vignette

    Raises
    ------
    VignetteError
        Naming the file, the vignette id and the problem.
    """
    if model is None:
        from twitchnet.model import load_model

        model = load_model()
    name = "twitchnet:data/vignettes.json" if path is None else str(path)
    if split not in (None, "dev", "holdout"):
        raise fail(VignetteError, "split", "'dev', 'holdout' or None", split)
    data = _parse(path, name)
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("vignettes"), list):
        raise fail(VignetteError, name, f'an object with "format": "{FORMAT}" and a "vignettes" list', type(data).__name__ if not isinstance(data, dict) else data.get("format"))
    out, seen = [], set()
    causes = set(model.cause_ids) | {g.id for g in model.kb.groups}  # a group id is accepted wherever a cause id is
    for i, raw in enumerate(data["vignettes"]):
        vid = raw.get("id") if isinstance(raw, dict) else None
        where = f"{name}: vignette {vid if isinstance(vid, str) else i}"
        if not isinstance(raw, dict):
            raise fail(VignetteError, where, "an object", raw)
        extra = set(raw) - _KEYS
        missing = _KEYS - set(raw)
        if extra or missing:
            raise fail(VignetteError, where, "exactly the fields " + ", ".join(sorted(_KEYS)), f"extra {sorted(extra)}, missing {sorted(missing)}")
        if not isinstance(vid, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", vid) or vid in seen:
            raise fail(VignetteError, where + ".id", "a unique lower-case slug", vid)
        seen.add(vid)
        src = raw["source"]
        if not isinstance(src, str) or not (re.search(r"(19|20)\d\d", src) or "doi" in src.lower() or "http" in src):
            raise fail(VignetteError, where + ".source", "a full citation with a year, DOI or URL", src)
        for key, allowed in (("source_type", SOURCE_TYPES), ("expected_triage", TRIAGE_LEVELS), ("split", ("dev", "holdout"))):
            if raw[key] not in allowed:
                raise fail(VignetteError, f"{where}.{key}", "one of " + ", ".join(allowed), raw[key])
        if not isinstance(raw["summary"], str) or not raw["summary"].strip():
            raise fail(VignetteError, where + ".summary", "a non-empty paragraph", raw["summary"])
        if raw["truth"] is not None and raw["truth"] not in causes:
            raise fail(VignetteError, where + ".truth", "a cause or cause-group id, or null", raw["truth"])
        acc = raw["acceptable"]
        if not isinstance(acc, list) or any(a not in causes for a in acc):
            raise fail(VignetteError, where + ".acceptable", "a list of cause or cause-group ids", acc)
        if not isinstance(raw["evidence"], dict):
            raise fail(VignetteError, where + ".evidence", "an object of vocabulary ids", raw["evidence"])
        try:
            enc = model.encode(raw["evidence"])
        except TwitchnetError as exc:
            raise fail(VignetteError, where + ".evidence", "valid evidence", str(exc)) from None
        fired = bool(redflags.evaluate(model.kb, enc.true_flags))
        if raw["red_flag"] is not fired:
            raise fail(VignetteError, where + ".red_flag", f"{fired} (a red-flag rule {'fires' if fired else 'does not fire'} on the evidence)", raw["red_flag"])
        if split is None or raw["split"] == split:
            out.append(
                Vignette(vid, src, raw["source_type"], raw["summary"], MappingProxyType(dict(enc.evidence)), raw["truth"], tuple(acc), raw["red_flag"], raw["expected_triage"], raw["split"])
            )
    return tuple(out)
