"""Quickscore (twitchnet.engine.quickscore) against enumeration, the reference engine, pgmpy and exact
rational arithmetic; the engine setting and the limits. Every test names the engine it runs and
checks ``Diagnosis.engine``."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence, small_models, tiny_leak_model

import twitchnet
from twitchnet import synthetic
from twitchnet.engine import quickscore
from twitchnet.engine.quickscore import combine as qs_combine
from twitchnet.engine.quickscore import explain as qs_explain
from twitchnet.engine.quickscore import plan as qs_plan
from twitchnet.engine.quickscore import sums as qs_sums
from twitchnet.errors import EngineLimitError, EvidenceError
from twitchnet.limits import MAX_QUICKSCORE_POSITIVES
from twitchnet.model import DiagnosticModel

TOL = 1e-9


def _same(a, b, what):
    """Two diagnoses agree to TOL on every number of every cause."""
    assert abs(a.log_evidence - b.log_evidence) <= TOL * max(1.0, abs(b.log_evidence)), what
    for r in b.ranking:
        q = a[r.cause]
        assert abs(q.probability - r.probability) <= TOL, (what, r.cause)
        assert abs(q.log_odds - r.log_odds) <= TOL * max(1.0, abs(r.log_odds)), (what, r.cause)
        assert abs(q.prior_log_odds - r.prior_log_odds) <= TOL * max(1.0, abs(r.prior_log_odds))
        assert abs(q.disablement - r.disablement) <= TOL and abs(q.sufficiency - r.sufficiency) <= TOL, (what, r.cause)
        assert [c.finding for c in q.contributions] == [c.finding for c in r.contributions]
        for x, y in zip(q.contributions, r.contributions):
            assert abs(x.log_lr - y.log_lr) <= TOL * max(1.0, abs(y.log_lr)), (what, r.cause, y.finding)


@given(data=st.data())
def test_quickscore_equals_enumeration_on_the_default_model(model, data):
    ev = data.draw(evidence(model))
    q = twitchnet.diagnose(ev, model=model, engine="quickscore")
    e = twitchnet.diagnose(ev, model=model, engine="enumeration")
    assert q.engine == "quickscore" and e.engine in ("enumeration", "reference")
    _same(q, e, ev)


@given(data=st.data())
@settings(max_examples=30)
def test_quickscore_equals_pgmpy_on_the_default_model(model, ve, data):
    ev = data.draw(evidence(model, max_size=16))
    d = twitchnet.diagnose(ev, model=model, engine="quickscore")
    assert d.engine == "quickscore"
    res = ve.query(list(model.cause_ids), evidence=model.to_pgmpy_evidence(ev), joint=False, show_progress=False)
    for c in model.cause_ids:
        assert abs(d[c].probability - res[c].get_value(**{c: "True"})) <= TOL


@given(kb=small_models(max_causes=5, max_findings=7), data=st.data())
def test_quickscore_equals_the_reference_on_random_networks(kb, data):
    """Brute force (the log-space reference enumerates every joint state) on small networks."""
    m = kb  # small_models draws compiled models
    ev = data.draw(evidence(m))
    try:
        r = twitchnet.diagnose(ev, model=m, engine="reference")
    except twitchnet.ZeroProbabilityError:
        with pytest.raises(twitchnet.ZeroProbabilityError):
            twitchnet.diagnose(ev, model=m, engine="quickscore")
        return
    q = twitchnet.diagnose(ev, model=m, engine="quickscore")
    assert (q.engine, r.engine) == ("quickscore", "reference")
    _same(q, r, ev)


@given(kb=small_models(max_causes=4, max_findings=6, extreme=True), data=st.data())
def test_quickscore_equals_pgmpy_on_random_extreme_networks(kb, data):
    m = kb  # small_models draws compiled models
    ev = data.draw(evidence(m))
    pe = m.to_pgmpy_evidence(ev)
    from pgmpy.inference import VariableElimination

    try:
        d = twitchnet.diagnose(ev, model=m, engine="quickscore")
    except twitchnet.ZeroProbabilityError:
        return
    assert d.engine == "quickscore"
    res = VariableElimination(m.to_pgmpy()).query(list(m.cause_ids), evidence=pe, joint=False, show_progress=False)
    for c in m.cause_ids:
        assert abs(d[c].probability - res[c].get_value(**{c: "True"})) <= TOL


def _brute_force_fraction(m, codes, negative, positive):
    """P(c present, e) for every cause, by enumerating every joint cause state in exact
    rational arithmetic from the model's double inputs (independent of Quickscore's algebra)."""
    qp = quickscore.plan_of(m)
    t = qp.tables
    w = t.ctx_w[codes[-1]]
    pair = t.q_all[np.asarray(codes[:-1]) + t.q_offset]  # (C, K, 2)
    n_c = len(m.cause_ids)
    p = {(int(c), f): Fraction(float(x)) for f in range(len(qp.parents)) for c, x in zip(qp.parents[f], qp.p[f])}
    leak = [Fraction(float(x)) for x in qp.leak]
    present = [Fraction(0)] * n_c
    total = Fraction(0)
    for k in np.flatnonzero(w > 0).tolist():
        for s in range(1 << n_c):
            on = [(s >> c) & 1 for c in range(n_c)]
            prob = Fraction(float(w[k]))
            for c in range(n_c):
                prob *= Fraction(float(pair[c, k, on[c]]))
            for f in list(negative) + list(positive):
                off = 1 - leak[f]
                for c in range(n_c):
                    if on[c] and (c, f) in p:
                        off *= 1 - p[c, f]
                prob *= off if f in negative else 1 - off
            total += prob
            for c in range(n_c):
                if on[c]:
                    present[c] += prob
    return total, present


@given(kb=small_models(max_causes=4, max_findings=6), data=st.data())
@settings(max_examples=25)
def test_both_quickscore_paths_equal_exact_rational_enumeration(kb, data):
    m = kb  # small_models draws compiled models
    ev = data.draw(evidence(m, keys=[k for k in m.evidence_ids if m.spec(k).kind != "red_flag"]))
    enc = m.encode(ev)
    neg = [f for f, x in zip(enc.observed, enc.observed_values) if not x]
    pos = [f for f, x in zip(enc.observed, enc.observed_values) if x]
    total, present = _brute_force_fraction(m, enc.codes, neg, pos)
    if total == 0:
        return
    for exact in (False, True):
        lev, l1, _, path = quickscore.masses(quickscore.plan_of(m), enc.codes, neg, pos, exact=exact)
        assert path == "exact" if exact else path in ("double-double", "exact")
        assert abs(lev - (math.log(total.numerator) - math.log(total.denominator))) <= 1e-12 * max(1.0, abs(lev))
        for c in range(len(m.cause_ids)):
            want = float(present[c] / total)
            assert abs(math.exp(l1[c] - lev) - want) <= 1e-12


def test_the_exact_fallback_runs_when_double_double_cannot_promise_the_tolerance(model, monkeypatch):
    """With the tolerance at 0 no bound is accepted: the exact rational path runs, same numbers."""
    ev = {"age": 68, "sex": "male", "tingling": True, "numbness": True, "twitching": True, "cramps": False}
    enc = model.encode(ev)
    neg = [f for f, x in zip(enc.observed, enc.observed_values) if not x]
    pos = [f for f, x in zip(enc.observed, enc.observed_values) if x]
    lev, l1, l0, path = quickscore.masses(quickscore.plan_of(model), enc.codes, neg, pos)
    assert path == "double-double"
    monkeypatch.setattr(qs_sums, "TOLERANCE", 0.0)
    lev2, l1b, l0b, path2 = quickscore.masses(quickscore.plan_of(model), enc.codes, neg, pos)
    assert path2 == "exact"
    assert abs(lev2 - lev) <= 1e-12 and np.abs(l1b - l1).max() <= 1e-12 and np.abs(l0b - l0).max() <= 1e-12


def test_components_are_summed_separately_and_multiplied():
    """Present findings connected by shared causes form one component, findings with disjoint
    parents separate ones; the product over the components equals the joint sum (checked against
    enumeration). The case mixes both: a component of six findings chained by shared causes and two
    single findings, so splitting too finely (or not at all) is seen."""
    m = synthetic.network(causes=12, findings=12, parents_per_finding=(1, 2), seed=3)
    qp = quickscore.plan_of(m)
    pos = list(range(8))
    parents = {f: set(qp.parents[f].tolist()) for f in pos}
    # the connected components, by a search written here (findings joined when they share a cause)
    want, seen = [], set()
    for f in pos:
        if f in seen:
            continue
        comp, todo = set(), [f]
        while todo:
            g = todo.pop()
            if g not in comp:
                comp.add(g)
                todo.extend(h for h in pos if h not in comp and parents[h] & parents[g])
        seen |= comp
        want.append(sorted(comp))
    assert sorted(len(c) for c in want) == [1, 1, 6]  # the case has both kinds
    comps = qs_combine._components(qp, pos)
    assert sorted(sorted(c) for c in comps) == sorted(want)
    ev = {"age": 50, "sex": "female"} | {m.finding_ids[f]: True for f in pos}
    q = twitchnet.diagnose(ev, model=m, engine="quickscore")
    e = twitchnet.diagnose(ev, model=m, engine="enumeration")
    assert (q.engine, e.engine) == ("quickscore", twitchnet.engine.get("enumeration").name)
    _same(q, e, ev)


def test_auto_picks_enumeration_for_the_default_model_and_quickscore_beyond_it(model):
    # one present finding: Quickscore's double-double runs cost far more than enumerating 2**11
    # states, with the kernel or without it (twitchnet.engine.choose, measured)
    d = twitchnet.diagnose({"tingling": True, "age": 40}, model=model)
    assert model.engine == "auto" and d.engine == twitchnet.engine.get("enumeration").name  # "reference" without the kernel
    kernel = twitchnet.engine.get("enumeration").name == "enumeration"
    assert twitchnet.engine.choose(len(model.cause_ids), model.n_contexts, 1, 1, kernel=kernel) == "enumeration"
    big = synthetic.network(causes=40, findings=60, parents_per_finding=(1, 5), seed=1)
    assert not big.enumerable
    assert big.diagnose({"age": 40, big.finding_ids[0]: True}).engine == "quickscore"
    q = twitchnet.load_model(engine="quickscore")
    assert q.engine == "quickscore" and q.diagnose({"tingling": True}).engine == "quickscore"


def test_an_engine_setting_is_checked_and_pickled(model):
    import pickle

    with pytest.raises(EvidenceError, match="engine: expected one of 'auto', 'enumeration', 'quickscore', 'reference', got 'quikscore'.*Did you mean 'quickscore'"):
        DiagnosticModel(model.kb, engine="quikscore")
    with pytest.raises(EvidenceError, match="engine: expected one of"):
        twitchnet.diagnose({}, model=model, engine="fast")
    m = DiagnosticModel(model.kb, engine="reference")
    assert pickle.loads(pickle.dumps(m)).engine == "reference"
    d = m.diagnose({"tingling": True})
    assert d.engine == "reference" and pickle.loads(pickle.dumps(d)).engine == "reference"


def test_past_the_limit_the_error_says_what_the_limit_is_and_why():
    big = synthetic.network(causes=40, findings=60, parents_per_finding=(1, 3), seed=2)
    ev = {f: True for f in big.finding_ids[: MAX_QUICKSCORE_POSITIVES + 1]}
    with pytest.raises(EngineLimitError, match=rf"engine: expected a case some exact engine can run: .*40 causes.*at most {MAX_QUICKSCORE_POSITIVES} present.*got '{MAX_QUICKSCORE_POSITIVES + 1} present findings'"):
        big.diagnose(ev)
    with pytest.raises(EngineLimitError, match=rf"at most {MAX_QUICKSCORE_POSITIVES} present findings for engine 'quickscore'.*2\*\*present subsets"):
        big.diagnose(ev, engine="quickscore")
    with pytest.raises(EngineLimitError, match="a model that enumeration can run"):
        big.diagnose({}, engine="reference")
    with pytest.raises(EngineLimitError, match="model.arrays"):
        big.arrays  # noqa: B018 - the property raises


@given(seed=st.integers(0, 2**16), n_pos=st.integers(0, 6))
@settings(max_examples=20)
def test_quickscore_equals_pgmpy_on_synthetic_networks_beyond_enumeration(seed, n_pos):
    """20 causes (2**20 joint states: beyond enumeration's limit), cases drawn from the model."""
    from pgmpy.inference import VariableElimination

    m = synthetic.network(causes=20, findings=30, parents_per_finding=(1, 3), seed=seed)
    rng = np.random.default_rng(seed)
    fs = rng.permutation(len(m.finding_ids))
    ev = {"age": int(rng.integers(18, 100))} | {m.finding_ids[f]: True for f in fs[:n_pos]} | {m.finding_ids[f]: False for f in fs[n_pos : n_pos + 5]}
    d = m.diagnose(ev)
    assert d.engine == "quickscore"
    res = VariableElimination(m.to_pgmpy()).query(list(m.cause_ids), evidence=m.to_pgmpy_evidence(ev), joint=False, show_progress=False)
    for c in m.cause_ids:
        assert abs(d[c].probability - res[c].get_value(**{c: "True"})) <= TOL


def test_a_case_beyond_both_precision_paths_is_refused_with_the_reason(model, monkeypatch):
    """Double-double's bound not met (tolerance 0) and the exact fallback over its budget: the
    error names both limits; no NaN, no silent answer."""
    monkeypatch.setattr(qs_sums, "TOLERANCE", 0.0)
    monkeypatch.setattr(qs_combine, "MAX_EXACT_FALLBACK_TERMS", 4)
    with pytest.raises(EngineLimitError, match=r"engine: expected a case whose inclusion-exclusion sum double-double .*MAX_EXACT_FALLBACK_TERMS.*got '\d+ connected present findings with \d+ terms'"):
        twitchnet.diagnose({"tingling": True, "numbness": True}, model=model, engine="quickscore")


def test_a_batch_row_beyond_the_limit_is_named(model):
    from twitchnet.engine.quickscore import QUICKSCORE

    rf = np.full((3, len(model.risk_factor_ids)), -1)
    fs = np.full((3, len(model.finding_ids)), -1)
    fs[2, :17] = 1  # 17 present findings: more than MAX_QUICKSCORE_POSITIVES
    with pytest.raises(twitchnet.EngineLimitError, match=r"at most 16 present findings") as info:
        QUICKSCORE.posterior(model, rf, fs)
    assert info.value.row == 2 and info.value.key == "engine"


@pytest.mark.parametrize("extra", [{}, {"saddle_numbness": True}, {"age": 40, "tingling": True, "cramps": False}])
def test_a_mass_below_the_double_range_is_not_impossible(extra):
    """Hostile C3: Quickscore decides impossibility in log space, as the reference does; its exact
    path keeps the logarithm of a mass of about 1e-400 instead of rounding it to 0."""
    m = tiny_leak_model()
    ev = {"brief_buzz": True, "where_phone_is_carried": True, **extra}
    ref = twitchnet.diagnose(ev, model=m, engine="reference")
    assert ref.log_evidence < -900
    q = twitchnet.diagnose(ev, model=m, engine="quickscore")
    assert q.engine == "quickscore"
    _same(q, ref, ev)
    enc = m.encode(ev)
    pos = [f for f, x in zip(enc.observed, enc.observed_values) if x]
    neg = [f for f, x in zip(enc.observed, enc.observed_values) if not x]
    lev, _, _, path = quickscore.masses(quickscore.plan_of(m), enc.codes, neg, pos, exact=True)
    assert path == "exact" and abs(lev - ref.log_evidence) <= TOL * abs(ref.log_evidence)


def test_the_log_of_a_fraction_at_any_magnitude():
    for x in (Fraction(1, 3), Fraction(10) ** -400 * 7, Fraction(3) ** 2000, Fraction(1, 2**1100)):
        want = math.log(x.numerator) - math.log(x.denominator)
        assert abs(qs_sums._log(x) - want) <= 1e-12 * max(1.0, abs(want))
    assert qs_sums._log(Fraction(0)) == -math.inf


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_shared_explanation_equals_one_run_per_finding(seed, monkeypatch):
    """The explanation with its runs shared (stacked rows, counterfactuals read off the full sum)
    equals the per-run oracle (one Quickscore run per observed finding, two per present finding)
    to 1e-12 on a QMR-like network whose present findings share causes; the shared path ran."""
    m = synthetic.network(causes=150, findings=400, parents_per_finding=(2, 12), seed=seed)
    rng = np.random.default_rng(seed)
    qp = quickscore.plan_of(m)
    ran = []
    real = qs_explain._explain_shared
    monkeypatch.setattr(qs_explain, "_explain_shared", lambda *a, **k: ran.append(real(*a, **k)) or ran[-1])
    for _ in range(3):
        fs = rng.choice(len(m.finding_ids), 24, replace=False)
        ev = {"age": 50, "sex": "female"} | {m.finding_ids[f]: bool(i < 8) for i, f in enumerate(fs)}
        enc = m.encode(ev)
        pos = [f for f, x in zip(enc.observed, enc.observed_values) if x]
        assert max(len(c) for c in qs_combine._components(qp, pos)) >= 2  # causes shared: groups and splits used
        new = qs_explain._explain(m, enc.codes, enc.observed, enc.observed_values)
        old = qs_explain._explain(m, enc.codes, enc.observed, enc.observed_values, shared=False)
        assert ran and ran[-1] is not None and not isinstance(ran[-1], str)
        assert abs(new.log_evidence - old.log_evidence) <= 1e-12 * abs(old.log_evidence)
        for field in ("log_odds", "prior_log_odds", "disablement", "sufficiency"):
            a, b = np.array(getattr(new, field)), np.array(getattr(old, field))
            assert np.all(np.abs(a - b) <= 1e-12 * np.maximum(1.0, np.abs(b))), field
        a, b = np.array(new.steps), np.array(old.steps)
        assert np.all(np.abs(a - b) <= 1e-12 * np.maximum(1.0, np.abs(b)))
        d = m.diagnose(ev)
        assert d.engine == "quickscore"


def test_a_quickscore_diagnosis_computes_its_explanation_when_first_read(monkeypatch):
    """diagnose pays for the posterior, the prior and the counterfactuals; the explanation's
    middle rows run when a contribution is first read, once, and equal the per-run oracle."""
    m = synthetic.network(causes=150, findings=400, parents_per_finding=(2, 12), seed=3)
    calls = []
    real = qs_explain._stacked
    monkeypatch.setattr(qs_explain, "_stacked", lambda *a: calls.append(len(a[2])) or real(*a))
    ev = {"age": 50, "sex": "male"} | {f: i % 3 == 0 for i, f in enumerate(m.finding_ids[:18])}
    d = m.diagnose(ev)
    assert d.engine == "quickscore" and calls == [1]  # the prior's row only
    enc = m.encode(ev)
    old = qs_explain._explain(m, enc.codes, enc.observed, enc.observed_values, shared=False)
    for r in d.ranking:
        c = m.cause_ids.index(r.cause)
        assert [x.log_lr for x in r.contributions] == pytest.approx(old.steps[c], rel=1e-12, abs=1e-12)
    assert sum(calls) == 1 + len(enc.observed) - 1  # every middle row once, for every cause


def test_sums_that_cancel_beyond_double_double_are_exact_in_wide_pairs():
    """Where double-double cannot promise 1e-13 (it returns None), the pairs of x87 long doubles
    can, and agree with exact rational arithmetic (the logs of every mass to 1e-12)."""
    m = synthetic.network(causes=60, findings=200, parents_per_finding=(2, 5), seed=5)
    qp = quickscore.plan_of(m)
    rng = np.random.default_rng(0)
    checked = 0
    for _ in range(200):
        fs = rng.choice(len(m.finding_ids), 10, replace=False)
        enc = m.encode({"age": 50, "sex": "female"} | {m.finding_ids[f]: True for f in fs})
        _, rho, pi = qs_plan._weights(qp, enc.codes, [])
        for comp in qs_combine._components(qp, sorted(int(f) for f in fs)):
            if not 4 <= len(comp) <= 8 or qs_sums._dd_sums(qp, comp, rho, pi) is not None:
                continue
            wide = qs_sums._dd_sums(qp, comp, rho, pi, wide=True)
            assert wide is not None
            lz, l1, l0 = qs_sums._exact_sums(qp, comp, rho, pi)
            rel = np.unique(np.concatenate([qp.parents[f] for f in comp]))
            assert np.allclose(np.log(wide[0]), lz, rtol=0, atol=1e-12)
            assert np.allclose(np.log(wide[1][:, rel]), l1[:, rel], rtol=0, atol=1e-12)
            assert np.allclose(np.log(wide[2][:, rel]), l0[:, rel], rtol=0, atol=1e-12)
            checked += 1
        if checked >= 2:
            break
    assert checked >= 2


def test_the_subset_index_arrays_kept_per_shape_equal_their_definition():
    """``_subset_index`` and ``_projection_order`` are kept per (bits, number of present findings);
    asked in an order where the same bits come with different counts, each equals the direct
    computation (and the order array lists every subset once, grouped by its intersection)."""
    for n_pos in (3, 1, 5, 3, 4, 2, 5):
        for bits in ((0,), (1,), (0, 2), (1, 2), (0, 1, 2), (2,)):
            if max(bits) >= n_pos:
                continue
            s = np.arange(1 << n_pos)
            want = sum(((s >> j) & 1) << i for i, j in enumerate(bits))
            assert np.array_equal(qs_sums._subset_index(bits, n_pos), want), (bits, n_pos)
            order = qs_sums._projection_order(bits, n_pos)
            assert order.shape == (1 << len(bits), 1 << (n_pos - len(bits)))
            assert sorted(order.ravel().tolist()) == list(range(1 << n_pos))
            assert all((want[order[u]] == u).all() for u in range(order.shape[0])), (bits, n_pos)
