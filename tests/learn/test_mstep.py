"""The M-step (twitchnet/learn/mstep.py): maximum likelihood in closed form, and pgmpy's."""

from __future__ import annotations

import math
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


# ---------------------------------------------------------------------------------------------- Newton
def _logistic_counts(seed, k=60, n_cols=3, size=5000.0):
    rng = np.random.default_rng(seed)
    x = np.column_stack([np.ones(k), rng.integers(0, 2, (k, n_cols)).astype(float)])
    ntot = rng.uniform(0.0, size, k)
    y1 = ntot * rng.uniform(0.05, 0.6, k)
    return x, y1, ntot - y1


def _gradient(x, y1, y0, theta):
    p = 1.0 / (1.0 + np.exp(-(x @ theta)))
    return x.T @ (y1 - (y1 + y0) * p)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_newton_converges_to_machine_precision_from_any_start(seed):
    """Two starts, one maximum: the results agree to 1e-13 (stopping where the objective's rounding
    hides the gain left them ~1e-9 apart) and the gradient there is at its rounding level."""
    from twitchnet.learn.mstep import _newton

    x, y1, y0 = _logistic_counts(seed)
    zeros, free = np.zeros(x.shape[1]), np.ones(x.shape[1], dtype=bool)
    a = _newton(x, y1, y0, np.zeros(x.shape[1]), zeros, zeros, free)
    b = _newton(x, y1, y0, np.full(x.shape[1], 0.7), zeros, zeros, free)
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-13)
    assert np.abs(_gradient(x, y1, y0, a)).max() <= 1e-9 * (y1 + y0).sum()


def test_newton_leaves_a_flat_combination_where_it_was():
    """Two columns the data cannot tell apart, no prior (maximum likelihood): their sum is fitted,
    their difference keeps its value (a ridge solve moved it by the rounding / the ridge, ~1e-6)."""
    from twitchnet.learn.mstep import _newton

    x, y1, y0 = _logistic_counts(3, n_cols=2, size=50.0)
    x = np.column_stack([x, x[:, 1]])  # column 3 = column 1
    start = np.array([0.1, 0.3, 0.5, -0.2])
    zeros = np.zeros(4)
    out = _newton(x, y1, y0, start.copy(), zeros, zeros, np.ones(4, dtype=bool))
    assert abs((out[1] - out[3]) - (start[1] - start[3])) <= 1e-12
    assert abs(_gradient(x, y1, y0, out)).max() <= 1e-9 * (y1 + y0).sum()  # the sum did move to the maximum


def test_a_number_without_data_or_prior_keeps_its_value_exactly():
    """Maximum likelihood, no record with both ppi and diuretic: their interaction is not
    identifiable and stays at the knowledge base's value, to the bit (1.9931745955453533 is one of
    the rare odds ratios that exp(log(r)) does not give back)."""
    import twitchnet
    from twitchnet.model import DiagnosticModel
    from twitchnet.model.parameters import parameters, with_numbers

    base = twitchnet.load_model()
    where = "causes.toml: electrolytes.effects.ppi & diuretic"
    value = 1.9931745955453533
    assert math.exp(math.log(value)) != value
    p = parameters(base)
    theta = p.values.copy()
    theta[p.names.index(where)] = value
    model = DiagnosticModel(with_numbers(base.kb, theta))
    df = model.simulate(400, seed=3)
    df.loc[~df["age"].between(12, 55), "pregnancy"] = False
    df.loc[df["ppi"].eq(True), "diuretic"] = False
    fitted = learn.fit(df, model, prior_strength=0.0, max_iter=3, tol=0.0)
    assert fitted.numbers[where].new == value
    assert fitted.numbers["causes.toml: electrolytes.effects.ppi"].new != fitted.numbers["causes.toml: electrolytes.effects.ppi"].old
