"""Type aliases of the public API (evidence, engine and ranking names, triage levels)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

__all__ = ["EngineName", "Evidence", "RankingName", "ErrorsSetting", "Triage"]

#: Evidence: vocabulary ids (or aliases) -> values (bool, a number, a string, ``maybe(...)``, or
#: None/NaN/``pd.NA`` for unknown).
Evidence: TypeAlias = Mapping[str, Any]

#: An engine setting: ``"auto"`` or one of the exact engines (:data:`twitchnet.limits.ENGINES`).
EngineName: TypeAlias = Literal["auto", "enumeration", "quickscore", "reference"]

#: What orders a ranking (:func:`twitchnet.diagnose`'s ``ranking=``).
RankingName: TypeAlias = Literal["posterior", "sufficiency", "disablement"]

#: A triage level, most pressing first.
Triage: TypeAlias = Literal["emergency", "urgent", "routine", "self_care", "insufficient"]

#: What :func:`twitchnet.diagnose_frame` does with a bad row.
ErrorsSetting: TypeAlias = Literal["raise", "coerce"]
