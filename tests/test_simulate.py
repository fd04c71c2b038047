"""Forward simulation and atypicality."""

import math

import numpy as np
import pytest

import twitchnet
from twitchnet.simulate import atypicality, simulate


def test_simulated_cause_rates_match_the_exact_priors(model):
    df = simulate(model, 20000, seed=1, causes=True)
    prior = twitchnet.diagnose({})
    for c in model.cause_ids:
        p = prior[c].probability
        se = np.sqrt(p * (1 - p) / len(df))
        assert abs(df[f"cause.{c}"].mean() - p) < 5 * se


def test_simulated_finding_rates_match_the_exact_marginals(model):
    df = simulate(model, 20000, seed=2)
    d = twitchnet.diagnose({})
    for q in d.next_questions(k=None):
        if q.id in model.finding_ids:
            p = dict(q.answers)[True]
            assert abs(df[q.id].mean() - p) < 5 * np.sqrt(p * (1 - p) / len(df)) + 1e-3


def test_simulated_frame_diagnoses(model):
    df = simulate(model, 50, seed=3)
    out = twitchnet.diagnose_frame(df, model)
    assert len(out) == 50 and df["age"].between(18, 95).all()


def test_seed_reproducible(model):
    a = simulate(model, 30, seed=9)
    b = simulate(model, 30, seed=9)
    assert a.equals(b)


def test_atypicality(model):
    typical = atypicality(model, {"urge_to_move": True, "worse_at_rest": True, "worse_in_evening": True, "relieved_by_movement": True})
    assert not typical.atypical and 0.05 <= typical.percentile <= 1.0
    odd = atypicality(model, {"brief_buzz": True, "urge_to_move": True, "radiating_back_pain": True, "stocking_distribution": True, "palpitations": True, "saddle_numbness": True})
    assert odd.atypical and "outside the model" in odd.message
    none = twitchnet.diagnose({"age": 40}).atypicality()
    assert none.percentile == 1.0 and not none.atypical


def test_bad_n(model):
    with pytest.raises(twitchnet.EvidenceError, match="n: expected a whole number"):
        simulate(model, -1)


def test_simulated_cases_pass_the_plausibility_checks(model):
    """Simulated frames go straight into diagnose_frame: no pregnancy outside ages 12-55."""
    df = model.simulate(20_000, seed=3)
    assert df["pregnancy"].sum() > 100
    assert df.loc[df["pregnancy"], "age"].between(12, 55).all()
    twitchnet.diagnose_frame(df.head(5000), model)  # raises on a bad cell


def test_noisy_or_logs_equal_quickscores_plan_and_the_arrays():
    """simulate reads the links and leaks from the parameters layer's compile step: on a model small
    enough for every engine they equal the enumeration arrays and Quickscore's plan (what the
    engines read)."""
    from twitchnet import synthetic
    from twitchnet.engine.quickscore import plan_of
    from twitchnet.simulate import noisy_or_logs

    m = synthetic.network(causes=8, findings=30, parents_per_finding=(1, 4), seed=4)
    a0, b0 = noisy_or_logs(m)
    assert np.allclose(a0, m.arrays.a0, rtol=0, atol=1e-12)
    assert np.allclose(b0, m.arrays.b0, rtol=0, atol=1e-12)
    qp = plan_of(m)
    plan_b0 = np.zeros_like(b0)
    for f, (parents, log_keep) in enumerate(zip(qp.parents, qp.log_keep)):
        plan_b0[parents, f] = log_keep
    assert np.allclose(a0, qp.log_leak_off, rtol=0, atol=1e-12)
    assert np.allclose(b0, plan_b0, rtol=0, atol=1e-12)


def test_simulate_beyond_enumeration_matches_quickscores_marginals():
    """model.simulate on a 40-cause network (Quickscore only): each finding's rate is within
    4.5 standard errors of its exact marginal P(f present) from Quickscore."""
    from twitchnet import synthetic
    from twitchnet.engine import quickscore

    m = synthetic.network(causes=40, findings=60, parents_per_finding=(1, 4), seed=6)
    assert not m.enumerable
    n = 20000
    df = m.simulate(n, seed=1)
    enc = m.encode({})
    qp = quickscore.plan_of(m)
    for f, fid in enumerate(m.finding_ids[:20]):
        lev, _, _, _ = quickscore.masses(qp, enc.codes, [], [f])
        p = float(np.exp(lev))
        se = (p * (1 - p) / n) ** 0.5
        assert abs(df[fid].mean() - p) <= 4.5 * se + 1e-9, fid


def test_atypicality_by_quickscore_equals_enumeration_where_both_run():
    """The Quickscore path (used beyond enumeration) on a network small enough for both: the same
    exact log-likelihood, and a percentile within Monte Carlo error of enumeration's."""
    from twitchnet import synthetic
    from twitchnet.simulate import _quickscore_percentile

    m = synthetic.network(causes=8, findings=30, parents_per_finding=(1, 4), seed=4)
    for i in range(3):
        ev = {"age": 40 + 10 * i, "sex": "male"} | {f: (j + i) % 3 == 0 for j, f in enumerate(m.finding_ids[i:i + 7])}
        enc = m.encode(ev)
        ref = atypicality(m, ev, n=4000, seed=1)
        pct, ll = _quickscore_percentile(m, enc, np.flatnonzero(enc.finding_state >= 0), 4000, 2)
        assert abs(ll - ref.log_likelihood) <= 1e-9 * max(1.0, abs(ref.log_likelihood))
        assert abs(pct - ref.percentile) <= 0.04


def test_atypicality_runs_beyond_enumeration_or_refuses_up_front():
    from twitchnet import synthetic
    from twitchnet.errors import EngineLimitError
    from twitchnet.limits import MAX_QUICKSCORE_POSITIVES

    m = synthetic.network(causes=40, findings=60, parents_per_finding=(1, 3), seed=1)
    ev = {"age": 50, "sex": "male", m.finding_ids[0]: True, m.finding_ids[1]: False, m.finding_ids[2]: True}
    d = m.diagnose(ev)
    assert d.engine == "quickscore"
    a = d.atypicality(n=500)
    assert 0.0 <= a.percentile <= 1.0 and a.n == 500 and math.isfinite(a.log_likelihood)
    many = {f: False for f in m.finding_ids[: MAX_QUICKSCORE_POSITIVES + 1]}
    with pytest.raises(EngineLimitError, match=rf"at most {MAX_QUICKSCORE_POSITIVES} reported findings for atypicality"):
        atypicality(m, many, n=10)
