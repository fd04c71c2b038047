"""Red-flag rules: evaluated on evidence alone, every flag fires alone."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twitchnet
from twitchnet import _memo, redflags


@pytest.mark.parametrize("flag", sorted(twitchnet.load_model().red_flag_ids))
def test_each_flag_alone_fires(model, flag):
    fired = redflags.evaluate(model.kb, {flag})
    assert fired and all(flag in r.triggered_by for r in fired)
    assert all(r.level in ("urgent", "emergency") for r in fired)


def test_no_flags_no_rules(model):
    assert redflags.evaluate(model.kb, set()) == ()


def test_all_of_and_any_of_semantics(model):
    ids = {r.id for r in redflags.evaluate(model.kb, {"sudden_onset"})}
    assert "stroke_pathway" not in ids
    ids = {r.id for r in redflags.evaluate(model.kb, {"sudden_onset", "trouble_walking"})}
    assert "stroke_pathway" in ids


def test_emergency_rules_come_first(model):
    fired = redflags.evaluate(model.kb, {"muscle_weakness", "saddle_numbness"})
    levels = [r.level for r in fired]
    assert levels == sorted(levels, key=lambda x: x != "emergency")


def test_rules_carry_guideline_sources(model):
    cited = {r.source for r in model.kb.rules}
    assert {"nice-ng127", "nice-ng42", "nice-cks-sciatica"} <= cited
    for r in redflags.evaluate(model.kb, set(model.red_flag_ids)):
        assert r.source == model.kb.sources[r.source_id].citation


def test_triage_level_ignores_posteriors_when_flags_fire(model):
    fired = redflags.evaluate(model.kb, {"severe_intensity"})
    assert redflags.triage_level(fired, (), 0.25) == "urgent"


@given(data=st.data())
@settings(max_examples=100)
def test_remembered_answers_equal_fresh_ones(model, data):
    """evaluate keeps answers per knowledge base; a remembered answer equals a fresh evaluation."""
    import pickle

    flags = data.draw(st.frozensets(st.sampled_from(sorted(model.red_flag_ids))))
    first = redflags.evaluate(model.kb, flags)
    again = redflags.evaluate(model.kb, set(flags))
    fresh_kb = pickle.loads(pickle.dumps(model.kb))  # no remembered answers
    assert not _memo.cached(fresh_kb) and "fired" in _memo.cached(model.kb)  # kept beside the kb, not on it
    assert first == again == redflags.evaluate(fresh_kb, flags)


# ---- rules added with the 2026.12.1 vocabulary (issue 14 part 6), through the public diagnose ----------

@pytest.mark.parametrize(
    "evidence, rule, level",
    [
        ({"breathing_difficulty": True, "muscle_weakness": True}, "breathing_with_weakness", "emergency"),
        ({"tetany": True}, "tetany", "emergency"),
        ({"cold_pale_leg": True}, "cold_pale_leg", "emergency"),
        ({"sudden_onset": True, "face_or_vision_change": True}, "stroke_pathway", "emergency"),
        ({"face_or_vision_change": True}, "face_or_vision_change", "urgent"),
        ({"swollen_calf": True}, "swollen_calf", "urgent"),
        ({"breathing_difficulty": True}, "breathing_difficulty", "urgent"),
        ({"cancer_history": True, "back_pain": True}, "back_pain_with_cancer_history", "urgent"),
        ({"fever": True, "radiating_back_pain": True}, "back_pain_with_fever", "urgent"),
        ({"unexplained_weight_loss": True, "back_pain": True}, "back_pain_with_weight_loss", "urgent"),
        ({"twitching": True, "muscle_wasting": True}, "twitching_with_weakness_or_wasting", "urgent"),
        ({"twitching": True, "muscle_weakness": True}, "twitching_with_weakness_or_wasting", "urgent"),
    ],
)
def test_new_rules_fire_through_diagnose(evidence, rule, level):
    d = twitchnet.diagnose(evidence)
    fired = {r.id: r for r in d.red_flags}
    assert rule in fired and fired[rule].level == level
    # no case here also fires a more pressing rule, so the triage is the rule's own level: an
    # urgent rule gives "urgent" (never "routine" or lower), an emergency rule "emergency"
    assert d.urgent and d.triage == level
    assert set(fired[rule].triggered_by) <= set(evidence)


@pytest.mark.parametrize(
    "evidence",
    [{"cancer_history": True}, {"fever": True}, {"unexplained_weight_loss": True}, {"back_pain": True},
     {"cancer_history": True, "back_pain": False}, {"twitching": True}],
)
def test_combination_parts_alone_are_not_urgent(evidence):
    d = twitchnet.diagnose(evidence)
    assert not d.urgent and d.red_flags == ()


def test_a_rule_may_not_name_a_number_or_an_unknown_id(tmp_path):
    import shutil

    from twitchnet.errors import KnowledgeBaseError
    from twitchnet.kb import load_knowledge_base
    from twitchnet.kb.loader import _default_folder

    for bad in ("age", "cancer_histry"):
        folder = tmp_path / bad
        shutil.copytree(_default_folder(), folder)
        p = folder / "red_flags.toml"
        p.write_text(p.read_text().replace('all = ["fever"]', f'all = ["{bad}"]', 1))
        with pytest.raises(KnowledgeBaseError, match=f"rules.back_pain_with_fever.all.*{bad}"):
            load_knowledge_base(folder)


# ---------------------------------------------------------------- issue 13: one rule logic, one triage rule


@pytest.mark.parametrize(
    "emergency, urgent, routine, explained, level",
    [
        (True, True, True, True, "emergency"),
        (True, True, False, False, "emergency"),
        (False, True, True, True, "urgent"),
        (False, True, False, False, "urgent"),
        (False, False, True, False, "routine"),
        (False, False, True, True, "routine"),
        (False, False, False, True, "self_care"),
        (False, False, False, False, "insufficient"),
    ],
)
def test_triage_rule_and_its_table(emergency, urgent, routine, explained, level):
    # written out by hand: red flags first, then routine, and self-care only with a finding it explains
    fired = ([redflags.RedFlag("e", "emergency", "", "", "", "", ())] if emergency else []) + (
        [redflags.RedFlag("u", "urgent", "", "", "", "", ())] if urgent else [])
    ranking = [type("C", (), {"care": "clinician", "probability": 0.9 if routine else 0.1})()]
    assert redflags.triage_level(fired, ranking, 0.5, explained) == level
    assert redflags.TRIAGE[redflags.triage_table()[8 * emergency + 4 * urgent + 2 * routine + explained]] == level


def test_triage_order_puts_red_flags_first():
    t = redflags.TRIAGE
    assert t.index("emergency") > t.index("urgent") > t.index("routine") > t.index("insufficient") > t.index("self_care")


@given(data=st.data())
@settings(max_examples=60)
def test_rules_on_columns_equal_rules_on_each_row(model, data):
    """redflags.holds on boolean columns (frames) gives, row by row, what evaluate gives one case."""
    import numpy as np

    ids = sorted(model.rule_ids)
    rows = data.draw(st.lists(st.frozensets(st.sampled_from(ids)), min_size=1, max_size=8))
    columns = {i: np.array([i in r for r in rows]) for i in ids}
    for rule in redflags.ordered_rules(model.kb):
        col = np.broadcast_to(redflags.holds(rule, columns.__getitem__), (len(rows),))
        assert col.tolist() == [rule.id in {f.id for f in redflags.evaluate(model.kb, r)} for r in rows]


def test_self_care_findings_are_linked_to_a_self_care_cause(model):
    found = redflags.self_care_findings(model.kb)
    harmless = {c.id for c in model.kb.causes if c.care == "self_care"}
    assert found and harmless
    for f in model.kb.findings:
        assert (f.id in found) == any(link.cause in harmless for link in f.links)


# ---- issue 14 part 6: sources and wording of the reviewed rules ---------------------------------------

REVIEWED_RULE_SOURCES = {
    "stroke_pathway": "nice-ng128",  # stroke and TIA guideline, not the general neurology one (NG127)
    "face_or_vision_change": "nice-ng128",
    "breathing_with_weakness": "leonhard2019",  # GBS: respiratory insufficiency means intensive care
    "tetany": "sfe-hypocalcaemia2016",
    "cold_pale_leg": "nice-cg147",
    "swollen_calf": "nice-ng158",
    "back_pain_with_cancer_history": "nice-cks-sciatica",
    "back_pain_with_fever": "nice-cks-sciatica",
    "back_pain_with_weight_loss": "nice-cks-sciatica",
    "twitching_with_weakness_or_wasting": "nice-ng42",
}


@pytest.mark.parametrize("rule_id, source_id", sorted(REVIEWED_RULE_SOURCES.items()))
def test_reviewed_rules_cite_their_guideline_in_full(model, rule_id, source_id):
    rule = {r.id: r for r in model.kb.rules}[rule_id]
    assert rule.source == source_id
    source = model.kb.sources[source_id]
    assert any(str(year) in source.citation for year in range(1980, 2030))  # a dated citation, not a pointer
    assert source.url.startswith("https://")


def test_emergency_rules_tell_the_person_to_act_now(model):
    for rule in model.kb.rules:
        if rule.level == "emergency":
            assert " now" in rule.advice, rule.id  # "today" is the wording of the urgent rules


def test_twitching_rule_carries_the_nice_ng42_referral_wording(model):
    advice = {r.id: r for r in model.kb.rules}["twitching_with_weakness_or_wasting"].advice
    assert "neurologist without delay" in advice and "motor neurone disease" in advice


def test_cancer_back_pain_rule_says_when_to_go_the_same_day(model):
    advice = {r.id: r for r in model.kb.rules}["back_pain_with_cancer_history"].advice
    assert "within days" in advice and "same day" in advice
