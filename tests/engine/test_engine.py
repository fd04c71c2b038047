"""The fast engine (numpy and C kernel paths) against the reference engine and pgmpy."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence, small_models

import twitchnet
from twitchnet.diagnose import _explain_reference
from twitchnet.engine import tables as engine
from twitchnet.engine.reference import expit, posterior_batch, posterior_log_odds
from twitchnet.model import DiagnosticModel
from twitchnet.results import CauseResult, Contribution, Contributions, _frozen

TOL = 1e-9
PATHS = ["kernel", "numpy"] if engine._kernel is not None else ["numpy"]


def _model(kb, path):
    """A fresh model whose fast engine takes the given path: for "numpy", neither the plan nor
    ``diagnose`` (which reads ``model._fast`` and the C encoder's table) can reach the kernel."""
    m = DiagnosticModel(kb, engine="enumeration")
    if path == "numpy":
        m.plan.kernel = None
        object.__setattr__(m, "_fast", None)
        object.__setattr__(m, "_encode_table", None)
    return m


@pytest.fixture(scope="module", params=PATHS)
def fast_model(request, model):
    return _model(model.kb, request.param)


def _explained(m, ev):
    enc = m.encode(ev)
    n_f = len(m.finding_ids)
    rows = [v * n_f + f for f, v in zip(enc.observed, enc.observed_values)]
    pos = [f for f, v in zip(enc.observed, enc.observed_values) if v]
    return engine.explain(m.plan, enc.codes, rows, pos), _explain_reference(m, enc)


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


@given(data=st.data())
@settings(max_examples=200)
def test_explain_equals_the_reference_engine_on_the_default_model(fast_model, data):
    ev = data.draw(evidence(fast_model))
    ex, ref = _explained(fast_model, ev)
    _same_explained(ex, ref)


@pytest.mark.parametrize("path", PATHS)
@given(data=st.data())
@settings(max_examples=80)
def test_explain_equals_the_reference_engine_on_random_networks(path, data):
    m = _model(data.draw(small_models(extreme=data.draw(st.booleans()))).kb, path)
    ev = data.draw(evidence(m))
    ex, ref = _explained(m, ev)
    if ex is None:  # outside the fast path's safe range: diagnose falls back to the reference
        return
    if not ref.log_evidence > -np.inf:
        assert not ex.log_evidence > -np.inf
        return
    _same_explained(ex, ref)


@pytest.mark.parametrize("path", PATHS)
@given(data=st.data())
@settings(max_examples=60)
def test_diagnose_equals_pgmpy_on_random_networks_either_path(path, data):
    from pgmpy.inference import VariableElimination

    m = _model(data.draw(small_models(extreme=data.draw(st.booleans()))).kb, path)
    ev = data.draw(evidence(m))
    try:
        d = twitchnet.diagnose(ev, model=m)
    except twitchnet.errors.ZeroProbabilityError:
        return
    ve = VariableElimination(m.to_pgmpy())
    pe = m.to_pgmpy_evidence(ev)
    for c in m.cause_ids:
        ref = ve.query([c], evidence=pe, show_progress=False).get_value(**{c: "True"})
        assert abs(d[c].probability - ref) <= TOL


@given(data=st.data())
@settings(max_examples=40)
def test_diagnose_equals_pgmpy_on_the_default_model(fast_model, ve, data):
    ev = data.draw(evidence(fast_model, max_size=16))
    d = twitchnet.diagnose(ev, model=fast_model, engine="enumeration")
    assert d.engine == "enumeration"
    pe = fast_model.to_pgmpy_evidence(ev)
    res = ve.query(list(fast_model.cause_ids), evidence=pe, joint=False, show_progress=False)
    for c in fast_model.cause_ids:
        assert abs(d[c].probability - res[c].get_value(**{c: "True"})) <= TOL


def _batch(m, evs):
    encs = [m.encode(ev) for ev in evs]
    return np.stack([e.rf_state for e in encs]), np.stack([e.finding_state for e in encs])


@pytest.mark.parametrize("threads", [1, 2])
@given(data=st.data())
@settings(max_examples=40)
def test_batch_equals_the_reference_batch(fast_model, threads, data):
    evs = data.draw(st.lists(evidence(fast_model), min_size=1, max_size=40))
    rf, fs = _batch(fast_model, evs)
    prob, log_ev = engine.posterior(fast_model.plan, rf, fs, chunk=data.draw(st.integers(1, 16)), threads=threads)
    ref_prob, ref_log_ev = posterior_batch(fast_model.arrays, rf, fs)
    assert _close(prob, ref_prob)
    assert _close(log_ev, ref_log_ev)


@pytest.mark.parametrize("path", PATHS)
@given(data=st.data())
@settings(max_examples=60)
def test_batch_equals_the_log_space_reference_on_random_networks(path, data):
    m = _model(data.draw(small_models(extreme=data.draw(st.booleans()))).kb, path)
    evs = data.draw(st.lists(evidence(m, allow_impossible=True), min_size=1, max_size=12))
    rf, fs = _batch(m, evs)
    prob, log_ev = engine.posterior(m.plan, rf, fs, chunk=4, threads=data.draw(st.sampled_from([1, 2])))
    post, _, ref_log_ev = posterior_log_odds(m.arrays, rf, fs, prior=False)
    live = np.isfinite(ref_log_ev)
    assert np.array_equal(np.isfinite(log_ev), live)
    assert _close(prob[live], expit(post[live]))
    assert _close(log_ev[live], ref_log_ev[live])
    assert np.all(prob[~live] == 0.0)


def test_the_fallback_path_gives_the_reference_answer(monkeypatch, model):
    """Force every sum 'out of range' in the numpy path: the reference engine must answer."""
    m = _model(model.kb, "numpy")
    monkeypatch.setattr(engine, "_TINY", np.inf)
    ev = {"age": 70, "tingling": True, "numbness": False, "twitching": True}
    assert _explained(m, ev)[0] is None
    d = twitchnet.diagnose(ev, model=m)
    assert d.engine == "reference"  # the enumeration engine declined and handed the case over
    monkeypatch.undo()
    fast = twitchnet.diagnose(ev, model=model, engine="enumeration")
    assert fast.engine == "enumeration"
    assert [r.cause for r in d.ranking] == [r.cause for r in fast.ranking]
    for a, b in zip(d.ranking, fast.ranking):
        assert _close([a.probability, a.prior, a.disablement, a.sufficiency], [b.probability, b.prior, b.disablement, b.sufficiency])
        assert _close([c.log_lr for c in a.contributions], [c.log_lr for c in b.contributions])
    rf, fs = _batch(m, [ev, {}])
    monkeypatch.setattr(engine, "_TINY", np.inf)
    prob, _ = engine.posterior(m.plan, rf, fs)
    monkeypatch.undo()
    assert _close(prob, posterior_batch(m.arrays, rf, fs)[0])


@pytest.mark.skipif(engine._kernel is None, reason="C kernel not built")
def test_kernel_rejects_bad_arguments_instead_of_crashing(model):
    plan = model.plan
    n_c = len(model.cause_ids)
    with pytest.raises(ValueError):
        engine._kernel.explain(plan.kernel, [0] * n_c, [], [])  # one code short
    with pytest.raises(ValueError):
        engine._kernel.explain(plan.kernel, [10**6] * (n_c + 1), [], [])  # no such pattern
    with pytest.raises(ValueError):
        engine._kernel.explain(plan.kernel, [0] * (n_c + 1), [10**6], [])  # no such finding row
    rf = np.full((1, len(model.risk_factor_ids)), 100, dtype=np.int8)
    fs = np.full((1, len(model.finding_ids)), -1, dtype=np.int8)
    with pytest.raises(ValueError):
        engine._kernel.batch(plan.kernel, rf, fs, np.empty((1, n_c)), np.empty(1), np.empty(1, dtype=np.uint8))


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


@pytest.mark.skipif(engine._kernel is None, reason="C kernel not built")
def test_a_cached_packaged_model_diagnoses_without_importing_numpy(tmp_path):
    """The command line's path: with the kernel tables cached, numpy is never imported."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, twitchnet; d = twitchnet.diagnose({'age': 68, 'sex': 'male', 'tingling': True, 'diabetes': True}); "
        "print('numpy' in sys.modules, d.ranking[0].cause, repr(d.ranking[0].probability))"
    )
    env = dict(os.environ, TWITCHNET_CACHE_DIR=str(tmp_path))
    env.pop("TWITCHNET_NO_CACHE", None)
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
    assert first[0] == "True"  # the first run builds the tables with numpy and caches them
    assert second[0] == "False"
    assert first[1:] == second[1:]
    assert sorted(p.name.split("-")[0] for p in tmp_path.iterdir()) == ["kb", "kernel"]
    assert not [p for p in tmp_path.iterdir() if not p.name.endswith(".bin")]


@pytest.mark.skipif(engine._kernel is None, reason="C kernel not built")
def test_kernel_plan_cache_is_ignored_when_broken(tmp_path, monkeypatch, model):
    from twitchnet import _cache
    from twitchnet import model as model_module

    monkeypatch.setenv("TWITCHNET_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TWITCHNET_NO_CACHE", raising=False)
    fresh = DiagnosticModel(model.kb)
    file = _cache.path("kernel", model_module._kernel_schema(), model.kb.content_hash)
    assert file.is_file()
    assert model_module._cached_kernel_plan(model.kb).tables == fresh._fast.tables
    file.write_bytes(b"garbage")
    rebuilt = DiagnosticModel(model.kb)
    assert rebuilt._fast is not None
    ev = {"age": 40, "numbness": True, "back_pain": True}
    assert twitchnet.diagnose(ev, model=rebuilt) == twitchnet.diagnose(ev, model=fresh)
    # a pickled KernelPlan answers exactly as the plan it came from
    kp = pickle.loads(pickle.dumps(fresh._fast))
    enc = fresh.encode(ev)
    assert engine.explain(fresh.plan, enc.codes, [], []) == engine._fastpath_explain(kp, enc.codes, [], [])


def test_the_numpy_path_never_reaches_the_kernel(monkeypatch, model):
    """The "numpy" models of these tests run engine.py's numpy code in diagnose, not the C kernel."""
    from twitchnet.engine import kernel as _fastpath

    m = _model(model.kb, "numpy")

    def boom(*args, **kwargs):
        raise AssertionError("the C kernel ran")

    monkeypatch.setattr(_fastpath, "explain", boom)
    monkeypatch.setattr(_fastpath, "encode", boom)
    d = twitchnet.diagnose({"age": 70, "tingling": True, "numbness": False}, model=m)
    assert d.engine == "enumeration" and m.plan.kernel is None
