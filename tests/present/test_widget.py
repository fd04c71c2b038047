"""The interview widget, driven through its widget objects (no browser)."""

import pytest

pytest.importorskip("ipywidgets")

import twitchnet
from twitchnet.present.widget import InterviewWidget


def test_starts_with_a_diagnosis_and_a_red_flag_question():
    w = InterviewWidget()
    assert "Triage" in w.output.value
    assert w.next_question in twitchnet.load_model().red_flag_ids
    assert w.toggles[w.next_question].style.button_color == "#ffe08a"


def test_toggling_updates_ranking_and_banner():
    w = InterviewWidget()
    for key in ("urge_to_move", "worse_at_rest", "worse_in_evening", "relieved_by_movement"):
        w.toggles[key].value = "yes"
    assert w.diagnosis.ranking[0].cause == "rls"
    assert "Restless legs syndrome" in w.output.value and "twitchnet-banner" not in w.output.value
    w.toggles["saddle_numbness"].value = "yes"
    assert w.diagnosis.urgent and w.diagnosis.triage == "emergency"
    assert "twitchnet-banner" in w.output.value and "cauda equina" in w.output.value
    w.toggles["saddle_numbness"].value = "?"
    assert not w.diagnosis.urgent


def test_age_and_sex_controls():
    w = InterviewWidget(evidence={"age": 70, "sex": "male"})
    assert w.evidence() == {"age": 70, "sex": "male"}
    w.age_known.value = False
    assert "age" not in w.evidence()
    w.sex.value = "female"
    assert w.diagnosis.evidence["sex"] == "female"


def test_impossible_evidence_is_shown_not_raised():
    w = InterviewWidget(evidence={"sex": "male"})
    w.toggles["pregnancy"].value = "yes"
    assert "Cannot diagnose" in w.output.value and "pregnancy" in w.output.value


def test_widget_box_builds():
    box = InterviewWidget().widget()
    assert len(box.children) == 2


def test_not_sure_is_offered_for_findings_and_red_flags_and_given_as_maybe():
    w = InterviewWidget()
    model = twitchnet.load_model()
    assert "not sure" in w.toggles["twitching"].options and "not sure" in w.toggles["saddle_numbness"].options
    assert "not sure" not in w.toggles["diabetes"].options  # risk factors are never soft
    w.toggles["twitching"].value = "not sure"
    assert w.evidence() == {"twitching": twitchnet.maybe()}
    assert w.diagnosis.evidence["twitching"] == twitchnet.maybe()
    assert not w.diagnosis.urgent
    w.toggles["saddle_numbness"].value = "not sure"
    assert w.diagnosis.urgent and "saddle_numbness" in w.diagnosis.unconfirmed
    assert "twitchnet-unconfirmed" in w.output.value and "saddle_numbness" in w.output.value
    w.toggles["saddle_numbness"].value = "no"
    assert not w.diagnosis.urgent and "saddle_numbness" not in w.diagnosis.unconfirmed
    w.set_answer("twitching", twitchnet.maybe(0.5))
    assert w.toggles["twitching"].value == "not sure" and w.evidence()["twitching"] == twitchnet.maybe(0.5)
    assert w.diagnosis == model.diagnose({"twitching": twitchnet.maybe(0.5), "saddle_numbness": False})
