"""The public contract of twitchnet.diagnose, the explanation, triage and bad input."""

import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import twitchnet
from strategies import evidence
from twitchnet.errors import EvidenceError, TwitchnetError, UnknownEvidenceError, ZeroProbabilityError

VOCAB = (Path(__file__).parent / "vocabulary.md").read_text()
ALL_IDS = sorted(set(re.findall(r"^\| `([a-z0-9_]+)` \|", VOCAB, re.M)))
CAUSES = re.findall(r"^\| `([a-z0-9_]+)` \|", VOCAB.split("## Findings")[0], re.M)
EVIDENCE_IDS = [i for i in ALL_IDS if i not in CAUSES]


def test_vocabulary_copy_is_the_shared_contract():
    shared = Path(__file__).parents[2] / "shared" / "vocabulary.md"
    if not shared.exists():
        pytest.skip("shared/vocabulary.md is not beside this checkout")
    assert shared.read_text() == VOCAB


@pytest.mark.parametrize("key", EVIDENCE_IDS)
def test_every_vocabulary_evidence_id_is_accepted(key):
    value = 50 if key == "age" else "female" if key == "sex" else True
    d = twitchnet.diagnose({key: value})
    assert d.evidence[key] == value


def test_every_cause_is_ranked_once_highest_first():
    d = twitchnet.diagnose({})
    assert sorted(r.cause for r in d.ranking) == sorted(CAUSES)
    probs = [r.probability for r in d.ranking]
    assert probs == sorted(probs, reverse=True)


def test_contract_example_from_design():
    d = twitchnet.diagnose({"age": 68, "sex": "male", "tingling": True, "diabetes": True})
    assert d.ranking[0].cause == "neuropathy"
    assert 0.0 <= d.ranking[0].probability <= 1.0
    assert d.urgent is False and d.red_flags == ()
    assert d.triage in {"routine", "self_care"}
    frame = d.to_frame()
    assert list(frame.index) == [r.cause for r in d.ranking]
    assert frame.loc["neuropathy", "probability"] == d["neuropathy"].probability
    assert twitchnet.load_model().diagnose({"age": 68, "sex": "male", "tingling": True, "diabetes": True}) == d


def test_issue_example_neuropathy_first_and_pushed_up_by_its_findings():
    d = twitchnet.diagnose(
        {"age": 68, "sex": "male", "tingling": True, "burning_pain": True, "stocking_distribution": True, "diabetes": True}
    )
    top = d.ranking[0]
    assert top.cause == "neuropathy"
    assert {c.finding for c in top.supporting} == {"tingling", "burning_pain", "stocking_distribution"}
    assert top.probability > top.prior


@given(data=st.data())
def test_contributions_add_up_exactly(model, data):
    d = twitchnet.diagnose(data.draw(evidence(model)))
    for r in d.ranking:
        total = r.prior_log_odds + math.fsum(c.log_lr for c in r.contributions)
        assert abs(total - r.log_odds) <= 1e-9
        assert abs(1 / (1 + math.exp(-r.log_odds)) - r.probability) <= 1e-12
        observed = [f for f in model.finding_ids if f in d.evidence]
        assert [c.finding for c in r.contributions] == observed  # knowledge-base order


def test_prior_is_the_posterior_given_risk_factors_only():
    ev = {"age": 30, "sex": "female", "pregnancy": True, "urge_to_move": True}
    with_findings = twitchnet.diagnose(ev)
    rf_only = twitchnet.diagnose({k: v for k, v in ev.items() if k != "urge_to_move"})
    for r in with_findings.ranking:
        assert r.prior == pytest.approx(rf_only[r.cause].probability, abs=1e-12)


@given(data=st.data(), flag=st.sampled_from(sorted(twitchnet.load_model().red_flag_ids)))
def test_any_red_flag_makes_the_result_urgent_whatever_else(model, data, flag):
    ev = data.draw(evidence(model))
    ev[flag] = True
    d = twitchnet.diagnose(ev)
    assert d.urgent is True
    assert d.triage in {"urgent", "emergency"}
    assert any(flag in r.triggered_by for r in d.red_flags)
    assert len(d.ranking) == len(CAUSES)  # the ranking is still computed


@given(data=st.data())
def test_urgent_iff_some_red_flag_is_true(model, data):
    ev = data.draw(evidence(model))
    d = twitchnet.diagnose(ev)
    true_ids = {k for k, x in ev.items() if x is True}
    # a red flag alone, or a combination rule whose every condition holds (cancer history with back pain)
    combination = any(set(r.all_of) <= true_ids and (not r.any_of or true_ids & set(r.any_of)) for r in model.kb.rules)
    assert d.urgent == (any(ev.get(f) is True for f in model.red_flag_ids) or combination)


@pytest.mark.parametrize(
    "ev, rule",
    [
        ({"saddle_numbness": True}, "cauda_equina"),
        ({"bladder_or_bowel_change": True, "back_pain": True}, "cauda_equina"),
        ({"sudden_onset": True, "muscle_weakness": True}, "stroke_pathway"),
        ({"sudden_onset": True, "loss_of_sensation": True}, "stroke_pathway"),
        ({"speech_or_swallowing": True}, "bulbar"),
        ({"progressive_spread": True, "muscle_weakness": True}, "rapidly_progressive_weakness"),
    ],
)
def test_emergency_combinations(ev, rule):
    d = twitchnet.diagnose(ev)
    assert d.triage == "emergency"
    assert d.red_flags[0].level == "emergency"
    assert rule in {r.id for r in d.red_flags}
    assert all(r.source and r.advice for r in d.red_flags)


def test_sudden_onset_alone_is_urgent_not_emergency():
    d = twitchnet.diagnose({"sudden_onset": True})
    assert d.triage == "urgent" and [r.id for r in d.red_flags] == ["sudden_onset"]


def test_red_flag_false_is_not_urgent():
    d = twitchnet.diagnose({"trouble_walking": False, "saddle_numbness": False})
    assert not d.urgent and d.red_flags == ()


def test_triage_rule_without_red_flags(model):
    threshold = model.kb.routine_threshold.value
    for ev in [{}, {"twitching": True, "high_caffeine": True}, {"tingling": True, "stocking_distribution": True, "diabetes": True},
               {"brief_buzz": True, "where_phone_is_carried": True}, {"urge_to_move": True, "worse_at_rest": True}]:
        d = twitchnet.diagnose(ev)
        routine = any(r.care == "clinician" and r.probability >= threshold for r in d.ranking)
        assert d.triage == ("routine" if routine else "self_care")
    assert twitchnet.diagnose({"brief_buzz": True, "where_phone_is_carried": True, "phone_in_pocket": True}).triage == "self_care"
    assert twitchnet.diagnose({"tingling": True, "stocking_distribution": True, "diabetes": True}).triage == "routine"


def test_each_cause_carries_what_to_do():
    for r in twitchnet.diagnose({}).ranking:
        assert r.advice and r.summary and r.care in {"clinician", "self_care"}


def test_medication_advice_never_says_stop_unprompted():
    advice = twitchnet.diagnose({})["medication"].advice.lower()
    assert "do not stop" in advice


def test_aliases_resolve_to_vocabulary_ids():
    d = twitchnet.diagnose({"pins_and_needles": True})
    assert dict(d.evidence) == {"tingling": True}
    assert d == twitchnet.diagnose({"tingling": True})


def test_alias_and_id_with_conflicting_values_is_an_error():
    with pytest.raises(EvidenceError, match="tingling"):
        twitchnet.diagnose({"tingling": True, "pins_and_needles": False})


def test_none_means_unknown():
    assert twitchnet.diagnose({"tingling": None}) == twitchnet.diagnose({})


@pytest.mark.parametrize(
    "ev, cls, pieces",
    [
        ({"tingle": True}, UnknownEvidenceError, ["tingle", "tingling"]),
        ({"numbnes": True}, UnknownEvidenceError, ["numbnes", "numbness"]),
        ({"tingling": "yes"}, EvidenceError, ["tingling", "True or False", "'yes'"]),
        ({"tingling": 1}, EvidenceError, ["tingling", "True or False"]),
        ({"age": -5}, EvidenceError, ["age", "18 to 120", "-5"]),
        ({"age": 300}, EvidenceError, ["age", "300"]),
        ({"age": "68"}, EvidenceError, ["age", "'68'"]),
        ({"age": True}, EvidenceError, ["age", "True"]),
        ({"age": float("nan")}, EvidenceError, ["age", "nan"]),
        ({"sex": "x"}, EvidenceError, ["sex", "'female', 'male'", "'x'"]),
        ({"sex": "femal"}, EvidenceError, ["sex", "Did you mean 'female'"]),
        ({"sex": "male", "pregnancy": True}, ZeroProbabilityError, ["pregnancy", "sex='male'"]),
        ({3: True}, UnknownEvidenceError, ["3"]),
    ],
)
def test_bad_input_gives_a_clear_error(ev, cls, pieces):
    with pytest.raises(cls) as info:
        twitchnet.diagnose(ev)
    err = info.value
    assert isinstance(err, TwitchnetError) and isinstance(err, ValueError)
    for piece in pieces:
        assert piece in str(err)
    assert "expected" in str(err) and "got" in str(err)


def test_evidence_that_is_not_a_mapping():
    with pytest.raises(EvidenceError, match="evidence: expected a mapping"):
        twitchnet.diagnose(["tingling"])


def test_bad_input_changes_no_state(model):
    before = twitchnet.diagnose({"tingling": True})
    arrays = {k: v.copy() for k, v in vars(model.arrays).items() if isinstance(v, np.ndarray)}
    for bad in [{"tingle": True}, {"age": 300}, {"sex": "male", "pregnancy": True}]:
        with pytest.raises(TwitchnetError):
            twitchnet.diagnose(bad)
    for k, v in arrays.items():
        np.testing.assert_array_equal(getattr(model.arrays, k), v)
    assert twitchnet.diagnose({"tingling": True}) == before


def test_numpy_scalars_are_accepted():
    d = twitchnet.diagnose({"tingling": np.bool_(True), "age": np.int64(70), "diabetes": np.True_})
    assert d == twitchnet.diagnose({"tingling": True, "age": 70, "diabetes": True})


def test_age_is_binned_at_the_documented_edges(model):
    assert model.to_pgmpy_evidence({"age": 39.9})["age"] == "18-39"
    assert model.to_pgmpy_evidence({"age": 40})["age"] == "40-59"
    assert model.to_pgmpy_evidence({"age": 70})["age"] == "70+"
    assert model.to_pgmpy_evidence({"age": 120})["age"] == "70+"


def test_results_are_frozen():
    d = twitchnet.diagnose({"tingling": True})
    with pytest.raises(AttributeError):
        d.urgent = True
    with pytest.raises(AttributeError):
        d.ranking[0].probability = 1.0
    with pytest.raises(TypeError):
        d.evidence["tingling"] = False


def test_provenance_is_recorded(model):
    d = twitchnet.diagnose({})
    assert d.provenance.model == model.name and d.provenance.version == model.version
    assert re.fullmatch(r"[0-9a-f]{64}", d.provenance.content_hash)


def test_to_dict_is_json_ready():
    import json

    d = twitchnet.diagnose({"tingling": True, "saddle_numbness": True})
    data = json.loads(json.dumps(d.to_dict()))
    assert data["urgent"] is True and data["triage"] == "emergency"
    assert data["ranking"][0]["cause"] == d.ranking[0].cause


def test_public_functions_are_not_shadowed_by_submodules():
    """Importing every submodule must leave twitchnet.diagnose, .evaluate, .vignettes callable."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(twitchnet.__path__):
        if info.name not in ("widget", "plot", "__main__"):
            importlib.import_module(f"twitchnet.{info.name}")
    for name in ("diagnose", "evaluate", "vignettes", "diagnose_frame", "load_model"):
        assert callable(getattr(twitchnet, name)), name
    assert set(twitchnet.__all__) <= set(dir(twitchnet))


# ---- issue 14 part 3: the timing of a medicine is evidence on the medication cause ----------------------


def test_recent_medication_change_is_a_finding_of_the_medication_cause(model):
    assert "recent_medication_change" in model.finding_ids
    assert "recent_medication_change" not in model.risk_factor_ids
    f = {x.id: x for x in model.kb.findings}["recent_medication_change"]
    assert [link.cause for link in f.links] == ["medication"]
    # the cited quantity, P(symptoms began within weeks of a drug change | drug side effect) = 0.90
    p_total = 1 - (1 - f.leak.value) * (1 - f.links[0].p.value)
    assert abs(p_total - 0.90) < 0.002


@pytest.mark.parametrize(
    "base",
    [{}, {"antidepressant": True, "urge_to_move": True}, {"age": 70, "antipsychotic": True, "inner_restlessness": True}],
)
def test_recent_medication_change_moves_the_medication_posterior_up(base):
    p = {v: twitchnet.diagnose({**base, "recent_medication_change": v})["medication"].probability for v in (True, None, False)}
    assert p[True] > p[None] > p[False]
    d = twitchnet.diagnose({**base, "recent_medication_change": True})
    assert d.evidence["recent_medication_change"] is True
    contribution = {c.finding: c for c in d["medication"].contributions}["recent_medication_change"]
    # its likelihood ratio is P(change | drug effect) / P(change | no drug effect) = 0.90 / leak 0.10
    assert contribution.log_lr == pytest.approx(math.log(0.90 / 0.10), abs=0.01)
