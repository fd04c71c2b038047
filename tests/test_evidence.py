"""Soft evidence (twitchnet.maybe): exact in every engine, equal to pgmpy's virtual evidence and
pyAgrum's soft evidence; red flags never soft; refused with the red flags where not handled."""

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence, small_models

import twitchnet
from twitchnet import engine as engines
from twitchnet.engine.kernel import KERNEL
from twitchnet.engine.quickscore import QUICKSCORE
from twitchnet.engine.reference import REFERENCE
from twitchnet.errors import EvidenceError

TOL = 1e-9
NAMES = ["enumeration", "reference", "quickscore"]
RATIOS = st.one_of(st.floats(0.01, 100.0), st.sampled_from([0.5, 1.0, 2.0, 1e-6, 1e6]))


def _soft_case(data, m, max_soft=3, max_hard=None):
    """Hard evidence plus up to ``max_soft`` soft findings (never red flags: those are not soft)."""
    hard = data.draw(evidence(m, max_size=max_hard))
    free = [f for f in m.finding_ids if f not in hard and f not in m.red_flag_ids]
    chosen = data.draw(st.lists(st.sampled_from(free), max_size=max_soft, unique=True)) if free else []
    soft = {f: data.draw(RATIOS) for f in chosen}
    return hard, soft


def _pgmpy_virtual(m, soft):
    from pgmpy.factors.discrete import TabularCPD

    return [TabularCPD(f, 2, [[1.0 / (1.0 + r)], [r / (1.0 + r)]], state_names={f: ["False", "True"]}) for f, r in soft.items()]


def _at_most_present(m, hard, most=6):
    out, n = {}, 0
    for k, v in hard.items():
        if v is True and k in m.finding_ids:
            n += 1
            if n > most:
                continue
        out[k] = v
    return out


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
@settings(max_examples=40)
def test_soft_evidence_equals_pgmpy_virtual_evidence_on_random_networks(name, data):
    from pgmpy.inference import VariableElimination

    m = data.draw(small_models(extreme=data.draw(st.booleans())))
    hard, soft = _soft_case(data, m)
    ev = {**hard, **{f: twitchnet.maybe(r) for f, r in soft.items()}}
    try:
        d = twitchnet.diagnose(ev, model=m, engine=name)
    except twitchnet.errors.ZeroProbabilityError:
        return
    ve = VariableElimination(m.to_pgmpy())
    res = ve.query(list(m.cause_ids), evidence=m.to_pgmpy_evidence(hard), virtual_evidence=_pgmpy_virtual(m, soft),
                   joint=False, show_progress=False)
    for c in m.cause_ids:
        assert abs(d[c].probability - res[c].get_value(**{c: "True"})) <= TOL


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
@settings(max_examples=20)
def test_soft_evidence_equals_pgmpy_on_the_default_model(model, ve, name, data):
    hard, soft = _soft_case(data, model, max_hard=12)
    hard = _at_most_present(model, hard)
    ev = {**hard, **{f: twitchnet.maybe(r) for f, r in soft.items()}}
    d = twitchnet.diagnose(ev, model=model, engine=name)
    res = ve.query(list(model.cause_ids), evidence=model.to_pgmpy_evidence(hard), virtual_evidence=_pgmpy_virtual(model, soft),
                   joint=False, show_progress=False)
    for c in model.cause_ids:
        assert abs(d[c].probability - res[c].get_value(**{c: "True"})) <= TOL


@given(data=st.data())
@settings(max_examples=20)
def test_soft_evidence_equals_pyagrum_soft_evidence(model, data):
    gum = pytest.importorskip("pyagrum")
    from twitchnet.model.pyagrum_bridge import to_pyagrum

    bn = _BN.setdefault("bn", to_pyagrum(model))
    hard, soft = _soft_case(data, model, max_hard=12)
    d = twitchnet.diagnose({**hard, **{f: twitchnet.maybe(r) for f, r in soft.items()}})
    ie = gum.LazyPropagation(bn)
    ie.setEvidence(model.to_pgmpy_evidence(hard))
    for f, r in soft.items():
        ie.addEvidence(f, [1.0, r])  # a likelihood vector over (False, True): soft evidence
    ie.makeInference()
    for c in model.cause_ids:
        assert abs(ie.posterior(c)[1] - d[c].probability) <= TOL


_BN = {}


@pytest.mark.parametrize("eng", ([KERNEL] if KERNEL.built else []) + [QUICKSCORE], ids=lambda e: e.name)
@given(data=st.data())
@settings(max_examples=30)
def test_every_engine_explains_soft_evidence_as_the_reference(model, eng, data):
    hard, soft = _soft_case(data, model, max_hard=10)
    enc = model.encode(_at_most_present(model, hard) | {f: twitchnet.maybe(r) for f, r in soft.items()}, soft=True)
    ref = REFERENCE.explain(model, enc)
    ex = eng.explain(model, enc)
    assert ex is not None  # the kernel answers soft cases too (tests/engine/test_kernel.py)
    assert abs(ex.log_evidence - ref.log_evidence) <= TOL
    for field in ("log_odds", "prior_log_odds", "probability", "disablement", "sufficiency"):
        assert np.allclose(getattr(ex, field), getattr(ref, field), rtol=0, atol=TOL), field
    assert np.allclose(np.array(ex.steps), np.array(ref.steps), rtol=0, atol=TOL)


def test_a_soft_finding_is_a_contribution_in_knowledge_base_order(model):
    d = twitchnet.diagnose({"tingling": True, "numbness": twitchnet.maybe(3.0), "cramps": twitchnet.maybe(0.25)})
    top = d.ranking[0]
    assert [c.finding for c in top.contributions] == ["tingling", "numbness", "cramps"]
    assert top.contributions[1].value == twitchnet.maybe(3.0)
    assert math.isclose(top.prior_log_odds + sum(c.log_lr for c in top.contributions), top.log_odds, abs_tol=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_ratio_one_is_unknown_and_ratios_move_the_right_way(name):
    base = twitchnet.diagnose({"twitching": True}, engine=name)
    same = twitchnet.diagnose({"twitching": True, "cramps": twitchnet.maybe(1.0)}, engine=name)
    up = twitchnet.diagnose({"twitching": True, "cramps": twitchnet.maybe(4.0)}, engine=name)
    yes = twitchnet.diagnose({"twitching": True, "cramps": True}, engine=name)
    for c in base.model.cause_ids:
        assert abs(same[c].probability - base[c].probability) <= TOL
    # cramps raise the electrolyte cause: a soft "yes" lies between unknown and a hard yes
    assert base["electrolytes"].probability < up["electrolytes"].probability < yes["electrolytes"].probability


def test_a_red_flag_given_as_maybe_fires_the_override_unconfirmed_and_is_unknown_to_the_ranking():
    for ratio in (0.1, 1.0, 5.0):
        d = twitchnet.diagnose({"tingling": True, "saddle_numbness": twitchnet.maybe(ratio)})
        assert d.urgent and d.triage == "emergency"
        assert d.unconfirmed == ("saddle_numbness",)
        assert "saddle_numbness" in {f.id for f in d.red_flags}
        plain = twitchnet.diagnose({"tingling": True})
        assert [r.probability for r in d.ranking] == [r.probability for r in plain.ranking]
    assert twitchnet.diagnose({"tingling": True}).unconfirmed == ()
    # a rule-only red flag (not a node) and an id rules read in combination (fever with back pain)
    assert twitchnet.diagnose({"swollen_calf": twitchnet.maybe()}).unconfirmed == ("swollen_calf",)
    d = twitchnet.diagnose({"fever": True, "back_pain": twitchnet.maybe()})
    assert d.urgent and d.unconfirmed == ("back_pain",)


def test_soft_evidence_is_refused_for_what_is_not_a_yes_no_finding():
    for key, match in (("age", "number of years"), ("diabetes", "risk factor"), ("duration", "category"), ("sex", "category")):
        with pytest.raises(EvidenceError, match="soft evidence") as err:
            twitchnet.diagnose({key: twitchnet.maybe(), "saddle_numbness": True})
        assert err.value.key == key and err.value.urgent  # the red flags of the rest still fire
        assert match in str(err.value)
    for bad in (0, -1.0, math.inf, math.nan, True, "2", None):
        with pytest.raises(EvidenceError, match="likelihood ratio"):
            twitchnet.maybe(bad)


def test_features_that_read_hard_answers_refuse_soft_evidence_with_the_red_flags(model):
    ev = {"tingling": True, "saddle_numbness": twitchnet.maybe()}
    d = twitchnet.diagnose(ev)
    calls = {
        "next_questions": d.next_questions,
        "next_tests": d.next_tests,
        "uncertainty": lambda: d.uncertainty(20),
        "rests_on": d.rests_on,
        "diagnose(uncertainty=)": lambda: twitchnet.diagnose(ev, uncertainty=20),
        "twitchnet.next_tests": lambda: twitchnet.next_tests(ev),
    }
    for what, call in calls.items():
        with pytest.raises(EvidenceError, match="soft evidence") as err:
            call()
        assert err.value.urgent and err.value.key == "saddle_numbness", what


def test_frames_refuse_soft_cells_with_the_red_flags():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"tingling": [True], "numbness": [twitchnet.maybe()], "saddle_numbness": [True]})
    with pytest.raises(EvidenceError) as err:
        twitchnet.diagnose_frame(df)
    assert err.value.urgent


def test_a_diagnosis_with_soft_evidence_pickles_and_keeps_what_is_unconfirmed():
    d = twitchnet.diagnose({"tingling": True, "numbness": twitchnet.maybe(3.0), "saddle_numbness": twitchnet.maybe()})
    back = pickle.loads(pickle.dumps(d))
    assert back == d and back.unconfirmed == ("saddle_numbness",)
    assert back.evidence["numbness"] == twitchnet.maybe(3.0)


def test_likelihood_is_immutable_hashable_and_not_a_truth_value():
    a = twitchnet.maybe(2.0)
    assert a == twitchnet.Likelihood(2.0) and hash(a) == hash(twitchnet.maybe(2.0)) and a != twitchnet.maybe(3.0)
    with pytest.raises(AttributeError):
        a.ratio = 3.0
    with pytest.raises(TypeError):
        bool(a)


def test_auto_with_soft_evidence_reports_the_engine_that_ran(model):
    d = twitchnet.diagnose({"tingling": True, "numbness": twitchnet.maybe(3.0)})
    assert d.engine == engines.select(model, "auto", 2, n_soft=1).name
    assert d.engine == ("enumeration" if KERNEL.built else "reference")  # the kernel runs soft cases
