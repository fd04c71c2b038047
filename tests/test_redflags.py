"""Red-flag rules: evaluated on evidence alone, every flag fires alone."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import twitchnet
from twitchnet import redflags


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
    assert "_fired_cache" not in fresh_kb.__dict__
    assert first == again == redflags.evaluate(fresh_kb, flags)
