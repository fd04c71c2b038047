"""Exactness against pgmpy, and the theorems the engine must satisfy, as hypothesis properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence, small_models

import twitchnet
from twitchnet.engine.reference import expit, log_odds, logsumexp, posterior_log_odds

TOL = 1e-9


def _ours(model, ev):
    enc = model.encode(ev)
    post, prior, log_ev = posterior_log_odds(model.arrays, enc.rf_state[None], enc.finding_state[None])
    return expit(post[0]), expit(prior[0]), log_ev[0]


def _pgmpy(ve, model, ev):
    pe = model.to_pgmpy_evidence(ev)
    out = []
    for c in model.cause_ids:
        q = ve.query([c], evidence=pe, show_progress=False)
        out.append(q.get_value(**{c: "True"}))
    return np.array(out)


@given(data=st.data())
@settings(max_examples=60)
def test_default_model_equals_pgmpy_variable_elimination(model, ve, data):
    ev = data.draw(evidence(model, max_size=14))
    ours, _, _ = _ours(model, ev)
    ref = _pgmpy(ve, model, ev)
    assert np.max(np.abs(ours - ref)) <= TOL


@given(data=st.data())
@settings(max_examples=80)
def test_random_small_networks_equal_pgmpy(data):
    from pgmpy.inference import VariableElimination

    m = data.draw(small_models())
    ev = data.draw(evidence(m))
    if ev.get("expecting") is True and ev.get("gender") == "m":
        ev["expecting"] = False
    ve = VariableElimination(m.to_pgmpy())
    ours, _, log_ev = _ours(m, ev)
    ref = _pgmpy(ve, m, ev)
    assert np.max(np.abs(ours - ref)) <= TOL
    # the probability of the evidence too
    pe = m.to_pgmpy_evidence(ev)
    if pe:
        joint = ve.query(list(pe), joint=True, show_progress=False)
        assert abs(np.log(joint.get_value(**pe)) - log_ev) <= 1e-8
    else:
        assert abs(log_ev) <= 1e-12


def test_prior_equals_posterior_given_risk_factors_only(model, ve):
    ev = {"age": 45, "sex": "female", "pregnancy": True, "iron_deficiency": True}
    ours, prior, _ = _ours(model, ev)
    np.testing.assert_allclose(ours, prior, atol=1e-15)
    np.testing.assert_allclose(prior, _pgmpy(ve, model, ev), atol=TOL)


@given(data=st.data())
def test_posteriors_are_probabilities(model, data):
    ev = data.draw(evidence(model))
    post, prior, log_ev = _ours(model, ev)
    assert np.all((post >= 0) & (post <= 1)) and np.all(np.isfinite(post))
    assert np.all((prior >= 0) & (prior <= 1))
    assert log_ev <= 1e-12


def _monotone_case(data, m):
    """Evidence for which the noisy-OR monotonicity theorem applies, plus a finding and a parent.

    Theorem: if the context factors are observed (so causes are independent given the risk
    factors) and no other observed finding has cause c as a parent, then observing a child finding
    f of c present cannot lower P(c | e), and absent cannot raise it. Proof: c is then independent
    of f's other parents given e, and P(f | c=1, o) >= P(f | c=0, o) for every state o under noisy-OR.
    """
    yes_no = [g for g in m.kb.findings if not g.category]  # the theorem is about yes/no findings
    f = data.draw(st.sampled_from(yes_no))
    c = data.draw(st.sampled_from([link.cause for link in f.links]))
    ctx = {m.risk_factor_ids[i] for i in m.arrays.ctx_vars}
    others = [g.id for g in yes_no if g.id != f.id and c not in {link.cause for link in g.links}]
    keys = [k for k in m.evidence_ids if m.spec(k).kind in ("risk_factor", "number", "category")] + others
    ev = data.draw(evidence(m, keys=keys))
    for k in ctx:
        if k not in ev:
            sp = m.spec(k)
            if sp.kind == "category":
                ev[k] = data.draw(st.sampled_from(sp.states))
            elif sp.kind == "risk_factor":  # a shared yes/no factor (heavy_alcohol in the default model)
                ev[k] = data.draw(st.booleans())
            else:
                ev[k] = int(m.kb.risk_factors[sp.index].low)
    for k, par in (("pregnancy", "sex"), ("expecting", "gender")):
        if ev.get(k) is True and ev.get(par) in ("male", "m"):
            ev[k] = False
    return ev, f.id, c


@given(data=st.data())
def test_noisy_or_monotonicity_theorem_default_model(model, data):
    ev, f, c = _monotone_case(data, model)
    base = twitchnet.diagnose(ev)[c].log_odds
    assert twitchnet.diagnose({**ev, f: True})[c].log_odds >= base - 1e-12
    assert twitchnet.diagnose({**ev, f: False})[c].log_odds <= base + 1e-12


@given(data=st.data())
def test_noisy_or_monotonicity_theorem_random_networks(data):
    m = data.draw(small_models())
    ev, f, c = _monotone_case(data, m)
    base = m.diagnose(ev)[c].log_odds
    assert m.diagnose({**ev, f: True})[c].log_odds >= base - 1e-12
    assert m.diagnose({**ev, f: False})[c].log_odds <= base + 1e-12


def test_explaining_away_can_lower_a_parent_and_pgmpy_agrees(model, ve):
    """The unconditional claim "a present finding never lowers a parent" is false: with cramps and a
    brief buzz known, the buzz being where the phone is carried is better explained by phantom
    vibration (which also explains the buzz), so benign twitching, a parent of both, goes down. This is
    correct Bayesian reasoning, confirmed by pgmpy."""
    ev = {"cramps": True, "brief_buzz": True}
    before = twitchnet.diagnose(ev)["benign_twitching"].probability
    after = twitchnet.diagnose({**ev, "where_phone_is_carried": True})["benign_twitching"].probability
    assert "benign_twitching" in {link.cause for f in model.kb.findings if f.id == "where_phone_is_carried" for link in f.links}
    assert after < before - 0.01
    i = model.cause_ids.index("benign_twitching")
    assert abs(_pgmpy(ve, model, {**ev, "where_phone_is_carried": True})[i] - after) <= TOL
    assert abs(_pgmpy(ve, model, ev)[i] - before) <= TOL


def test_batch_rows_equal_single_rows(model):
    evs = [{}, {"tingling": True, "age": 70}, {"urge_to_move": True, "sex": "female"}, {"twitching": False}]
    encs = [model.encode(e) for e in evs]
    rf = np.stack([e.rf_state for e in encs])
    fs = np.stack([e.finding_state for e in encs])
    batch = posterior_log_odds(model.arrays, rf, fs)[0]
    for i, e in enumerate(encs):
        single = posterior_log_odds(model.arrays, e.rf_state[None], e.finding_state[None])[0][0]
        np.testing.assert_allclose(batch[i], single, rtol=0, atol=1e-12)


def test_log_odds_where_sums_underflow_equal_logsumexp_over_each_half(model):
    """Rows spanning thousands of nats (so the shifted sums underflow) and a cause that is
    impossible or certain: the exact fallback, against logsumexp over the states by mask."""
    arr = model.arrays
    rng = np.random.default_rng(5)
    lj = rng.uniform(-3000.0, 0.0, size=(4, arr.states.shape[0]))
    lj[2, arr.states[:, 3] == 1] = -np.inf  # cause 3 impossible
    lj[3, arr.states[:, 0] == 0] = -np.inf  # cause 0 certain
    lj[3, arr.states[:, 5] == 1] -= 5000.0  # cause 5 about 5000 nats less likely
    got, total = log_odds(arr, lj, with_total=True)
    bits = arr.states.astype(bool)
    want = np.array([[logsumexp(row[bits[:, c]]) - logsumexp(row[~bits[:, c]]) for c in range(arr.n_causes)] for row in lj])
    assert got[2, 3] == -np.inf and got[3, 0] == np.inf
    finite = np.isfinite(want)
    np.testing.assert_array_equal(np.isfinite(got), finite)
    np.testing.assert_allclose(got[finite], want[finite], rtol=1e-13, atol=1e-9)
    assert abs(got[3, 5] + 5000.0) < 50.0
    np.testing.assert_allclose(total, logsumexp(lj, axis=1), rtol=1e-14)  # sums over 2**11 states in another order


def test_logsumexp_all_minus_infinity_gives_minus_infinity_not_nan():
    a = np.array([[-np.inf, -np.inf], [0.0, -np.inf], [1000.0, 1000.0]])
    out = logsumexp(a, axis=1)
    assert out[0] == -np.inf
    assert out[1] == 0.0
    assert out[2] == pytest.approx(1000.0 + np.log(2))


def test_expit_is_stable_at_extremes():
    out = expit(np.array([-800.0, 0.0, 800.0]))
    assert out.tolist() == [pytest.approx(0.0, abs=1e-300), 0.5, 1.0]
    assert np.all(np.isfinite(out))


def test_model_arrays_are_read_only(model):
    with pytest.raises(ValueError):
        model.arrays.log_f1[0, 0] = 0.0


def test_prior_false_skips_only_the_prior(model):
    enc = model.encode({"tingling": True, "age": 50})
    a = posterior_log_odds(model.arrays, enc.rf_state[None], enc.finding_state[None])
    b = posterior_log_odds(model.arrays, enc.rf_state[None], enc.finding_state[None], prior=False)
    np.testing.assert_array_equal(a[0], b[0])
    assert b[1] is None and a[2] == b[2]


@pytest.mark.parametrize(
    "ev",
    [
        {"recent_medication_change": True, "antidepressant": True, "urge_to_move": True},
        {"recent_medication_change": False, "antipsychotic": True, "inner_restlessness": True},
        {"ppi": True, "tetany": True, "perioral_tingling": True, "low_magnesium": True, "low_potassium": False},
        {"age": 58, "sex": "male", "twitching": True, "muscle_weakness": True, "muscle_wasting": True,
         "nerve_conduction_abnormal": False, "unexplained_weight_loss": True},
        {"age": 30, "tingling": True, "numbness": True, "loss_of_sensation": True, "imaging_nerve_compression": False},
        {"age": 75, "cancer_history": True, "fever": False, "back_pain": True, "imaging_nerve_compression": True},
    ],
)
def test_issue_14_ids_equal_pgmpy(model, ve, ev):
    """The cause, findings, test results and the moved recent_medication_change (KB 2026.12.3)."""
    ours, _, _ = _ours(model, ev)
    assert np.max(np.abs(ours - _pgmpy(ve, model, ev))) <= TOL
