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


# ---------------------------------------------------------------------- the plain path (engine/many/plain.py)
def _both(model, ev, theta, groups=()):
    """plain.sums and the dual-capable _log_odds (posterior.py) run on plain arrays: two independent
    arrangements of the same sums; also the plan plain.sums used."""
    from twitchnet.engine.many import layout, plain, reduced_case
    from twitchnet.engine.many.posterior import _log_odds

    lay = layout(model)
    case = reduced_case(lay, model, model.encode(ev))
    s1, s0, g1, g0 = plain.sums(lay, case, theta, groups)
    ref = _log_odds(lay, case, lay.ext(np.asarray(theta)), list(groups) or None)
    plan = case.plain(lay, ("plan", tuple(map(tuple, groups))), None)
    return (s1, s0, g1, g0), ref, plan


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=0)


CASES = [
    {"age": 68, "sex": "male", "tingling": True, "burning_pain": True, "stocking_distribution": True, "diabetes": True},
    {"brief_buzz": True, "where_phone_is_carried": True, "phone_in_pocket": True},
    {"twitching": True, "cramps": False, "age": 30},
    {"tingling": True, "brief_buzz": False, "where_phone_is_carried": False, "age": 50},  # a summed-out cause with absent findings
    {},
    {"age": 45, "sex": "female", "tingling": True, "numbness": True, "twitching": True, "cramps": True, "burning_pain": True,
     "urge_to_move": True, "back_pain": True, "fatigue": False, "stocking_distribution": False},
]


@pytest.mark.parametrize("ev", CASES)
def test_plain_sums_equal_the_second_computation_with_causes_summed_out(ev):
    """Every cause's and group's two sums equal _log_odds' on plain arrays (1e-12 relative), including
    the causes summed out of the joint table (those no present finding, group or context reaches)."""
    model = twitchnet.load_model()
    index = {c: i for i, c in enumerate(model.cause_ids)}
    groups = [tuple(index[m] for m in g.members) for g in model.kb.groups]
    theta = U.draw_numbers(model, 300, seed=3)
    (s1, s0, g1, g0), ref, plan = _both(model, ev, theta, groups)
    _close(s1, ref[1])
    _close(s0, ref[2])
    _close(g1, ref[4])
    _close(g0, ref[5])
    if ev in (CASES[0], CASES[3]):
        assert plan.out and len(plan.order) < len(model.cause_ids)  # the summed-out path ran
    if ev == CASES[0]:  # age and sex given: most causes' weights no longer vary over the live contexts
        from twitchnet.engine.many import layout

        assert 0 < len(plan.dep) < len(layout(model).dep)


@pytest.mark.parametrize("with_groups", [False, True])
def test_plain_sums_on_random_networks_equal_the_second_computation(with_groups):
    from hypothesis import given
    from hypothesis import strategies as st
    from strategies import evidence, small_models

    @given(st.data())
    def check(data):
        m = synthetic.with_ranges(data.draw(small_models(max_causes=4, max_findings=5, groups=with_groups)))
        kb = m.kb
        ev = data.draw(evidence(m))
        if ev.get("expecting") is True and ev.get("gender") == "m":
            ev["expecting"] = False
        index = {c: i for i, c in enumerate(m.cause_ids)}
        groups = [tuple(index[x] for x in g.members) for g in kb.groups]
        theta = np.repeat(np.asarray(U.draw_numbers(m, 1, seed=0)), 3, axis=0)
        theta[1:] = U.draw_numbers(m, 2, seed=data.draw(st.integers(0, 99)))
        (s1, s0, g1, g0), ref, _ = _both(m, ev, theta, groups)
        _close(s1, ref[1])
        _close(s0, ref[2])
        if groups:
            _close(g1, ref[4])
            _close(g0, ref[5])

    check()


def test_rows_whose_sums_underflow_are_recomputed_by_the_reference_engine(monkeypatch):
    """A row the plain path cannot keep exact (its sums below limits.SAFE_FLOOR) is recomputed
    in log space by the reference engine on rebuilt arrays: the answer equals diagnose on that
    row's model, not the plain path's."""
    import twitchnet.engine.many as many

    model = twitchnet.load_model()
    ev = CASES[0]
    theta = U.draw_numbers(model, 4, seed=6)
    real = many.plain_sums
    calls = []

    def floored(lay, case, th, groups):  # row 2's sums pushed below the floor, its log-odds made wrong
        out = [np.array(x) for x in real(lay, case, th, groups)]
        out[0][2] *= 1e-300
        calls.append(1)
        return tuple(out)

    monkeypatch.setattr(many, "plain_sums", floored)
    prob, _ = get("reference").posterior_many(model, model.encode(ev), theta)
    assert calls
    ref, _ = _by_diagnose(model, ev, theta)
    np.testing.assert_allclose(prob, ref, rtol=0, atol=TOL)


def test_a_reduced_case_is_kept_beside_the_model_for_the_same_evidence_only():
    """Encoding the same evidence again finds the reduced case (and its tables) built before; evidence
    that differs in one finding gets its own, and its posteriors equal diagnose."""
    from twitchnet.engine.many import CASES_KEPT, layout, reduced_case

    model = twitchnet.load_model()
    lay = layout(model)
    a = {"age": 50, "tingling": True}
    b = {"age": 50, "tingling": True, "numbness": False}
    assert reduced_case(lay, model, model.encode(a)) is reduced_case(lay, model, model.encode(a))
    assert reduced_case(lay, model, model.encode(b)) is not reduced_case(lay, model, model.encode(a))
    theta = U.draw_numbers(model, 2, seed=8)
    for ev in (a, b):
        prob, _ = get("reference").posterior_many(model, model.encode(ev), theta)
        np.testing.assert_allclose(prob, _by_diagnose(model, ev, theta)[0], rtol=0, atol=TOL)
    for i in range(2 * CASES_KEPT):  # the store stays bounded
        reduced_case(lay, model, model.encode({f: bool(i >> k & 1) for k, f in enumerate(model.finding_ids[:8])}))
    from twitchnet._memo import memo

    assert len(memo(model, ("many-cases", id(lay)), dict)) <= CASES_KEPT
