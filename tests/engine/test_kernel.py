"""The C kernel's entry points that Python calls directly: the frame's yes/no cell reader and the
engine's plan (the engine itself is tested against the reference engine in test_engine.py)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence, small_models

import twitchnet
from twitchnet.engine import kernel as _fastpath

pytestmark = pytest.mark.skipif(_fastpath._kernel is None, reason="C kernel not built")


def test_the_kernel_keeps_only_inner_loops():
    """No Python plumbing in C (issue 15): the encoder and the result builder are gone; the frame's
    yes/no cell reader stays because it is what keeps diagnose_frame on object columns fast
    (benchmarks/bench_inference.py, object vs typed columns)."""
    public = sorted(n for n in dir(_fastpath._kernel) if not n.startswith("_"))
    assert public == ["MAXC", "MAXF", "TINY", "batch", "explain", "make_plan", "yes_no_cells"]


def test_yes_no_cells_reads_lists_and_object_arrays_alike():
    k = _fastpath._kernel
    cells = [True, False, None, float("nan"), np.nan, True]
    want = bytes([1, 0, 255, 255, 255, 1])
    assert k.yes_no_cells(cells) == want
    arr = np.array(cells, dtype=object)
    assert k.yes_no_cells(arr) == want
    assert k.yes_no_cells(np.array([], dtype=object)) == b""
    for other in ([True, 1], [True, "yes"], [np.bool_(True)], [False, 0.0], [pd_na()]):
        assert k.yes_no_cells(other) is None and k.yes_no_cells(np.array(other + [None], dtype=object)) is None
    assert k.yes_no_cells(arr[::2]) is None  # strided: declined, not misread
    assert k.yes_no_cells(arr.reshape(2, 3)) is None
    assert k.yes_no_cells(np.array([True, False])) is None  # not an object array
    with pytest.raises(TypeError):
        k.yes_no_cells((True, False))


def pd_na():
    import pandas as pd

    return pd.NA


@pytest.mark.parametrize("value, built", [("0", True), ("false", True), ("1", False), ("yes", False)])
def test_no_kernel_takes_yes_or_no(value, built):
    """``TWITCHNET_NO_KERNEL=0`` leaves the kernel on (hostile-2026-12 L1: any value switched it off)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, TWITCHNET_NO_KERNEL=value)
    code = "from twitchnet.engine.kernel import KERNEL; print(KERNEL.built)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == [str(built)]


# Soft evidence (twitchnet.maybe) in the kernel: a soft finding of ratio r multiplies each joint
# cause state by P(f absent | s) + r P(f present | s), a per-state row like a present finding's.

SOFT_TOL = 1e-12  # kernel vs reference engine, both exact
PGMPY_TOL = 1e-9
RATIOS = st.one_of(st.floats(0.01, 100.0), st.sampled_from([0.5, 1.0, 2.0, 1e-6, 1e6]))


def _mixed_case(data, m, max_soft=4, max_hard=None):
    """One to ``max_soft`` findings given as maybe (never red flags: those are not soft) where the
    model has any, and hard evidence on other ids."""
    free = [f for f in m.finding_ids if f not in m.red_flag_ids]
    chosen = data.draw(st.lists(st.sampled_from(free), min_size=1, max_size=max_soft, unique=True)) if free else []
    hard = data.draw(evidence(m, max_size=max_hard, keys=[k for k in m.evidence_ids if k not in chosen]))
    return hard, {f: data.draw(RATIOS) for f in chosen}


def _close(a, b, tol):
    return np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)), initial=0.0) <= tol


def _same(ex, ref, tol=SOFT_TOL):
    assert abs(ex.log_evidence - ref.log_evidence) <= tol
    for name in ("prior_log_odds", "log_odds", "prior", "probability", "disablement", "sufficiency"):
        assert _close(getattr(ex, name), getattr(ref, name), tol), name
    assert len(ex.steps) == len(ref.steps)
    for a, b in zip(ex.steps, ref.steps):
        assert len(a) == len(b) and _close(a, b, tol)


def test_kernel_explains_soft_evidence_as_the_reference_engine_on_the_default_model(model):
    """Every output of the kernel's explain (posterior, prior, steps, counterfactuals) equals the
    reference engine's to 1e-12 on random mixed hard and soft cases; the kernel answers them (it
    no longer declines soft cases), counted."""
    from twitchnet.engine.kernel import KERNEL
    from twitchnet.engine.reference import REFERENCE

    ran = []

    @given(data=st.data())
    @settings(max_examples=80)
    def check(data):
        hard, soft = _mixed_case(data, model, max_hard=14)
        enc = model.encode({**hard, **{f: twitchnet.maybe(r) for f, r in soft.items()}}, soft=True)
        ex = KERNEL.explain(model, enc)
        assert ex is not None  # the default model's sums stay in the kernel's safe range
        _same(ex, REFERENCE.explain(model, enc))
        ran.append(len(enc.soft))

    check()
    assert sum(1 for n in ran if n) >= 60, ran  # examples with soft findings the kernel answered


def test_kernel_explains_soft_evidence_as_the_reference_engine_on_random_networks():
    from twitchnet.engine.kernel import KERNEL
    from twitchnet.engine.reference import REFERENCE

    ran = []

    @given(data=st.data())
    @settings(max_examples=80)
    def check(data):
        m = data.draw(small_models(extreme=data.draw(st.booleans())))
        hard, soft = _mixed_case(data, m)
        enc = m.encode({**hard, **{f: twitchnet.maybe(r) for f, r in soft.items()}}, soft=True)
        ref, ex = REFERENCE.explain(m, enc), KERNEL.explain(m, enc)
        if ex is None:  # a sum out of the safe range (extreme numbers): diagnose asks the reference
            return
        if not ref.log_evidence > -np.inf:
            assert not ex.log_evidence > -np.inf
            return
        _same(ex, ref)
        ran.append(len(enc.soft))

    check()
    assert sum(1 for n in ran if n) >= 30, ran  # seen: 51 to 68 of 80


def test_diagnose_with_soft_evidence_in_the_kernel_equals_pgmpy_virtual_evidence():
    """diagnose(engine="enumeration") on random networks: the kernel ran (Diagnosis.engine), and
    every cause equals pgmpy's virtual evidence to 1e-9."""
    from pgmpy.factors.discrete import TabularCPD
    from pgmpy.inference import VariableElimination

    ran = []

    @given(data=st.data())
    @settings(max_examples=40)
    def check(data):
        m = data.draw(small_models(extreme=data.draw(st.booleans())))
        hard, soft = _mixed_case(data, m)
        try:
            d = twitchnet.diagnose({**hard, **{f: twitchnet.maybe(r) for f, r in soft.items()}}, model=m, engine="enumeration")
        except twitchnet.errors.ZeroProbabilityError:
            return
        virtual = [TabularCPD(f, 2, [[1.0 / (1.0 + r)], [r / (1.0 + r)]], state_names={f: ["False", "True"]}) for f, r in soft.items()]
        res = VariableElimination(m.to_pgmpy()).query(list(m.cause_ids), evidence=m.to_pgmpy_evidence(hard), virtual_evidence=virtual,
                                                      joint=False, show_progress=False)
        for c in m.cause_ids:
            assert abs(d[c].probability - res[c].get_value(**{c: "True"})) <= PGMPY_TOL
        ran.append((d.engine, bool(soft)))

    check()
    assert sum(1 for eng, s in ran if eng == "enumeration" and s) >= 10, ran  # seen: 13 to 36 of 40 (15 flaked: 2 in 25 runs)


def test_auto_runs_soft_evidence_in_the_kernel(model):
    """On the default model ``engine="auto"`` answers a soft case in the kernel, as a hard one."""
    for ev in ({"tingling": True, "numbness": twitchnet.maybe(3.0)},
               {"age": 50, "tingling": True, "numbness": twitchnet.maybe(3.0), "cramps": False},
               {"twitching": twitchnet.maybe(0.2), "cramps": twitchnet.maybe(5.0), "worse_at_rest": False}):
        assert twitchnet.diagnose(ev, model=model).engine == "enumeration"


def test_a_red_flag_given_as_maybe_still_fires_with_the_kernel(model):
    d = twitchnet.diagnose({"tingling": True, "numbness": twitchnet.maybe(3.0), "saddle_numbness": twitchnet.maybe(0.1)}, model=model)
    assert d.engine == "enumeration" and d.urgent and d.unconfirmed == ("saddle_numbness",)


def test_kernel_rejects_bad_soft_arguments(model):
    plan = _fastpath.plan_for(model).kernel
    k = _fastpath._kernel
    codes = list(model.encode({}).codes)
    n_f = len(model.column_ids)
    assert k.explain(plan, codes, [2 * n_f], [], [2.0])[0] == 0
    for rows, ratios in (([2 * n_f], []), ([2 * n_f], [2.0, 3.0]), ([], [2.0]), ([2 * n_f], [0.0]), ([2 * n_f], [-1.0]),
                         ([2 * n_f], [float("nan")]), ([2 * n_f], [float("inf")]), ([3 * n_f], [2.0])):
        with pytest.raises(ValueError):
            k.explain(plan, codes, rows, [], ratios)
    with pytest.raises(TypeError):
        k.explain(plan, codes, [2 * n_f], [], ["2"])


# The explanation's steps computed when read (KernelEngine.explain_lazy, what diagnose runs): the
# kernel sums the first row and all the evidence at once; the steps run the full explain once when
# first read.

def _lazy_vs_eager(m, enc):
    """explain_lazy against explain on one case: the same status, the same numbers to 1e-12, and
    the very same steps once read."""
    from twitchnet.engine.kernel import KERNEL, LazySteps

    ex, lz = KERNEL.explain(m, enc), KERNEL.explain_lazy(m, enc)
    assert (ex is None) == (lz is None)  # a middle row is never out of range when the last is not
    if ex is None:
        return "declined"
    if not ex.log_evidence > -np.inf:
        assert not lz.log_evidence > -np.inf and lz.steps is None
        return "impossible"
    assert lz.prior_log_odds == ex.prior_log_odds and lz.prior == ex.prior  # the same first row, bit for bit
    # all the evidence at once (absent findings folded into the causes' weights): equal to rounding
    # (seen: 1.4e-14 on log P(e), 7e-15 on the log-odds, 5e-15 on the counterfactuals)
    assert abs(lz.log_evidence - ex.log_evidence) <= SOFT_TOL * max(1.0, abs(ex.log_evidence))
    for name in ("log_odds", "probability", "disablement", "sufficiency"):
        a, b = np.asarray(getattr(lz, name)), np.asarray(getattr(ex, name))
        assert np.all(np.abs(a - b) <= SOFT_TOL * np.maximum(1.0, np.abs(b))), name
    assert isinstance(lz.steps, LazySteps) and lz.steps._steps is None  # nothing computed yet
    assert len(lz.steps) == len(ex.steps) and list(lz.steps) == ex.steps
    assert [lz.steps.row(c) for c in range(len(m.cause_ids))] == ex.steps
    return "ran"


def test_lazy_explain_equals_explain_on_the_default_model(model):
    ran = []

    @given(ev=evidence(model))
    @settings(max_examples=80)
    def check(ev):
        ran.append(_lazy_vs_eager(model, model.encode(ev)))

    check()
    assert ran.count("ran") >= 60, ran


def test_lazy_explain_equals_explain_on_random_networks():
    """Extreme numbers included, so that cases the kernel hands to the reference engine (a sum out
    of its safe range) are met: the lazy call declines exactly the same ones."""
    ran = []

    @given(data=st.data())
    @settings(max_examples=120)
    def check(data):
        m = data.draw(small_models(extreme=data.draw(st.booleans())))
        ran.append(_lazy_vs_eager(m, m.encode(data.draw(evidence(m)))))

    check()
    assert ran.count("ran") >= 40, ran


def test_diagnose_computes_the_kernel_steps_when_first_read(model, monkeypatch):
    """One kernel call without steps per diagnose, one more (with steps, no present finding passed:
    no counterfactual sums) when a contribution is first read, none after; the contributions and
    posteriors equal the reference engine's to 1e-12."""
    calls = []
    real = _fastpath._kernel.explain

    class Counting:  # the C module's attributes are read-only: swap the module the engine reads
        def __getattr__(self, name):
            return getattr(_fastpath._kernel_real, name)

        @staticmethod
        def explain(*args):
            calls.append((args[5] if len(args) > 5 else True, len(args[3])))  # (with steps, present findings passed)
            return real(*args)

    monkeypatch.setattr(_fastpath, "_kernel_real", _fastpath._kernel, raising=False)
    monkeypatch.setattr(_fastpath, "_kernel", Counting())
    ev = {"age": 68, "sex": "male", "tingling": True, "stocking_distribution": True, "diabetes": True, "cramps": False, "duration": "months"}
    d = twitchnet.diagnose(ev, model=model)
    assert d.engine == "enumeration" and calls == [(False, 3)]
    assert all(callable(r.contributions._log_lr) for r in d.ranking)  # nothing computed yet
    assert len({id(r.contributions._log_lr) for r in d.ranking}) == 1  # one function for every cause, no object per cause
    ref = twitchnet.diagnose(ev, model=model, engine="reference")
    for r in d.ranking:
        got, want = r.contributions, ref[r.cause].contributions
        assert abs(r.probability - ref[r.cause].probability) <= SOFT_TOL
        assert [(c.finding, c.value) for c in got] == [(c.finding, c.value) for c in want]
        assert _close([c.log_lr for c in got], [c.log_lr for c in want], SOFT_TOL)
    assert calls == [(False, 3), (True, 0)]  # every cause's steps from the one run, without the counterfactuals' sums


def _near_certain_leak_model(leak):
    """The default knowledge base with every finding's leak set to ``leak`` (links unchanged)."""
    import pathlib
    import tomllib

    from twitchnet.kb.loader import FILES, knowledge_base_from_data
    from twitchnet.model import DiagnosticModel

    src = pathlib.Path(twitchnet.__file__).parent / "data" / "default"
    t = {n: tomllib.loads((src / n).read_text()) for n in FILES}
    for f in t["findings.toml"].values():
        if isinstance(f, dict) and isinstance(f.get("leak"), dict) and "value" in f["leak"]:
            f["leak"] |= dict(value=leak, low=leak, high=leak)
            for link in f.get("causes", {}).values():  # a link derived from the old leak keeps its value
                if isinstance(link, dict):
                    link.pop("derive", None)
    return DiagnosticModel(knowledge_base_from_data(t))


def test_lazy_explain_declines_a_case_whose_sums_leave_the_range_through_absent_findings():
    """Absent findings of leak 1 - 1e-14 multiply every joint state by about 1e-14 each: with 22 of
    them the true sums are near 1e-308, below the kernel's safe floor, although the sums with the
    absent findings folded out are of order 1. explain declines (None), so must explain_lazy (the
    floor is checked with the constant put back), and diagnose answers with the reference engine."""
    from twitchnet.engine.kernel import KERNEL

    m = _near_certain_leak_model(1 - 1e-14)
    free = [f for f in m.finding_ids if f not in m.red_flag_ids]
    few = {f: False for f in free[:3]}
    assert KERNEL.explain(m, m.encode(few)) is not None and KERNEL.explain_lazy(m, m.encode(few)) is not None
    many = {f: False for f in free[:22]}
    assert KERNEL.explain(m, m.encode(many)) is None
    assert KERNEL.explain_lazy(m, m.encode(many)) is None
    d = twitchnet.diagnose(many, model=m, engine="enumeration")
    ref = twitchnet.diagnose(many, model=m, engine="reference")
    assert d.engine == "reference" and all(abs(d[c].probability - ref[c].probability) <= 1e-12 for c in m.cause_ids)
