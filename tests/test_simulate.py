"""Forward simulation and atypicality."""

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
