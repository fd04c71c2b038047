"""The engine interface: every engine against the reference engine, pgmpy and brute force.

Each test names the engine it runs and checks which one ran (``Diagnosis.engine``, or the engine
object called): the kernel tests are skipped, not silently re-routed, where the C kernel is not
built (the CI runs this file a second time with ``TWITCHNET_NO_KERNEL=1``).
"""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence, small_models

import twitchnet
from twitchnet import engine as engines
from twitchnet.engine import kernel
from twitchnet.engine.kernel import KERNEL
from twitchnet.engine.quickscore import QUICKSCORE
from twitchnet.engine.reference import REFERENCE, expit, posterior_log_odds
from twitchnet.model import DiagnosticModel
from twitchnet.results import CauseResult, Contribution, Contributions, _frozen

TOL = 1e-9
needs_kernel = pytest.mark.skipif(not KERNEL.built, reason="C kernel not built")
# the engines that compute the same explanation as the reference: the kernel where built, Quickscore always
FAST = ([KERNEL] if KERNEL.built else []) + [QUICKSCORE]
ALL = [REFERENCE, *FAST]


def _close(a, b):
    return np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)), initial=0.0) <= TOL


def _same_explained(ex, ref):
    assert ex is not None
    assert abs(ex.log_evidence - ref.log_evidence) <= TOL
    for name in ("prior_log_odds", "log_odds", "prior", "probability", "disablement", "sufficiency"):
        assert _close(getattr(ex, name), getattr(ref, name)), name
    assert len(ex.steps) == len(ref.steps)
    for a, b in zip(ex.steps, ref.steps):
        assert _close(a, b)


def _for(eng, model, ev, most=8):
    """The case as drawn; for Quickscore at most ``most`` present findings (a case of many connected
    present findings may be beyond its precision budget, which it refuses with an EngineLimitError:
    tests/engine/test_quickscore.py tests that)."""
    if eng is not QUICKSCORE:
        return ev
    out, present = {}, 0
    for k, v in ev.items():
        if v is True and k in model.finding_ids:
            present += 1
            if present > most:
                continue
        out[k] = v
    return out


def test_every_engine_implements_the_interface():
    assert {e.name for e in ALL} >= {"reference", "quickscore"}
    for e in ALL:
        assert isinstance(e, engines.Engine)
        for method in ("supports", "explain", "posterior"):
            assert getattr(type(e), method) is not getattr(engines.Engine, method), (e.name, method)
    assert engines.get("reference") is REFERENCE and engines.get("quickscore") is QUICKSCORE
    assert engines.get("enumeration") is (KERNEL if KERNEL.built else REFERENCE)
    with pytest.raises(ValueError):
        engines.get("auto")


def test_auto_selects_by_cost_and_reports_the_engine(model):
    assert engines.select(model, "auto", 0).name == ("enumeration" if KERNEL.built else "reference")
    # a case beyond Quickscore's cheapest point is enumerated; the setting wins over the cost
    assert engines.select(model, "quickscore", 0) is QUICKSCORE
    assert engines.for_batch(model).name == ("enumeration" if KERNEL.built else "reference")
    assert engines.for_batch(model, "quickscore") is QUICKSCORE


@pytest.mark.parametrize("eng", FAST, ids=lambda e: e.name)
@given(data=st.data())
@settings(max_examples=100)
def test_explain_equals_the_reference_engine_on_the_default_model(model, eng, data):
    enc = model.encode(_for(eng, model, data.draw(evidence(model))))
    _same_explained(eng.explain(model, enc), REFERENCE.explain(model, enc))


@pytest.mark.parametrize("eng", FAST, ids=lambda e: e.name)
@given(data=st.data())
@settings(max_examples=60)
def test_explain_equals_the_reference_engine_on_random_networks(eng, data):
    m = data.draw(small_models(extreme=data.draw(st.booleans())))
    enc = m.encode(data.draw(evidence(m)))
    ex, ref = eng.explain(m, enc), REFERENCE.explain(m, enc)
    if ex is None:  # outside the kernel's safe range: diagnose hands the case to the reference
        assert eng is KERNEL
        return
    if not ref.log_evidence > -np.inf:
        assert not ex.log_evidence > -np.inf
        return
    _same_explained(ex, ref)


@pytest.mark.parametrize("name", ["enumeration", "reference", "quickscore"])
@given(data=st.data())
@settings(max_examples=40)
def test_diagnose_equals_pgmpy_on_random_networks(name, data):
    from pgmpy.inference import VariableElimination

    m = data.draw(small_models(extreme=data.draw(st.booleans())))
    ev = data.draw(evidence(m))
    try:
        d = twitchnet.diagnose(ev, model=m, engine=name)
    except twitchnet.errors.ZeroProbabilityError:
        return
    ran = engines.get(name).name
    # the kernel hands a case outside its safe range to the reference; Quickscore never does
    assert d.engine == ran or (ran == "enumeration" and d.engine == "reference")
    ve = VariableElimination(m.to_pgmpy())
    pe = m.to_pgmpy_evidence(ev)
    for c in m.cause_ids:
        ref = ve.query([c], evidence=pe, show_progress=False).get_value(**{c: "True"})
        assert abs(d[c].probability - ref) <= TOL


@pytest.mark.parametrize("name", ["enumeration", "reference", "quickscore"])
@given(data=st.data())
@settings(max_examples=25)
def test_diagnose_equals_pgmpy_on_the_default_model(model, ve, name, data):
    ev = _for(engines.get(name), model, data.draw(evidence(model, max_size=16)))
    d = twitchnet.diagnose(ev, model=model, engine=name)
    assert d.engine == engines.get(name).name
    pe = model.to_pgmpy_evidence(ev)
    res = ve.query(list(model.cause_ids), evidence=pe, joint=False, show_progress=False)
    for c in model.cause_ids:
        assert abs(d[c].probability - res[c].get_value(**{c: "True"})) <= TOL


def _batch(m, evs):
    encs = [m.encode(ev) for ev in evs]
    return np.stack([e.rf_state for e in encs]), np.stack([e.finding_state for e in encs])


@pytest.mark.parametrize("eng", FAST, ids=lambda e: e.name)
@pytest.mark.parametrize("threads", [1, 2])
@given(data=st.data())
@settings(max_examples=30)
def test_batch_equals_the_reference_engine_one_case_at_a_time(model, eng, threads, data):
    evs = [_for(eng, model, ev) for ev in data.draw(st.lists(evidence(model), min_size=1, max_size=30))]
    rf, fs = _batch(model, evs)
    prob, log_ev = eng.posterior(model, rf, fs, threads=threads)
    for i, ev in enumerate(evs):
        ref = REFERENCE.explain(model, model.encode(ev))
        assert _close(prob[i], ref.probability)
        assert abs(log_ev[i] - ref.log_evidence) <= TOL


@pytest.mark.parametrize("eng", FAST, ids=lambda e: e.name)
@given(data=st.data())
@settings(max_examples=40)
def test_batch_equals_the_log_space_reference_on_random_networks(eng, data):
    m = data.draw(small_models(extreme=data.draw(st.booleans())))
    evs = data.draw(st.lists(evidence(m, allow_impossible=True), min_size=1, max_size=12))
    rf, fs = _batch(m, evs)
    prob, log_ev = eng.posterior(m, rf, fs, threads=data.draw(st.sampled_from([1, 2])))
    post, _, ref_log_ev = posterior_log_odds(m.arrays, rf, fs, prior=False)
    live = np.isfinite(ref_log_ev)
    assert np.array_equal(np.isfinite(log_ev), live)
    assert _close(prob[live], expit(post[live]))
    assert _close(log_ev[live], ref_log_ev[live])
    assert np.all(prob[~live] == 0.0)


@needs_kernel
def test_a_case_the_kernel_declines_is_answered_by_the_reference_engine(monkeypatch, model):
    """The kernel says "out of my safe range" (None): diagnose must run the reference engine and say so."""
    ev = {"age": 70, "tingling": True, "numbness": False, "twitching": True}
    fast = twitchnet.diagnose(ev, model=model, engine="enumeration")
    assert fast.engine == "enumeration"
    calls = []

    def declined(self, model, case):
        calls.append(case)
        return None

    monkeypatch.setattr(type(KERNEL), "explain", declined)
    d = twitchnet.diagnose(ev, model=model, engine="enumeration")
    assert calls and d.engine == "reference"
    assert [r.cause for r in d.ranking] == [r.cause for r in fast.ranking]
    for a, b in zip(d.ranking, fast.ranking):
        assert _close([a.probability, a.prior, a.disablement, a.sufficiency], [b.probability, b.prior, b.disablement, b.sufficiency])
        assert _close([c.log_lr for c in a.contributions], [c.log_lr for c in b.contributions])


@needs_kernel
def test_batch_rows_the_kernel_flags_are_recomputed_by_the_reference(monkeypatch, model):
    rf, fs = _batch(model, [{"age": 70, "tingling": True}, {}, {"numbness": True}])
    want, want_lev = REFERENCE.posterior(model, rf, fs)
    real = kernel._kernel

    class Flagging:  # the real kernel, but every row flagged out of range and its answer spoiled
        def __getattr__(self, name):
            return getattr(real, name)

        def batch(self, plan, rf8, fs8, prob, log_ev, hard):
            real.batch(plan, rf8, fs8, prob, log_ev, hard)
            prob[:] = -1.0
            hard[:] = 1

    monkeypatch.setattr(kernel, "_kernel", Flagging())
    prob, log_ev = KERNEL.posterior(model, rf, fs)
    assert _close(prob, want) and _close(log_ev, want_lev)


@needs_kernel
def test_kernel_rejects_bad_arguments_instead_of_crashing(model):
    plan = kernel.plan_for(model).kernel
    n_c = len(model.cause_ids)
    k = kernel._kernel
    with pytest.raises(ValueError):
        k.explain(plan, [0] * n_c, [], [])  # one code short
    with pytest.raises(ValueError):
        k.explain(plan, [10**6] * (n_c + 1), [], [])  # no such pattern
    with pytest.raises(ValueError):
        k.explain(plan, [0] * (n_c + 1), [10**6], [])  # no such finding row
    rf = np.full((1, len(model.risk_factor_ids)), 100, dtype=np.int8)
    fs = np.full((1, len(model.finding_ids)), -1, dtype=np.int8)
    with pytest.raises(ValueError):
        k.batch(plan, rf, fs, np.empty((1, n_c)), np.empty(1), np.empty(1, dtype=np.uint8))


def test_without_the_kernel_enumeration_is_the_reference_engine(monkeypatch, model):
    """TWITCHNET_NO_KERNEL=1 (or no compiler): "enumeration" runs the reference engine, and says so."""
    model = DiagnosticModel(model.kb)  # fresh: nothing chosen for it while the kernel was on
    monkeypatch.setattr(kernel, "_kernel", None)
    assert not KERNEL.built and engines.get("enumeration") is REFERENCE

    def boom(*args, **kwargs):
        raise AssertionError("the kernel engine ran")

    monkeypatch.setattr(type(KERNEL), "explain", boom)
    monkeypatch.setattr(type(KERNEL), "posterior", boom)
    d = twitchnet.diagnose({"age": 70, "tingling": True, "numbness": False}, model=model, engine="enumeration")
    assert d.engine == "reference"
    out = twitchnet.diagnose_frame(__import__("pandas").DataFrame([{"age": 70, "tingling": True}]), model=model)
    assert abs(out["neuropathy"].iloc[0] - twitchnet.diagnose({"age": 70, "tingling": True}, model=model)["neuropathy"].probability) <= TOL


def test_contributions_behave_as_a_tuple_of_contribution():
    c = Contributions(("tingling", "numbness"), (True, False), (0.5, -0.25))
    items = (Contribution("tingling", True, 0.5), Contribution("numbness", False, -0.25))
    assert c == items and items == tuple(c) and len(c) == 2
    assert c[0] == items[0] and c[-1].log_lr == -0.25
    assert c[:1] == items[:1] and isinstance(c[:1], Contributions)
    assert hash(c) == hash(items) and repr(c) == repr(items)
    assert pickle.loads(pickle.dumps(c)) == c
    assert Contributions.of(items) == c and Contributions() == ()
    assert c != items[:1]
    with pytest.raises(ValueError):
        Contributions(("a",), (), ())


def test_frozen_builds_the_same_object_as_the_constructor():
    values = ("neuropathy", "n", 0.5, 0.1, 0.0, -2.0, Contributions(), "clinician", "s", "a", 0.1, 0.2)
    fast = _frozen(CauseResult, [f for f in CauseResult.__dataclass_fields__], values)
    assert fast == CauseResult(*values) and repr(fast) == repr(CauseResult(*values))
    with pytest.raises(AttributeError):
        fast.probability = 1.0


@needs_kernel
def test_a_cached_packaged_model_diagnoses_without_importing_numpy(tmp_path):
    """The command line's path: with the kernel tables cached, numpy is never imported."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, twitchnet; d = twitchnet.diagnose({'age': 68, 'sex': 'male', 'tingling': True, 'diabetes': True}); "
        "print('numpy' in sys.modules, d.engine, d.ranking[0].cause, repr(d.ranking[0].probability))"
    )
    env = dict(os.environ, TWITCHNET_CACHE_DIR=str(tmp_path))
    env.pop("TWITCHNET_NO_CACHE", None)
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert first[0] == "True"  # the first run builds the tables with numpy and caches them
    assert second[0] == "False" and second[1] == "enumeration"
    assert first[1:] == second[1:]
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == ["kb", "kernel"]
    assert not [p for p in tmp_path.iterdir() if not p.name.endswith(".bin")]


@needs_kernel
def test_kernel_plan_cache_is_ignored_when_broken(tmp_path, monkeypatch, model):
    from twitchnet import _cache

    monkeypatch.setenv("TWITCHNET_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TWITCHNET_NO_CACHE", raising=False)
    fresh = DiagnosticModel(model.kb)
    built = kernel.plan_for(fresh)
    file = _cache.path("kernel", kernel._schema(), fresh.fingerprint)
    assert file.is_file()
    assert kernel._read_cached(fresh.fingerprint).tables == built.tables
    file.write_bytes(b"garbage")
    assert kernel._read_cached(fresh.fingerprint) is None
    rebuilt = DiagnosticModel(model.kb)
    assert kernel.plan_for(rebuilt).tables == built.tables
    ev = {"age": 40, "numbness": True, "back_pain": True}
    assert twitchnet.diagnose(ev, model=rebuilt) == twitchnet.diagnose(ev, model=fresh)
    # a pickled KernelPlan answers exactly as the plan it came from
    kp = pickle.loads(pickle.dumps(built))
    codes = fresh.encode(ev).codes
    assert kernel._kernel.explain(kp.kernel, codes, [], []) == kernel._kernel.explain(built.kernel, codes, [], [])


def test_engine_caches_live_beside_the_model_not_on_it(model):
    """Caches are keyed on the (frozen) model, never written onto it (issue 15, part 6)."""
    fresh = DiagnosticModel(model.kb)
    before = dict(vars(fresh))
    twitchnet.diagnose({"age": 40, "numbness": True}, model=fresh, engine="reference")
    twitchnet.diagnose({"age": 40, "numbness": True}, model=fresh, engine="quickscore")
    twitchnet.diagnose({"age": 40, "numbness": True}, model=fresh, engine="enumeration")
    assert fresh.fingerprint
    assert vars(fresh) == before


def test_pattern_codes_are_computed_once_the_same_way(model):
    """The encoder's pure-Python lookup-code terms equal the engine tables' (FactorTables.codes)."""
    codes = model.factor_tables.codes.tolist()  # (R, C + 1): the radix of each factor in each column
    assert model._code_terms == tuple(tuple((col, r) for col, r in enumerate(row) if r) for row in codes)
