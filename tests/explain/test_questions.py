"""Next best question: gains checked against pgmpy's joint over the causes; red flags first."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence, small_models

import twitchnet
from twitchnet.explain.questions import entropy_bits, next_questions
from twitchnet.explain.workup import next_tests


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
    # test results (findings, and the two that measure a risk factor) are not questions
    tests = {f.id for f in model.kb.findings if f.test} | {r.id for r in model.kb.risk_factors if r.test}
    assert set(ids) == (set(model.evidence_ids) - set(ev) - tests)
    rest = [q.gain for q in qs if not q.red_flag]
    assert rest == sorted(rest, reverse=True)


def test_duration_question_equals_brute_force_with_pgmpy(model):
    # the category finding is one question with four answers; its gain against pgmpy's joint
    from pgmpy.inference import VariableElimination

    ve = VariableElimination(model.to_pgmpy())
    ev = {"age": 62, "sex": "male", "twitching": True, "muscle_weakness": True}
    q = next(q for q in next_questions(model, ev, k=None) if q.id == "duration")
    assert [v for v, _ in q.answers] == ["days", "weeks", "months", "years"]
    ref_p = ve.query(["duration"], evidence=model.to_pgmpy_evidence(ev), show_progress=False)
    h = 0.0
    for value, p in q.answers:
        assert abs(ref_p.get_value(duration=value) - p) <= 1e-9
        h += p * entropy_bits(joint_causes_pgmpy(model, ve, {**ev, "duration": value}))
    assert abs((entropy_bits(joint_causes_pgmpy(model, ve, ev)) - h) - q.gain) <= 1e-9
    assert q.gain > 0.01


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


# ---------------------------------------------------------------- tests (issue 14 part 7)


def _joint_entropy(m, ve, ev):
    """Entropy (bits) of pgmpy's joint posterior over every cause (order of states irrelevant)."""
    q = ve.query(list(m.cause_ids), evidence=m.to_pgmpy_evidence(ev) or None, joint=True, show_progress=False)
    return entropy_bits(np.asarray(q.values, dtype=float).ravel())


def _brute_force_tests(m, ve, ev):
    """For every test not in ``ev``: (expected gain, P(abnormal), causes if abnormal, if normal),
    from diagnose (P(result) as a ratio of evidence probabilities, cause marginals) and pgmpy's
    joint (the entropies), never from twitchnet.explain.questions."""
    base = m.diagnose(ev)
    h0 = _joint_entropy(m, ve, ev)
    out = {}
    measured = [r for r in m.kb.risk_factors if getattr(r, "test", None) is not None]  # low_b12, low_ferritin
    for f in [f for f in m.kb.findings if f.test is not None] + measured:
        if f.id in ev:
            continue
        h, p, marg = 0.0, {}, {}
        for value in (True, False):
            try:
                d = m.diagnose({**ev, f.id: value})
            except twitchnet.ZeroProbabilityError:
                p[value], marg[value] = 0.0, {}
                continue
            p[value] = float(np.exp(d.log_evidence - base.log_evidence))
            marg[value] = {r.cause: r.probability for r in d.ranking}
            h += p[value] * _joint_entropy(m, ve, {**ev, f.id: value})
        out[f.id] = (h0 - h, p[True], marg[True], marg[False])
    return out


def _check_plan(m, plan, expected):
    assert {t.id for t in plan} == set(expected)
    for t in plan:
        gain, p_abn, if_abn, if_norm = expected[t.id]
        assert abs(t.gain - gain) <= 1e-9, t.id
        assert abs(t.p_abnormal - p_abn) <= 1e-9, t.id
        assert t.burden == next(x.test for x in m.kb.findings + m.kb.risk_factors if x.id == t.id)
        for got, ref in ((t.if_abnormal, if_abn), (t.if_normal, if_norm)):
            assert {c for c, _ in got} == set(ref)
            for c, pr in got:
                assert abs(pr - ref[c]) <= 1e-9, (t.id, c)


@given(data=st.data())
@settings(max_examples=25)
def test_next_tests_equal_brute_force_on_random_networks(data):
    from pgmpy.inference import VariableElimination

    m = data.draw(small_models(max_causes=3, max_findings=5, max_private=2, tests=True))
    ev = data.draw(evidence(m, max_size=3))
    if ev.get("expecting") is True and ev.get("gender") == "m":
        ev["expecting"] = False
    ve = VariableElimination(m.to_pgmpy())
    plan = next_tests(m, ev, k=None)
    _check_plan(m, plan, _brute_force_tests(m, ve, ev))
    # tests are not questions, and questions are not tests
    assert not {q.id for q in next_questions(m, ev, k=None)} & {f.id for f in m.kb.findings if f.test}


@pytest.mark.parametrize(
    "ev",
    [{}, {"age": 70, "tingling": True}, {"twitching": True, "cramps": True, "ppi": True, "low_potassium": False},
     {"back_pain": True, "radiating_back_pain": True, "nerve_conduction_abnormal": True}],
)
def test_next_tests_equal_brute_force_on_the_default_model(model, ev):
    from pgmpy.inference import VariableElimination

    ve = VariableElimination(model.to_pgmpy())
    plan = twitchnet.next_tests(ev, k=None)
    expected = _brute_force_tests(model, ve, ev)
    assert expected  # the default model has test results left to do
    _check_plan(model, plan, expected)


def test_next_tests_order_and_k(model):
    ev = {"age": 70, "tingling": True}
    plan = twitchnet.diagnose(ev).next_tests(k=None)
    rates = [t.gain_per_burden for t in plan]  # by information per unit of burden, by default
    assert rates == sorted(rates, reverse=True) and len(set(rates)) == len(rates)
    gains = [t.gain for t in twitchnet.next_tests(ev, k=None, per_burden=False)]
    assert gains == sorted(gains, reverse=True)
    assert [t.id for t in twitchnet.next_tests(ev, k=2)] == [t.id for t in plan][:2]
    for t in plan:
        assert [p for _, p in t.if_abnormal] == sorted((p for _, p in t.if_abnormal), reverse=True)
    assert [c for c, _ in plan.current] == [r.cause for r in twitchnet.diagnose(ev).ranking]


def test_tests_already_done_are_not_proposed_and_questions_skip_tests(model):
    # test results: findings with a test burden, and the two that measure a risk factor
    tests = {f.id for f in model.kb.findings if f.test} | {r.id for r in model.kb.risk_factors if r.test}
    assert len(tests) >= 2
    done = min(tests)
    plan = twitchnet.next_tests({done: False}, k=None)
    assert {t.id for t in plan} == tests - {done}
    assert not tests & {q.id for q in next_questions(model, {}, k=None)}


def test_red_flag_questions_come_before_any_test(model):
    ev = {"age": 70, "tingling": True}
    plan = twitchnet.next_tests(ev)
    flags = [q for q in next_questions(model, ev, k=None) if q.red_flag]
    assert flags and plan.ask_first == tuple(flags) and not plan.ready
    text = str(plan)
    assert max(text.index(q.id) for q in plan.ask_first) < min(text.index(t.id + " (") for t in plan)
    frame = plan.to_frame()
    assert list(frame["kind"]) == ["red-flag question"] * len(flags) + ["test"] * len(plan)
    html = plan._repr_html_()
    assert html.index(flags[-1].id) < html.index(plan[0].id)
    # every red-flag question answered (no): nothing to ask first, and the tests are unchanged
    answered = {**ev, **{q.id: False for q in flags}}
    done = twitchnet.next_tests(answered)
    assert done.ask_first == () and done.ready and "red-flag" not in str(done)
    assert [t.id for t in done] == [t.id for t in twitchnet.next_tests(answered, k=None)][:5]


@pytest.mark.parametrize("k", [-1, True, 2.5, "3"])
def test_bad_k_is_named(model, k):
    # one validator for k (_validation.check_count), shared with next_questions: k=0 asks for nothing
    with pytest.raises(twitchnet.TwitchnetError) as info:
        twitchnet.next_tests({"tingling": True}, k=k)
    assert str(info.value).startswith("k:") and "whole number >= 0" in str(info.value)
    assert isinstance(info.value, ValueError)
    with pytest.raises(twitchnet.TwitchnetError):
        next_questions(model, {}, k=k)


# ---------------------------------------------------------------- issue 21: C6, L6


@pytest.fixture(scope="module")
def big():
    from strategies import beyond_enumeration_model

    return beyond_enumeration_model()


def test_beyond_enumeration_questions_and_tests_refuse_with_the_red_flags_and_the_warning_signs(big):
    # C6: EngineLimitError without red flags before; now the red flags are read first
    for call in (next_questions, next_tests):
        with pytest.raises(twitchnet.EngineLimitError) as info:
            call(big, {"saddle_numbness": True, "f05": True})
        assert info.value.urgent and str(info.value).startswith("EMERGENCY")
        assert info.value.ask_first == ()  # nothing left to ask first
        with pytest.raises(twitchnet.EngineLimitError) as info:
            call(big, {"f05": True})
        assert not info.value.urgent
        assert [q.id for q in info.value.ask_first] == ["saddle_numbness"] and info.value.ask_first[0].red_flag
        assert "Warning signs not asked" in str(info.value) and "saddle_numbness" in str(info.value)
    with pytest.raises(twitchnet.EngineLimitError) as info:
        twitchnet.next_tests({"saddle_numbness": True}, model=big)
    assert info.value.urgent
    # the warning signs in pickles too (process pools)
    import pickle

    with pytest.raises(twitchnet.EngineLimitError) as info:
        next_tests(big, {"f05": True})
    again = pickle.loads(pickle.dumps(info.value))
    assert again.ask_first == info.value.ask_first != () and str(again) == str(info.value)
    # the diagnosis's own methods, and its text: the warning sign to answer first
    d = big.diagnose({"f04": False})
    with pytest.raises(twitchnet.EngineLimitError) as info:
        d.next_questions()
    assert [q.id for q in info.value.ask_first] == ["saddle_numbness"]
    from twitchnet.explain.questions import ask_first

    assert ask_first(big, {"f05": True}) == info.value.ask_first and ask_first(big, {"saddle_numbness": False}) == ()
    # nothing to go on: the text and HTML still say which warning sign to answer first
    d = big.diagnose({})
    assert d.triage == "insufficient" and "  - saddle_numbness: saddle numbness  (warning sign)" in str(d)
    assert "<b>saddle_numbness</b>" in d._repr_html_()


def test_bad_evidence_to_next_questions_carries_the_red_flags(model):
    for call in (next_questions, next_tests):
        with pytest.raises(twitchnet.EvidenceError) as info:
            call(model, {"saddle_numbness": True, "tinglng": True})
        assert info.value.urgent and str(info.value).startswith("EMERGENCY")


def test_a_childs_tests_uncertainty_and_atypicality_agree_with_its_questions(model):
    # L6: next_questions returned the warning signs while the others raised without red flags
    d = twitchnet.diagnose({"age": 6, "tingling": True})
    flags = [q.id for q in d.next_questions(None)]
    plan = d.next_tests()
    assert [q.id for q in plan.ask_first] == flags and set(flags) == set(model.red_flag_ids)
    assert plan.tests == () and plan.current == () and plan.reason == d.reason and not plan.ready
    assert "Not assessed" in str(plan) and "(impossible)" not in str(plan) and "Not assessed" in plan._repr_html_()
    assert list(plan.to_frame()["kind"]) == ["red-flag question"] * len(flags)
    urgent = twitchnet.diagnose({"age": 6, "saddle_numbness": True})
    assert "saddle_numbness" not in [q.id for q in urgent.next_tests().ask_first]
    for case in (d, urgent):
        for call in (lambda: case.uncertainty(10), lambda: case.atypicality(10)):
            with pytest.raises(twitchnet.OutsidePopulationError) as info:
                call()
            assert info.value.urgent == case.urgent and "18" in str(info.value)


def _burden_order(m, expected):
    """The brute force's order: expected gain / burden (the KB's [burden] numbers, read here
    directly), ties in knowledge-base order (findings, then measured risk factors)."""
    test_of = {x.id: x.test for x in m.kb.findings + m.kb.risk_factors if getattr(x, "test", None) is not None}
    ids = list(expected)
    per = {i: expected[i][0] / m.kb.burdens[test_of[i]].value for i in ids}
    return sorted(ids, key=lambda i: (-per[i], ids.index(i))), per


@pytest.mark.parametrize(
    "ev",
    [{"age": 50, "tingling": True, "numbness": True, "urge_to_move": True, "twitching": True, "muscle_weakness": False},
     {"age": 70, "sex": "female", "urge_to_move": True, "worse_in_evening": True}],
)
def test_next_tests_by_burden_equal_a_brute_force_over_diagnose(model, ev):
    """Default order: exact expected entropy reduction per unit of burden, from a brute force over
    diagnose (every result enumerated) and pgmpy's joint; per_burden=False keeps the gain order.
    The measured factors low_b12 and low_ferritin are offered, their information through the factor."""
    from pgmpy.inference import VariableElimination

    ve = VariableElimination(model.to_pgmpy())
    expected = _brute_force_tests(model, ve, ev)
    assert {"low_b12", "low_ferritin"} <= set(expected)
    order, per = _burden_order(model, expected)
    plan = twitchnet.next_tests(ev, k=None)
    assert plan.per_burden
    _check_plan(model, plan, expected)
    assert [t.id for t in plan] == order
    for t in plan:
        assert t.cost == model.kb.burdens[t.burden].value
        assert abs(t.gain_per_burden - per[t.id]) <= 1e-9
    by_gain = twitchnet.next_tests(ev, k=None, per_burden=False)
    assert [t.id for t in by_gain] == sorted(expected, key=lambda i: (-expected[i][0], list(expected).index(i)))
    assert [t.id for t in by_gain] != order  # the burden changes the order on these cases
    text = str(plan)
    assert "per unit of burden" in text and f"{plan[0].gain_per_burden:.3f} bits per unit of burden" in text
    assert "bits per unit of burden" in plan._repr_html_()
    assert list(plan.to_frame()["gain_per_burden"].dropna()) == [t.gain_per_burden for t in plan]


def test_measured_factors_are_tests_not_questions(model):
    ids = {q.id for q in next_questions(model, {"tingling": True}, k=None)}
    assert not ids & {"low_b12", "low_ferritin"}
    assert "b12_deficiency" in ids  # the factor itself is still a question


def test_per_burden_must_be_a_bool(model):
    with pytest.raises(twitchnet.EvidenceError, match="per_burden"):
        twitchnet.next_tests({}, per_burden="yes")


def test_the_test_ranking_names_still_import_from_questions():
    """next_tests and its results moved to twitchnet.explain.workup; the old import path gives the
    same objects (old code and old pickles keep working), and an unknown name still fails."""
    from twitchnet.explain import questions, workup
    from twitchnet.explain.questions import TestPlan, next_tests  # noqa: F401 - the old path

    for name in ("TestOption", "TestPlan", "next_tests", "test_burden", "tests_rows"):
        assert getattr(questions, name) is getattr(workup, name)
    with pytest.raises(AttributeError):
        questions.no_such_name  # noqa: B018
