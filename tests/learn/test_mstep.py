"""The M-step (twitchnet/learn/mstep.py): maximum likelihood in closed form, and pgmpy's."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from learn.helpers import _observed, _saturated_model
from twitchnet import learn

# The random networks' ranges are narrow and their fits leave them: the FitWarning that says so is
# tested on its own (test_fit_warns_when_numbers_leave_their_ranges), and ignored elsewhere here.
pytestmark = pytest.mark.filterwarnings("ignore::twitchnet.errors.FitWarning")


def test_fully_observed_ml_equals_closed_form_counts():
    model = _saturated_model()
    df = _observed(model, 4000, 11)
    fitted = learn.fit(df, model, prior_strength=0.0, max_iter=5000, tol=1e-15)
    got = {w: n.new for w, n in fitted.numbers.items()}
    for f, c in (("f0", "c0"), ("f1", "c1"), ("f2", "c1")):
        off, on = df[~df[c]], df[df[c]]
        leak = off[f].mean()
        p = 1 - (1 - on[f].mean()) / (1 - leak)
        assert got[f"findings.toml: {f}.leak"] == pytest.approx(leak, abs=1e-6)
        assert got[f"findings.toml: {f}.causes.{c}"] == pytest.approx(p, abs=1e-6)
    for c, factor, value in (("c0", "gender", "m"), ("c1", "smoker", True)):
        ref, exposed = df[df[factor] != value][c].mean(), df[df[factor] == value][c].mean()
        effect = next(k for k in got if k.startswith(f"causes.toml: {c}.effects."))
        assert got[f"causes.toml: {c}.baseline"] == pytest.approx(ref, abs=1e-7)
        assert got[effect] == pytest.approx(exposed / (1 - exposed) / (ref / (1 - ref)), rel=1e-6)
    assert got["risk_factors.toml: smoker.prior[0]"] == pytest.approx(df["smoker"].mean(), abs=1e-9)
    assert got["risk_factors.toml: gender.prior[1]"] == pytest.approx((df["gender"] == "m").mean(), abs=1e-9)


def test_fully_observed_ml_agrees_with_pgmpy():
    pytest.importorskip("pgmpy")
    from pgmpy.estimators import MaximumLikelihoodEstimator

    model = _saturated_model()
    df = _observed(model, 4000, 12)
    fitted = learn.fit(df, model, prior_strength=0.0, max_iter=5000, tol=1e-15)
    assert fitted.converged
    bn = model.to_pgmpy()
    data = df.astype(str)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # deprecated in favour of DiscreteMLE (pgmpy 1.x)
        mle = MaximumLikelihoodEstimator(bn, data)
    ours = fitted.to_pgmpy()
    for node in ("c0", "c1", "f0", "f1", "f2", "smoker", "gender"):
        theirs = mle.estimate_cpd(node)
        mine = ours.get_cpds(node)
        theirs = theirs.copy()
        theirs.reorder_parents(mine.get_evidence()[::-1]) if mine.get_evidence() else None
        a = mine.get_values()
        b = np.array([[theirs.get_value(**{node: s, **dict(zip(mine.get_evidence()[::-1], combo))}) for combo in _combos(mine)] for s in mine.state_names[node]])
        np.testing.assert_allclose(a, b, atol=1e-6, err_msg=node)


def _combos(cpd):
    import itertools

    ev = cpd.get_evidence()[::-1]  # pgmpy's column order: the first evidence varies slowest
    return list(itertools.product(*(cpd.state_names[e] for e in ev))) or [()]
