"""Next best question: gains checked against pgmpy's joint over the causes; red flags first."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import twitchnet
from strategies import evidence, small_models
from twitchnet.questions import entropy_bits, next_questions


def joint_causes_pgmpy(m, ve, ev):
    causes = list(m.cause_ids)
    q = ve.query(causes, evidence=m.to_pgmpy_evidence(ev) or None, joint=True, show_progress=False)
    return np.array([q.get_value(**{c: str(bool(b)) for c, b in zip(causes, combo)}) for combo in itertools.product((False, True), repeat=len(causes))])


@given(data=st.data())
@settings(max_examples=25)
def test_gain_equals_brute_force_with_pgmpy(data):
    from pgmpy.inference import VariableElimination

    m = data.draw(small_models(max_causes=3, max_findings=4, max_private=2))
    ev = data.draw(evidence(m, max_size=3))
    if ev.get("expecting") is True and ev.get("gender") == "m":
        ev["expecting"] = False
    ve = VariableElimination(m.to_pgmpy())
    h0 = entropy_bits(joint_causes_pgmpy(m, ve, ev))
    for q in next_questions(m, ev, k=None):
        if not q.answers:
            continue
        h = 0.0
        for value, p in q.answers:
            ref_p = ve.query([q.id], evidence=m.to_pgmpy_evidence(ev) or None, show_progress=False)
            state = m.to_pgmpy_evidence({q.id: value})[q.id]
            assert abs(ref_p.get_value(**{q.id: state}) - p) <= 1e-9
            h += p * entropy_bits(joint_causes_pgmpy(m, ve, {**ev, q.id: value}))
        assert abs((h0 - h) - q.gain) <= 1e-9


def test_red_flags_come_first_and_asked_ids_are_skipped(model):
    ev = {"sudden_onset": False, "tingling": True, "age": 50}
    qs = next_questions(model, ev, k=None)
    flags = [q.red_flag for q in qs]
    assert flags == sorted(flags, reverse=True)  # all red flags before any other
    ids = [q.id for q in qs]
    assert "sudden_onset" not in ids and "tingling" not in ids and "age" not in ids
    assert set(ids) == (set(model.evidence_ids) - set(ev))
    rest = [q.gain for q in qs if not q.red_flag]
    assert rest == sorted(rest, reverse=True)


def test_answer_probabilities_sum_to_one(model):
    for q in twitchnet.diagnose({"twitching": True}).next_questions(k=None):
        if q.answers:
            assert abs(sum(p for _, p in q.answers) - 1.0) <= 1e-9
            assert q.gain >= 0.0


def test_impossible_answers_are_left_out(model):
    q = {q.id: q for q in next_questions(model, {"sex": "male"}, k=None)}["pregnancy"]
    assert q.answers == ((False, 1.0),) and abs(q.gain) <= 1e-12


def test_k_limits_the_list(model):
    assert len(twitchnet.diagnose({}).next_questions(3)) == 3
