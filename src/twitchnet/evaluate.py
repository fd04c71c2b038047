"""Evaluate the model (and two baselines built from the same numbers) on clinical vignettes.

Three tiers, scored side by side (the three tiers of evidence in design.md, from the
vocabulary's sections: :attr:`twitchnet.kb.schema.Finding.tier`):

* ``history``: what a person can report: symptoms and risk factors only. Every examination sign
  (a finding with ``exam``) and every test result (a finding with a ``test`` burden: blood tests,
  nerve conduction, EMG, imaging; and the risk-factor nodes that measure a factor,
  ``RiskFactor.test``: ``low_b12``, ``low_ferritin``) is removed from each vignette's evidence
  before diagnosis.
* ``examination``: the history with the examination signs; test results removed.
* ``workup``: the vignette's evidence as published, examination and test results included.

A vignette without examination signs or test results scores the same in every tier.
``Evaluation.metrics`` is the workup tier (all the evidence, as before tiers existed);
``Evaluation.tiers`` holds all three.

Metrics, per tier and method:

* ``top1``: the truth is ranked first, over vignettes whose truth is a modelled cause.
* ``lenient_top1``: the first-ranked cause is the truth or one of its ``acceptable`` causes.
* ``top3``: the truth is among the first three.
* ``red_flag_sensitivity``: share of vignettes with ``red_flag`` true that come out urgent (these
  include the serious conditions outside the model, where only the override can be right).
* ``false_alarm_rate``: share of vignettes without a red flag that come out urgent.
* ``triage_agreement``: triage equals ``expected_triage``; ``safe_triage``: triage is at least
  as urgent as expected (emergency > urgent > routine > insufficient > self_care: the order of
  :data:`twitchnet.redflags.TRIAGE`; "insufficient" reassures no one, so it is safe where
  self-care was expected and unsafe where a clinician was).
* ``brier`` and ``log_loss``: calibration over every (vignette, cause) pair of the vignettes whose
  truth is a modelled cause, the cause's probability against 1 if it is the truth else 0; log loss
  clips probabilities to [1e-15, 1 - 1e-15]. Lower is better.
* ``with_examination``: how many vignettes had an examination sign in the evidence scored (0 in
  the history tier); ``with_test_results``: how many had a test result (0 in the history and
  examination tiers).

Methods
-------
* ``network``: twitchnet's exact posterior.
* ``priors_only``: the same network with the findings withheld (``CauseResult.prior``): what
  the risk factors alone say.
* ``naive_bayes``: a single-cause classifier from the same numbers: exactly one cause is present,
  with prior proportional to ``CauseResult.prior``, and findings independent given that cause,
  ``P(f | c) = 1 - (1 - leak_f)(1 - p_cf)`` (``p_cf = 0`` without a link).

Red flags and triage use the same rules for every method (the red-flag rules never read a
probability); only the routine/self-care split depends on each method's probabilities.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Mapping, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

    from twitchnet.model import DiagnosticModel
    from twitchnet.results import Diagnosis
    from twitchnet.vignettes import Vignette

from twitchnet import redflags
from twitchnet._validation import fail
from twitchnet.errors import TwitchnetError

#: A metric's value: a rate, a count, or None where it has no cases.
Metric = float | int | None
Tier = Literal["history", "examination", "workup"]
Method = Literal["network", "priors_only", "naive_bayes"]

__all__ = ["METHODS", "TIERS", "Evaluation", "evaluate", "examination_ids", "test_result_ids"]

METHODS = ("network", "priors_only", "naive_bayes")
#: The evidence tiers, in order: each adds one section of the vocabulary to the one before.
TIERS = ("history", "examination", "workup")
_URGENCY = {level: i for i, level in enumerate(redflags.TRIAGE)}


@dataclass(frozen=True)
class Evaluation:
    """The result of :func:`evaluate`.

    Attributes
    ----------
    metrics : Mapping
        The workup tier: method -> metric name -> value (None where a metric has no cases).
    cases : tuple of dict
        One row per (vignette, tier, method): id, tier, method, split, truth, top1, top3, p_truth,
        urgent, triage, expected_triage, red_flag, probabilities, members (a cause group's
        members, comma-separated, when the truth is a group; a group is ranked where its best
        member is).
    n_vignettes : int
    tiers : Mapping
        Tier ("history", "examination", "workup") -> method -> metric name -> value.
    """

    metrics: Mapping[str, Mapping[str, Metric]]
    cases: tuple[dict[str, Any], ...]
    n_vignettes: int
    tiers: Mapping[str, Mapping[str, Mapping[str, Metric]]] | None = None

    def to_frame(self) -> pd.DataFrame:
        """Per-case results as a pandas DataFrame (one row per vignette, tier and method)."""
        import pandas as pd

        rows = [{k: v for k, v in c.items() if k != "probabilities"} for c in self.cases]
        return pd.DataFrame(rows)

    def metrics_frame(self) -> pd.DataFrame:
        """Metrics as a DataFrame: one row per metric, one column per (tier, method)."""
        import pandas as pd

        return pd.DataFrame({(t, m): v for t, by in self._tiers().items() for m, v in by.items()})

    def _tiers(self) -> Mapping[str, Mapping[str, Mapping[str, Metric]]]:
        """:attr:`tiers`, or the workup tier alone for an evaluation made without tiers."""
        return self.tiers if self.tiers is not None else {"workup": self.metrics}

    def per_cause(self, tier: Tier = "workup", method: Method = "network") -> pd.DataFrame:
        """Top-1 and top-3 by true cause: a DataFrame indexed by cause with ``vignettes``, ``top1``,
        ``top3`` (vignettes whose truth is outside the model are not counted).
        """
        import pandas as pd

        rows = [c for c in self._rows(tier, method) if c["truth"] is not None]
        out: dict[str, dict[str, Any]] = {}
        for truth in sorted({c["truth"] for c in rows}):
            mine = [c for c in rows if c["truth"] == truth]
            out[truth] = {"vignettes": len(mine), "top1": _rate([c["top1"] == truth for c in mine]), "top3": _rate([truth in c["top3"].split(",") for c in mine])}
        return pd.DataFrame.from_dict(out, orient="index", columns=["vignettes", "top1", "top3"])

    def _rows(self, tier: str, method: str) -> list[dict[str, Any]]:
        tiers = self._tiers()
        if tier not in tiers:
            raise fail(TwitchnetError, "tier", "one of " + ", ".join(tiers), tier)
        return [row for row in self.cases if row["method"] == method and row["tier"] == tier]

    def reliability(self, method: Method = "network", bins: int = 10, tier: Tier = "workup") -> pd.DataFrame:
        """Reliability table: ``bins`` equal-width bins of predicted probability, with count, mean
        predicted probability and observed frequency of the cause being the truth.
        """
        import numpy as np
        import pandas as pd

        pairs = [(p, float(c == row["truth"])) for row in self._rows(tier, method) if row["truth"] is not None and not row["members"]
                 for c, p in row["probabilities"].items()]
        edges = np.linspace(0, 1, bins + 1)
        out = []
        for i in range(bins):
            lo, hi = edges[i], edges[i + 1]
            sel = [(p, y) for p, y in pairs if (lo <= p < hi) or (i == bins - 1 and p == 1.0)]
            out.append(
                {
                    "bin": f"[{lo:.1f}, {hi:.1f}{']' if i == bins - 1 else ')'}",
                    "count": len(sel),
                    "mean_predicted": float(np.mean([p for p, _ in sel])) if sel else None,
                    "observed": float(np.mean([y for _, y in sel])) if sel else None,
                }
            )
        return pd.DataFrame(out)

    def confusion(self, method: Method = "network", tier: Tier = "workup") -> pd.DataFrame:
        """Counts of truth (rows; ``outside_model`` for truth null) against the top-ranked cause."""
        import pandas as pd

        rows = self._rows(tier, method)
        truth = [r["truth"] or "outside_model" for r in rows]
        top = [r["top1"] for r in rows]
        return pd.crosstab(pd.Series(truth, name="truth"), pd.Series(top, name="top1"))

    def _columns(self) -> list[tuple[str, str]]:
        tiers = self._tiers()
        return [(t, m) for m in next(iter(tiers.values())) for t in tiers]

    def summary(self) -> str:
        """A text table: metrics by method, the history, examination and workup tiers side by side."""
        cols = self._columns()
        names = list(next(iter(self.metrics.values())).keys())
        lines = [
            f"{self.n_vignettes} vignettes; history tier = symptoms and risk factors only (examination and test results removed), "
            "examination tier = history with examination signs, workup tier = with test results too",
            f"{'':<22}" + "".join(f"{m:>14}" for _, m in cols),
            f"{'metric':<22}" + "".join(f"{t:>14}" for t, _ in cols),
        ]
        for name in names:
            cells = []
            for t, m in cols:
                v = self._tiers()[t][m][name]
                cells.append(f"{'-':>14}" if v is None else f"{v:>14d}" if isinstance(v, int) else f"{v:>14.3f}")
            lines.append(f"{name:<22}" + "".join(cells))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        cols = self._columns()
        names = list(next(iter(self.metrics.values())).keys())
        head = "".join(f"<th>{html.escape(m)}<br><small>{html.escape(t)}</small></th>" for t, m in cols)
        body = ""
        for name in names:
            vals = [self._tiers()[t][m][name] for t, m in cols]
            cells = "".join("<td>-</td>" if v is None else f"<td>{v:.3f}</td>" if isinstance(v, float) else f"<td>{v}</td>" for v in vals)
            body += f"<tr><th style='text-align:left'>{html.escape(name)}</th>{cells}</tr>"
        return f"<div><b>twitchnet evaluation: {self.n_vignettes} vignettes</b><table><tr><th>metric</th>{head}</tr>{body}</table></div>"


def _naive_bayes(model: DiagnosticModel, d: Diagnosis) -> dict[str, float]:
    """Single-cause posterior from the same numbers (see the module docstring)."""
    import numpy as np

    causes = list(model.cause_ids)
    prior_of = {r.cause: r.prior for r in d.ranking}
    prior = np.array([prior_of[c] for c in causes])
    logp = np.log(prior / prior.sum())
    no_leak = np.exp(model.arrays.a0)  # (F,)
    one_minus = np.exp(model.arrays.b0)  # (C, F)
    p_f = 1.0 - no_leak[None, :] * one_minus  # P(f | only cause c), (C, F)
    for f, fid in enumerate(model.finding_ids):
        if fid in d.evidence:
            logp += np.log(p_f[:, f] if d.evidence[fid] else 1.0 - p_f[:, f])
    post = np.exp(logp - logp.max())
    return dict(zip(causes, post / post.sum()))


class _Ranked(NamedTuple):
    care: str
    probability: float


def test_result_ids(model: DiagnosticModel) -> frozenset[str]:
    """The ids of the knowledge base's test results: findings with a ``test`` burden, and the
    risk-factor nodes that measure a factor (``RiskFactor.test``: ``low_b12``, ``low_ferritin``).
    """
    return frozenset([f.id for f in model.kb.findings if getattr(f, "test", None) is not None]
                     + [r.id for r in getattr(model.kb, "risk_factors", ()) if getattr(r, "test", None) is not None])


def examination_ids(model: DiagnosticModel) -> frozenset[str]:
    """The ids of the knowledge base's examination signs (findings with ``exam``, tier "examination")."""
    return frozenset(f.id for f in model.kb.findings if getattr(f, "exam", False) and getattr(f, "test", None) is None)


def _rate(hits: Sequence[float]) -> float | None:
    import numpy as np

    return None if not hits else float(np.mean(hits))


def evaluate(vignettes: Sequence[Vignette] | str | os.PathLike[str] | None = None, model: DiagnosticModel | None = None, baselines: bool = True, *,
             progress: bool | None = None) -> Evaluation:
    """Score the model (and baselines) on vignettes, in the history, examination and workup tiers.

    Parameters
    ----------
    vignettes : sequence of Vignette, str or os.PathLike, optional
        Vignette records, or a path to a vignette JSON file; the packaged suite when omitted.
    model : DiagnosticModel, optional
    baselines : bool, default=True
        Also score ``priors_only`` and ``naive_bayes``.
    progress : bool or None, default=None
        A tqdm bar over the vignettes: ``True`` always, ``False`` never, ``None`` in a terminal or
        notebook once the evaluation has run for two seconds.

    Returns
    -------
    Evaluation
        ``metrics`` is the workup tier; ``tiers`` has all three.
    """
    from twitchnet import _progress
    from twitchnet.model import load_model
    from twitchnet.vignettes import load_vignettes

    progress = _progress.check_progress(progress)
    if model is None:
        model = load_model()
    if vignettes is None or isinstance(vignettes, (str, bytes, os.PathLike)):  # os.PathLike: anything with __fspath__
        vignettes = load_vignettes(vignettes, model=model)
    threshold = model.kb.routine_threshold.value
    methods = METHODS if baselines else METHODS[:1]
    care = {c.id: c.care for c in model.kb.causes}
    tests = test_result_ids(model)
    exams = examination_ids(model)
    removed = {"history": tests | exams, "examination": tests, "workup": frozenset()}
    cases = []
    harmless = redflags.self_care_findings(model.kb) if baselines else frozenset()  # the baselines' triage
    members = {g.id: set(g.members) for g in getattr(model.kb, "groups", ())}
    bar = _progress.bar(progress, len(vignettes) * len(TIERS), desc="evaluate", unit="cases", purpose="evaluate(progress=True)")
    for v, tier in ((v, tier) for v in vignettes for tier in TIERS):
        bar.update(1)
        evidence = {k: x for k, x in v.evidence.items() if k not in removed[tier]}
        d = model.diagnose(evidence)
        explained = any(d.evidence.get(f) is True for f in harmless)
        probs = {
            "network": {r.cause: r.probability for r in d.ranking},
            "priors_only": {r.cause: r.prior for r in d.ranking},
        }
        if baselines:
            probs["naive_bayes"] = _naive_bayes(model, d)
        for m in methods:
            p = probs[m]
            order = sorted(model.cause_ids, key=lambda c: (-p[c], model.cause_ids.index(c)))
            # a group truth (vignettes.md: "any of its members") is ranked where its best member is
            shown = [next((g for g in (v.truth, *v.acceptable) if g is not None and g in members and c in members[g]), c) for c in order]
            if m == "network":
                triage = d.triage
            else:  # the one triage rule, on this method's probabilities
                ranked = [_Ranked(care[c], p[c]) for c in model.cause_ids]
                triage = redflags.triage_level(d.red_flags, ranked, threshold, explained)
            cases.append(
                {
                    "id": v.id,
                    "tier": tier,
                    "method": m,
                    "split": v.split,
                    "truth": v.truth,
                    "acceptable": ",".join(v.acceptable),
                    "top1": shown[0],
                    "top3": ",".join(shown[:3]),
                    "p_truth": None if v.truth is None else float(p[v.truth] if v.truth in p else _group_p(model, d, m, v.truth)),
                    "urgent": d.urgent,
                    "triage": triage,
                    "expected_triage": v.expected_triage,
                    "red_flag": v.red_flag,
                    "tested": any(k in tests for k in evidence),
                    "examined": any(k in exams for k in evidence),
                    "probabilities": {c: float(p[c]) for c in model.cause_ids},
                    "members": ",".join(sorted(members.get(v.truth, ()))),
                }
            )
    bar.close()
    tiers = {tier: {m: _metrics([c for c in cases if c["method"] == m and c["tier"] == tier]) for m in methods} for tier in TIERS}
    return Evaluation(tiers["workup"], tuple(cases), len(vignettes), tiers)


def _group_p(model: DiagnosticModel, d: Diagnosis, method: str, gid: str) -> float:
    """A group's probability under one method: exact for the network (``d.groups``); the
    baselines give marginals only, so one minus the product of the members' absences.
    """
    if method == "network":
        return d.groups[gid]
    members = next(g.members for g in model.kb.groups if g.id == gid)
    p = _naive_bayes(model, d) if method == "naive_bayes" else {r.cause: r.prior for r in d.ranking}
    return 1.0 - math.prod(1.0 - p[c] for c in members)


def _metrics(rows: Sequence[Mapping[str, Any]]) -> dict[str, Metric]:
    """The metrics of one tier and method (see the module docstring)."""
    ruled = [c for c in rows if c["truth"] is not None]
    # a cause truth: every cause's probability against 1 for the truth, else 0; a group truth: the
    # group's probability against 1, and every cause outside it against 0
    pairs = [pair for c in ruled for pair in (
        [(pr, float(cause == c["truth"])) for cause, pr in c["probabilities"].items()] if not c["members"] else
        [(c["p_truth"], 1.0)] + [(pr, 0.0) for cause, pr in c["probabilities"].items() if cause not in c["members"].split(",")])]
    eps = 1e-15
    return {
        "vignettes": len(rows),
        "with_examination": sum(c["examined"] for c in rows),
        "with_test_results": sum(c["tested"] for c in rows),
        "top1": _rate([c["top1"] == c["truth"] for c in ruled]),
        "lenient_top1": _rate([c["top1"] == c["truth"] or c["top1"] in c["acceptable"].split(",") for c in ruled]),
        "top3": _rate([c["truth"] in c["top3"].split(",") for c in ruled]),
        "red_flag_sensitivity": _rate([c["urgent"] for c in rows if c["red_flag"]]),
        "false_alarm_rate": _rate([c["urgent"] for c in rows if not c["red_flag"]]),
        "triage_agreement": _rate([c["triage"] == c["expected_triage"] for c in rows]),
        "safe_triage": _rate([_URGENCY[c["triage"]] >= _URGENCY[c["expected_triage"]] for c in rows]),
        "brier": _rate([(pr - y) ** 2 for pr, y in pairs]),
        "log_loss": _rate([-(y * math.log(min(max(pr, eps), 1 - eps)) + (1 - y) * math.log(1 - min(max(pr, eps), 1 - eps))) for pr, y in pairs]),
    }
