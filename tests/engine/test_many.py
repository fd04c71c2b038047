"""Engine.posterior_many: one case under many parameter sets, by every engine.

Each engine's answer for row ``d`` is checked against ``twitchnet.diagnose`` on a model built with
that row's numbers (``with_numbers``), and the engines against each other.
"""

import numpy as np
import pytest

import twitchnet
from twitchnet import synthetic
from twitchnet.engine import get
from twitchnet.explain import uncertainty as U
from twitchnet.model import DiagnosticModel
from twitchnet.model.parameters import with_numbers

TOL = 1e-9



@pytest.fixture(scope="module")
def net40():
    return synthetic.with_ranges(synthetic.network(causes=40, findings=80, seed=2))


def _evidence(model):
    f = model.finding_ids
    ev = {"age": 55, f[0]: True, f[3]: True, f[7]: True, f[5]: False, f[9]: False, f[11]: False}
    ev[next(r for r in model.risk_factor_ids if r not in ("age", "sex"))] = True
    return ev


def _by_diagnose(model, ev, theta, groups=False):
    out, engines = [], set()
    for row in theta:
        d = twitchnet.diagnose(ev, model=DiagnosticModel(with_numbers(model.kb, row)))
        engines.add(d.engine)
        out.append([d.groups[g.id] for g in model.kb.groups] if groups else [d[c].probability for c in model.cause_ids])
    return np.array(out), engines


def test_quickscore_many_sets_equal_diagnose_on_each_drawn_model(net40):
    assert not net40.enumerable  # only Quickscore can run it
    ev = _evidence(net40)
    theta = U.draw_numbers(net40, 6, seed=4)
    assert np.ptp(theta, axis=0).max() > 0.01  # the rows differ
    prob, gprob = get("quickscore").posterior_many(net40, net40.encode(ev), theta)
    ref, engines = _by_diagnose(net40, ev, theta)
    assert engines == {"quickscore"}
    assert prob.shape == (6, 40) and gprob.shape == (6, 0)
    np.testing.assert_allclose(prob, ref, rtol=0, atol=TOL)
    assert np.ptp(prob, axis=0).max() > 1e-3  # the sets move the posteriors


@pytest.mark.parametrize("engine", ["reference", "enumeration"])
def test_enumeration_many_sets_equal_diagnose_on_each_drawn_model(engine):
    model = synthetic.with_ranges(synthetic.network(causes=6, findings=14, seed=5))
    ev = _evidence(model)
    theta = U.draw_numbers(model, 5, seed=1)
    eng = get(engine, model)
    prob, _ = eng.posterior_many(model, model.encode(ev), theta)
    ref, _ = _by_diagnose(model, ev, theta)
    np.testing.assert_allclose(prob, ref, rtol=0, atol=TOL)
    # and Quickscore, on the same model and sets, agrees
    qs, _ = get("quickscore").posterior_many(model, model.encode(ev), theta)
    np.testing.assert_allclose(qs, prob, rtol=0, atol=TOL)


def test_groups_under_many_sets_agree_across_engines_and_with_diagnose():
    model = twitchnet.load_model()
    ev = {"age": 50, "tingling": True, "numbness": True, "weakness": True, "twitching": False}
    theta = U.draw_numbers(model, 3, seed=2)
    index = {c: i for i, c in enumerate(model.cause_ids)}
    groups = [tuple(index[m] for m in g.members) for g in model.kb.groups]
    assert groups
    enc = model.encode(ev)
    p_enum, g_enum = get("reference").posterior_many(model, enc, theta, groups=groups)
    p_qs, g_qs = get("quickscore").posterior_many(model, enc, theta, groups=groups)
    ref, _ = _by_diagnose(model, ev, theta, groups=True)
    np.testing.assert_allclose(g_enum, ref, rtol=0, atol=TOL)
    np.testing.assert_allclose(g_qs, ref, rtol=0, atol=TOL)
    np.testing.assert_allclose(p_qs, p_enum, rtol=0, atol=TOL)


def test_enumeration_engines_refuse_a_model_beyond_enumeration_before_any_work(net40):
    with pytest.raises(twitchnet.errors.EngineLimitError, match="many parameter sets.*16 causes"):
        get("reference").posterior_many(net40, net40.encode({}), U.draw_numbers(net40, 2, seed=0))


def test_quickscore_refuses_too_many_present_findings_naming_the_limit(net40):
    from twitchnet.limits import MAX_QUICKSCORE_POSITIVES

    ev = {f: True for f in net40.finding_ids[: MAX_QUICKSCORE_POSITIVES + 1]}
    with pytest.raises(twitchnet.errors.EngineLimitError, match="present findings"):
        get("quickscore").posterior_many(net40, net40.encode(ev), U.draw_numbers(net40, 2, seed=0))
