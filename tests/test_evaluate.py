"""The evaluator's metrics on small hand-computed examples, a perfect and a useless model."""

import math
from types import MappingProxyType, SimpleNamespace

import pytest

from twitchnet.evaluate import evaluate
from twitchnet.vignettes import Vignette


class FakeModel:
    """Just enough of a model for evaluate(baselines=False): fixed probabilities per vignette."""

    cause_ids = ("a", "b", "c")

    def __init__(self, table, care=("clinician", "self_care", "self_care"), threshold=0.5):
        self.table = table
        findings = [SimpleNamespace(id="symptom", test=None, exam=False), SimpleNamespace(id="lab", test="blood test", exam=False),
                    SimpleNamespace(id="sign", test=None, exam=True)]
        rfs = [SimpleNamespace(id="level", test="blood test"), SimpleNamespace(id="habit", test=None)]  # a measured factor
        self.kb = SimpleNamespace(
            causes=[SimpleNamespace(id=c, care=k) for c, k in zip(self.cause_ids, care)], routine_threshold=SimpleNamespace(value=threshold),
            findings=findings, risk_factors=rfs, groups=(),
        )

    def diagnose(self, ev):
        # a table keyed (case, evidence ids seen beyond the history) answers differently per tier
        seen = tuple(k for k in ("sign", "lab", "level") if k in ev)
        probs = self.table.get((ev["case"], *seen), self.table.get((ev["case"], ev.get("lab")) if "lab" in ev else ev["case"]))
        ranking = [SimpleNamespace(cause=c, probability=p, prior=p, care=k.care) for (c, p), k in zip(probs.items(), self.kb.causes)]
        urgent = bool(ev.get("flag"))
        triage = "urgent" if urgent else ("routine" if any(r.care == "clinician" and r.probability >= 0.5 for r in ranking) else "self_care")
        return SimpleNamespace(ranking=ranking, urgent=urgent, triage=triage, red_flags=("x",) if urgent else (), evidence=ev)


def V(i, truth, red_flag=False, triage="routine", acceptable=(), **extra):
    ev = {"case": i, "flag": red_flag, **extra}
    return Vignette(f"v{i}", "Someone 2020", "case_report", "s", MappingProxyType(ev), truth, tuple(acceptable), red_flag, triage, "dev")


def test_hand_computed_metrics():
    table = {1: {"a": 0.8, "b": 0.1, "c": 0.3}, 2: {"a": 0.6, "b": 0.5, "c": 0.1}, 3: {"a": 0.2, "b": 0.2, "c": 0.2}}
    vs = [V(1, "a"), V(2, "b", acceptable=("a",), triage="self_care"), V(3, None, red_flag=True, triage="emergency")]
    m = evaluate(vs, model=FakeModel(table), baselines=False).metrics["network"]
    assert m["top1"] == 0.5 and m["lenient_top1"] == 1.0 and m["top3"] == 1.0
    assert m["red_flag_sensitivity"] == 1.0 and m["false_alarm_rate"] == 0.0
    assert m["triage_agreement"] == pytest.approx(1 / 3)  # v1 routine ok; v2 routine != self_care; v3 urgent != emergency
    assert m["safe_triage"] == pytest.approx(2 / 3)
    assert m["brier"] == pytest.approx((0.04 + 0.01 + 0.09 + 0.36 + 0.25 + 0.01) / 6)
    expected_ll = -(math.log(0.8) + math.log(0.9) + math.log(0.7) + math.log(0.4) + math.log(0.5) + math.log(0.9)) / 6
    assert m["log_loss"] == pytest.approx(expected_ll)


def test_perfect_model():
    table = {i: {c: (1.0 if c == t else 0.0) for c in "abc"} for i, t in enumerate("abc")}
    vs = [V(i, t) for i, t in enumerate("abc")]
    m = evaluate(vs, model=FakeModel(table), baselines=False).metrics["network"]
    assert m["top1"] == m["top3"] == m["lenient_top1"] == 1.0
    assert m["brier"] == 0.0 and m["log_loss"] == pytest.approx(1e-15, abs=1e-14)


def test_useless_model():
    table = {i: {"a": 0.5, "b": 0.5, "c": 0.5} for i in range(3)}
    vs = [V(i, t) for i, t in enumerate("bcb")]
    ev = evaluate(vs, model=FakeModel(table), baselines=False)
    m = ev.metrics["network"]
    assert m["top1"] == 0.0  # ties go to knowledge-base order: always "a"
    assert m["brier"] == pytest.approx(0.25) and m["log_loss"] == pytest.approx(math.log(2))
    assert m["red_flag_sensitivity"] is None  # no red-flag vignettes: no number, not NaN
    rel = ev.reliability()
    assert rel["count"].sum() == 9 and rel.loc[5, "count"] == 9 and rel.loc[5, "observed"] == pytest.approx(1 / 3)
    conf = ev.confusion()
    assert conf.loc["b", "a"] == 2 and conf.loc["c", "a"] == 1


def test_real_model_baselines_and_outputs():
    vs = [
        Vignette("rls", "Allen 2014", "diagnostic_criteria", "s", MappingProxyType({"urge_to_move": True, "worse_at_rest": True, "worse_in_evening": True, "relieved_by_movement": True}), "rls", (), False, "routine", "dev"),
        Vignette("ces", "NICE 2018", "guideline_example", "s", MappingProxyType({"saddle_numbness": True, "back_pain": True}), None, ("spinal",), True, "emergency", "dev"),
    ]
    ev = evaluate(vs)
    assert set(ev.metrics) == {"network", "priors_only", "naive_bayes"}
    assert ev.metrics["network"]["top1"] == 1.0 and ev.metrics["network"]["red_flag_sensitivity"] == 1.0
    assert ev.metrics["priors_only"]["red_flag_sensitivity"] == 1.0  # same rules for every method
    nb = [c for c in ev.cases if c["method"] == "naive_bayes"][0]
    assert abs(sum(nb["probabilities"].values()) - 1.0) < 1e-12  # single-cause: exclusive
    frame = ev.to_frame()
    assert len(frame) == 18 and {"id", "tier", "method", "top1", "triage"} <= set(frame.columns)  # 2 vignettes x 3 tiers x 3 methods
    assert "network" in ev.summary() and "<table>" in ev._repr_html_()


def test_history_and_workup_tiers():
    """The history tier drops test results (ids with a test burden) before diagnosis; the workup
    tier keeps them; a vignette without a test result scores the same in both."""
    table = {1: {"a": 0.2, "b": 0.6, "c": 0.1}, (1, True): {"a": 0.9, "b": 0.3, "c": 0.1}, 2: {"a": 0.1, "b": 0.2, "c": 0.7}}
    vs = [V(1, "a", lab=True, symptom=True), V(2, "c", symptom=True)]
    ev = evaluate(vs, model=FakeModel(table), baselines=False)
    h, w = ev.tiers["history"]["network"], ev.tiers["workup"]["network"]
    assert ev.metrics is ev.tiers["workup"]
    assert h["top1"] == 0.5 and w["top1"] == 1.0
    assert h["with_test_results"] == 0 and w["with_test_results"] == 1
    rows = {(c["id"], c["tier"]): c for c in ev.cases}
    assert rows[("v1", "history")]["top1"] == "b" and rows[("v1", "workup")]["top1"] == "a"
    assert rows[("v2", "history")]["probabilities"] == rows[("v2", "workup")]["probabilities"]
    assert ev.per_cause("history").loc["a", "top1"] == 0.0 and ev.per_cause("workup").loc["a", "top1"] == 1.0
    assert ev.per_cause("workup").loc["c", "top3"] == 1.0
    text = ev.summary()
    assert "history" in text and "workup" in text
    assert set(ev.metrics_frame().columns) == {("history", "network"), ("examination", "network"), ("workup", "network")}
    with pytest.raises(ValueError, match="tier"):
        ev.confusion(tier="lab")


def test_three_tiers_hand_computed():
    """History drops examination signs and test results (findings with a test burden and the
    measured risk factor ``level``); examination keeps the signs; workup keeps everything.

    v1 (truth a): history a 0.2 b 0.6 -> b first; with the sign a 0.7 -> a first; with the sign and
    the measured level a 0.9. v2 (truth c): history c first; the sign moves b first; workup (sign and
    lab) back to c. v3 (truth b) has no sign or test: the same in every tier, b first.
    """
    table = {
        1: {"a": 0.2, "b": 0.6, "c": 0.1}, (1, "sign"): {"a": 0.7, "b": 0.3, "c": 0.1}, (1, "sign", "level"): {"a": 0.9, "b": 0.3, "c": 0.1},
        2: {"a": 0.1, "b": 0.2, "c": 0.7}, (2, "sign"): {"a": 0.1, "b": 0.8, "c": 0.4}, (2, "sign", "lab"): {"a": 0.1, "b": 0.3, "c": 0.6},
        3: {"a": 0.1, "b": 0.5, "c": 0.2},
    }
    vs = [V(1, "a", sign=True, level=True), V(2, "c", sign=True, lab=True), V(3, "b", symptom=True, habit=True)]
    ev = evaluate(vs, model=FakeModel(table), baselines=False)
    h, x, w = (ev.tiers[t]["network"] for t in ("history", "examination", "workup"))
    assert list(ev.tiers) == ["history", "examination", "workup"]
    assert h["top1"] == pytest.approx(2 / 3) and x["top1"] == pytest.approx(2 / 3) and w["top1"] == 1.0
    assert (h["with_examination"], x["with_examination"], w["with_examination"]) == (0, 2, 2)
    assert (h["with_test_results"], x["with_test_results"], w["with_test_results"]) == (0, 0, 2)
    # Brier over the 9 (vignette, cause) pairs of the examination tier
    brier = ((0.3 ** 2 + 0.3 ** 2 + 0.1 ** 2) + (0.1 ** 2 + 0.8 ** 2 + 0.6 ** 2) + (0.1 ** 2 + 0.5 ** 2 + 0.2 ** 2)) / 9
    assert x["brier"] == pytest.approx(brier)
    rows = {(c["id"], c["tier"]): c["top1"] for c in ev.cases}
    assert [rows[("v2", t)] for t in ("history", "examination", "workup")] == ["c", "b", "c"]
    assert "examination" in ev.summary() and "examination" in ev._repr_html_()
