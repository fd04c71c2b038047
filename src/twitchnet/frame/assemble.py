"""The result frame of :func:`twitchnet.diagnose_frame`: probabilities, top cause, triage and the
red-flag columns, from the engine's arrays (the one red-flag and triage rule, on columns).
"""

from __future__ import annotations

import numpy as np

from twitchnet import redflags
from twitchnet.frame.encode import _text_dtype

__all__: list[str] = []

_TRIAGE = redflags.TRIAGE  # the ordered categories of ``triage``


def _explained(model, finding_state):
    """Rows with a present finding that a self-care cause explains (see redflags.triage_level)."""
    idx = sorted(redflags.self_care_indices(model))
    if not idx:
        return np.zeros(finding_state.shape[0], dtype=bool)
    return (finding_state[:, idx] == 1).any(axis=1)


def _coerced_column(df, bad, positions):
    """Per row, the columns whose cell was bad and read as unknown (comma-separated; "" none)."""
    out = np.full(len(df), "", dtype=object)
    if not bad:
        return out
    names = np.array([str(c) for _, c, _, _ in bad], dtype=object)
    order = np.lexsort((np.arange(len(positions)), positions))
    pos, names = positions[order], names[order]
    starts = np.flatnonzero(np.r_[True, pos[1:] != pos[:-1]])
    groups = np.split(names, starts[1:])
    out[pos[starts]] = [",".join(dict.fromkeys(g)) for g in groups]
    return out


def _empty_result(model, index, errors="raise"):
    import pandas as pd

    data = {c: pd.Series([], dtype=float) for c in model.cause_ids}
    data |= {
        "top_cause": pd.Series(pd.Categorical.from_codes([], categories=model.cause_ids)),
        "urgent": pd.Series([], dtype=bool),
        "triage": pd.Series(pd.Categorical.from_codes([], categories=_TRIAGE, ordered=True)),
        "red_flags": pd.Series([], dtype=_text_dtype()),
    }
    if errors == "coerce":
        data["coerced"] = pd.Series([], dtype=_text_dtype())
        data["error"] = pd.Series([], dtype=_text_dtype())
    return pd.DataFrame(data, index=index[:0])


def _assemble(model, index, prob, flags, explained, coerced=None, error=None):
    import pandas as pd

    n = prob.shape[0]
    unranked = np.isnan(prob).any(axis=1)  # rows beyond the engine: no probabilities, no top cause
    explained = np.asarray(explained, dtype=bool) & ~unranked  # and never self-care (as a case that cannot be ranked)
    fired_any = np.zeros(n, dtype=bool)
    emergency = np.zeros(n, dtype=bool)
    fired = redflags.fire(model.kb, flags.__getitem__)  # the one red-flag function, on columns
    order = [rule for rule, _ in fired]
    fires = []
    for rule, fire in fired:
        fire = np.broadcast_to(fire, (n,))
        fires.append(fire)
        fired_any |= fire
        if rule.level == "emergency":
            emergency |= fire
    red = np.full(n, "", dtype=object)
    hit = np.flatnonzero(fired_any)  # names only for the rows where some rule fired
    if hit.size:
        # one string per distinct combination of fired rules, not per row
        ids = [r.id for r in order]
        code = np.zeros(hit.size, dtype=object if len(ids) > 62 else np.int64)
        for bit, f in enumerate(fires):
            code += f[hit].astype(code.dtype) * (1 << bit)
        patterns, inverse = np.unique(code, return_inverse=True)
        parts = [[] for _ in range(len(patterns))]  # each pattern's rule ids, in rule order, from its set bits
        for bit, rule_id in enumerate(ids):
            for k in np.flatnonzero((patterns >> bit) & 1).tolist():
                parts[k].append(rule_id)
        names = np.array([",".join(x) for x in parts], dtype=object)
        red[hit] = names[inverse.reshape(-1)]
    care = np.array([c.care == "clinician" for c in model.kb.causes])
    routine = (prob[:, care] >= model.kb.routine_threshold.value).any(axis=1) if care.any() else np.zeros(n, dtype=bool)
    # the one triage rule (redflags.triage_level for a single case), on columns
    level = redflags.triage_index(emergency.astype(np.intp), fired_any.astype(np.intp), routine.astype(np.intp), np.asarray(explained, dtype=np.intp))
    data = {c: prob[:, i] for i, c in enumerate(model.cause_ids)}
    top = np.argmax(prob, axis=1) if n else np.zeros(0, dtype=int)
    # rows where two causes share the largest probability as floats (both within 1e-16 of 1, say):
    # rank by log-odds, as diagnose does
    tied = np.flatnonzero((prob == prob[np.arange(n), top][:, None]).sum(axis=1) > 1) if n else top
    if tied.size:
        with np.errstate(divide="ignore"):
            top[tied] = np.argmax(np.log(prob[tied]) - np.log1p(-prob[tied]), axis=1)
    top[unranked] = -1  # missing
    data["top_cause"] = pd.Categorical.from_codes(top, categories=model.cause_ids)
    data["urgent"] = fired_any
    data["triage"] = pd.Categorical.from_codes(level, categories=_TRIAGE, ordered=True)
    data["red_flags"] = pd.array(red, dtype=_text_dtype())
    if coerced is not None:
        data["coerced"] = pd.array(coerced, dtype=_text_dtype())
    if error is not None:
        data["error"] = pd.array(error, dtype=_text_dtype())
    return pd.DataFrame(data, index=index)
