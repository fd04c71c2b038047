"""Diagnosis as tables: :meth:`~twitchnet.results.Diagnosis.to_frame`, ``groups_frame`` and ``to_dict``."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from twitchnet.results import Diagnosis

__all__ = ["groups_frame", "to_dict", "to_frame"]


def groups_frame(d: Diagnosis) -> pd.DataFrame:
    """The body of :meth:`Diagnosis.groups_frame` (see there)."""
    import pandas as pd

    u = d.intervals
    rows = []
    for g in d.group_results:
        rows.append({"group": g.group, "meaning": g.meaning, "members": ",".join(g.members), "probability": g.probability,
                     "rank": g.rank, "disablement": g.disablement, "sufficiency": g.sufficiency})
        if u is not None:
            gu = u[g.group]
            rows[-1] |= {"median": gu.median, "interval_low": gu.low, "interval_high": gu.high, "p_first": gu.p_first, "p_top3": gu.p_top3}
    columns = ["group", "meaning", "members", "probability", "rank", "disablement", "sufficiency"]
    if u is not None:
        columns += ["median", "interval_low", "interval_high", "p_first", "p_top3"]
    return pd.DataFrame(rows, columns=columns).set_index("group")


def to_frame(d: Diagnosis) -> pd.DataFrame:
    """The body of :meth:`Diagnosis.to_frame` (see there)."""
    import pandas as pd

    rows = []
    u = d.intervals
    in_group: dict[str, str] = {}
    for g in (d.model.kb.groups if d.model is not None and d.ranking else ()):
        for m in g.members:
            in_group[m] = (in_group[m] + "," if m in in_group else "") + g.id
    for rank, r in enumerate(d.ranking, 1):
        rows.append(
            {
                "rank": rank,
                "cause": r.cause,
                "name": r.name,
                "probability": r.probability,
                "prior": r.prior,
                "log_odds": r.log_odds,
                "prior_log_odds": r.prior_log_odds,
                "care": r.care,
                "disablement": r.disablement,
                "sufficiency": r.sufficiency,
                "supporting": ", ".join(c.finding for c in r.supporting),
                "opposing": ", ".join(c.finding for c in r.opposing),
                "group": in_group.get(r.cause, ""),
            }
        )
        if u is not None:
            cu = u[r.cause]
            rows[-1] |= {"median": cu.median, "interval_low": cu.low, "interval_high": cu.high, "p_first": cu.p_first, "p_top3": cu.p_top3}
    columns = ["rank", "cause", "name", "probability", "prior", "log_odds", "prior_log_odds", "care", "disablement", "sufficiency", "supporting", "opposing", "group"]
    if u is not None:
        columns += ["median", "interval_low", "interval_high", "p_first", "p_top3"]
    return pd.DataFrame(rows, columns=columns).set_index("cause")  # no rows for a person the model cannot rank


def to_dict(d: Diagnosis) -> dict[str, Any]:
    """The body of :meth:`Diagnosis.to_dict` (see there)."""

    def clean(x: Any) -> Any:
        if isinstance(x, float) and not math.isfinite(x):
            return str(x)
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [clean(v) for v in x]
        return x

    return clean(
        {
            "urgent": d.urgent,
            "triage": d.triage,
            "ranked_by": d.ranked_by,
            "reason": d.reason,
            "red_flags": [asdict(r) for r in d.red_flags],
            "ranking": [asdict(r) | {"contributions": [c._asdict() for c in r.contributions]} for r in d.ranking],
            "evidence": dict(d.evidence),
            "provenance": asdict(d.provenance),
            "log_evidence": d.log_evidence,
            "warning_signs_not_asked": [{"id": i, "question": q} for i, q in d.warning_signs_not_asked],
            "groups": [asdict(g) | {"members": list(g.members)} for g in d.group_results],
        }
        | ({} if d.intervals is None else {"uncertainty": {
            "draws": d.intervals.draws, "seed": d.intervals.seed, "level": d.intervals.level,
            "causes": [asdict(c) for c in d.intervals.causes],
            "groups": [asdict(c) for c in getattr(d.intervals, "groups", ())]}})
    )
