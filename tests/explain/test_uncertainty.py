"""Uncertainty from the knowledge base's ranges: draws, what an answer rests on, the sensitivity sweep."""

import math
import pickle
import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence, small_models

import twitchnet
from twitchnet.errors import EvidenceError
from twitchnet.explain import uncertainty as U
from twitchnet.model import DiagnosticModel

TOL = 1e-9
CASES = [
    {"age": 68, "sex": "male", "tingling": True, "diabetes": True, "numbness": True, "twitching": False},
    {"tingling": True},  # age and sex unknown: every context
    {"age": 30, "sex": "female", "twitching": True, "high_caffeine": True, "recent_stress": True, "anxiety": True, "cramps": False},
    {"sex": "female", "pregnancy": True, "urge_to_move": True, "worse_in_evening": True},  # a factor with a parent
    {},
]


def _pgmpy(model, ev):
    from pgmpy.inference import VariableElimination

    ve = VariableElimination(model.to_pgmpy())
    pe = model.to_pgmpy_evidence(ev)
    return np.array([ve.query([c], evidence=pe, show_progress=False).get_value(**{c: "True"}) for c in model.cause_ids])


def _point(kb):
    """Every range collapsed onto its value."""
    nums = [n for _, n in kb.numbers()]
    return U.with_numbers(kb, [n.value for n in nums], collapse=True)


def _widen(kb):
    """Ranges around every value (random test networks come with zero-width ranges)."""
    out = []
    for where, n in kb.numbers():
        if n.structural:
            out.append(n)
        elif ".effects." in where:
            out.append(replace(n, low=n.value / 2, high=n.value * 3))
        else:
            out.append(replace(n, low=n.value * 0.5, high=n.value + (1 - n.value) * 0.3))
    return U.with_numbers(kb, [n.value for n in out], ranges=[(n.low, n.high) for n in out])


# ---------------------------------------------------------------------- the draws
@pytest.mark.parametrize("ev", CASES)
def test_zero_width_ranges_give_zero_width_intervals_at_the_point_posterior(ev):
    m0 = DiagnosticModel(_point(twitchnet.load_model().kb))
    d = twitchnet.diagnose(ev, model=m0, uncertainty=300, seed=1)
    assert d.intervals is not None and len(d.intervals.causes) == len(m0.cause_ids)
    for r in d.ranking:
        cu = d.intervals[r.cause]
        assert cu.high - cu.low <= 1e-15
        assert abs(cu.median - r.probability) <= 1e-12
        assert cu.probability == r.probability
    assert np.ptp(d.intervals.samples, axis=0).max() <= 1e-15


def test_a_fixed_seed_gives_identical_results(model):
    d = twitchnet.diagnose(CASES[0])
    a, b = d.uncertainty(draws=200, seed=7), twitchnet.diagnose(CASES[0], uncertainty=200, seed=7).intervals
    assert a == b and np.array_equal(a.samples, b.samples)
    c = d.uncertainty(draws=200, seed=8)
    assert not np.array_equal(a.samples, c.samples)
    # the draws do not depend on how they are split into blocks
    assert np.array_equal(U.draw_numbers(model, 300, 3)[:200], U.draw_numbers(model, 200, 3))
    theta = U.draw_numbers(model, 300, 3)
    # the posteriors of the same draws do not depend on the batch either, up to rounding (the
    # vectorised sums run in a different order for another batch shape)
    assert np.max(np.abs(U.posterior_draws(model, CASES[0], theta)[:5] - U.posterior_draws(model, CASES[0], theta[:5]))) <= 1e-14


@pytest.mark.parametrize("ev", CASES)
def test_p_first_sums_to_one_and_top3_to_three(ev):
    u = twitchnet.diagnose(ev).uncertainty(draws=400, seed=0)
    assert math.isclose(sum(c.p_first for c in u.causes), 1.0, abs_tol=1e-12)
    assert math.isclose(sum(c.p_top3 for c in u.causes), 3.0, abs_tol=1e-12)
    for c in u.causes:
        assert 0.0 <= c.low <= c.median <= c.high <= 1.0
        assert c.p_first <= c.p_top3


@pytest.mark.parametrize("ev", CASES[:4])
def test_single_draws_equal_pgmpy_on_a_kb_edited_to_the_drawn_numbers(model, ev):
    theta = U.draw_numbers(model, 3, seed=11)
    ours = twitchnet.diagnose(ev).uncertainty(draws=3, seed=11).samples
    for i in range(3):
        edited = DiagnosticModel(U.with_numbers(model.kb, theta[i]))
        assert np.max(np.abs(ours[i] - _pgmpy(edited, ev))) <= TOL


@given(data=st.data())
@settings(max_examples=25)
def test_random_networks_draws_equal_pgmpy(data):
    m = DiagnosticModel(_widen(data.draw(small_models()).kb))
    ev = data.draw(evidence(m))
    if ev.get("expecting") is True and ev.get("gender") == "m":
        ev["expecting"] = False
    theta = U.draw_numbers(m, 2, seed=data.draw(st.integers(0, 1000)))
    ours = U.posterior_draws(m, ev, theta)
    for i in range(2):
        assert np.max(np.abs(ours[i] - _pgmpy(DiagnosticModel(U.with_numbers(m.kb, theta[i])), ev))) <= TOL


def test_draws_put_95_percent_inside_the_range_with_the_value_as_median(model):
    theta = U.draw_numbers(model, 20000, seed=0)
    st_ = U._structure(model)
    single = [i for i in np.flatnonzero(st_.drawn) if st_.group_of[i] < 0]
    inside = ((theta[:, single] >= st_.low[single]) & (theta[:, single] <= st_.high[single])).mean(axis=0)
    assert np.all(np.abs(inside - 0.95) < 0.01)
    below = (theta[:, single] < st_.value[single]).mean(axis=0)
    assert np.all(np.abs(below - 0.5) < 0.015)
    assert np.all(theta[:, st_.fixed] == st_.value[st_.fixed])
    for members in st_.groups:
        assert np.allclose(theta[:, members].sum(axis=1), 1.0, atol=1e-12)


# ---------------------------------------------------------------------- what the answer rests on
def _fd_log_odds(model, i, x, ev, c):
    st_ = U._structure(model)
    m = DiagnosticModel(U.with_numbers(model.kb, st_.moved(i, x)))
    return twitchnet.diagnose(ev, model=m)[model.cause_ids[c]].log_odds


@pytest.mark.parametrize("ev", CASES[:4])
def test_derivative_equals_finite_differences(model, ev):
    st_ = U._structure(model)
    der = U.derivatives(model, ev)
    d = twitchnet.diagnose(ev)
    c = model.cause_ids.index(d.ranking[0].cause)
    free = np.flatnonzero(~st_.fixed)
    moving = [i for i in free if abs(der[i, c]) > 0]
    rng = np.random.default_rng(0)
    still = rng.choice([i for i in free if der[i, c] == 0], size=3, replace=False).tolist() if len(moving) < len(free) else []
    chosen = sorted(rng.choice(moving, size=min(25, len(moving)), replace=False).tolist()) + still
    chosen += [i for i in free if st_.group_of[i] >= 0 and i not in chosen][:2]  # category priors
    for i in chosen:
        h = 1e-6 * min(st_.value[i], 1 - st_.value[i]) if not st_.odds_ratio[i] else 1e-6 * st_.value[i]
        fd = (_fd_log_odds(model, i, st_.value[i] + h, ev, c) - _fd_log_odds(model, i, st_.value[i] - h, ev, c)) / (2 * h)
        assert abs(fd - der[i, c]) <= 1e-6 * max(1.0, abs(fd)), st_.where[i]


def test_rests_on_lists_the_largest_effects_with_citations(model):
    d = twitchnet.diagnose(CASES[0])
    top = d.rests_on(k=None)
    assert [r.where for r in top[:5]] == [r.where for r in d.rests_on()]
    assert all(abs(a.effect) >= abs(b.effect) for a, b in zip(top, top[1:]))
    st_ = U._structure(model)
    der = U.derivatives(model, CASES[0])[:, model.cause_ids.index(d.ranking[0].cause)]
    for r in top:
        i = st_.where.index(r.where)
        assert r.derivative == der[i] and r.effect == pytest.approx(der[i] * (r.high - r.low) / 2, rel=1e-12)
        assert r.cause == d.ranking[0].cause
        if r.judgement:
            assert r.citation.startswith("judgement")
        else:
            assert r.citation == model.kb.sources[r.source].citation
    # a finding nobody asked about moves nothing
    unasked = [r for r in top if r.where.startswith("findings.toml: palpitations.")]
    assert unasked and all(r.derivative == 0 for r in unasked)
    assert d.rests_on(cause="spinal")[0].cause == "spinal"


def test_bad_arguments_raise_naming_the_key():
    with pytest.raises(EvidenceError, match="uncertainty"):
        twitchnet.diagnose({"tingling": True}, uncertainty=0)
    with pytest.raises(EvidenceError, match="seed"):
        twitchnet.diagnose({"tingling": True}, uncertainty=10, seed=-1)
    with pytest.raises(EvidenceError, match="draws"):
        twitchnet.diagnose({"tingling": True}).uncertainty(draws=True)
    with pytest.raises(EvidenceError, match="neuropathy"):
        twitchnet.diagnose({"tingling": True}).rests_on(cause="neuropathyy")


def test_frame_dict_and_pickle_carry_the_intervals():
    d = twitchnet.diagnose(CASES[0], uncertainty=100)
    df = d.to_frame()
    for col in ("median", "interval_low", "interval_high", "p_first", "p_top3"):
        assert col in df.columns
    top = d.ranking[0].cause
    assert df.loc[top, "p_first"] == d.intervals[top].p_first
    assert "median" not in twitchnet.diagnose(CASES[0]).to_frame().columns
    assert d.to_dict()["uncertainty"]["draws"] == 100
    back = pickle.loads(pickle.dumps(d))
    assert back == d and back.intervals == d.intervals
    assert d.uncertainty(draws=100, seed=0) is d.intervals
    assert "P(first)" in str(d.intervals) and "interval_low" not in U.Uncertainty.__doc__


# ---------------------------------------------------------------------- the sensitivity sweep
def _edit_toml(folder, where, new_value):
    """Set one number's value in the TOML files of ``folder``, by hand (text substitution)."""
    fname, path = where.split(": ")
    text = (folder / fname).read_text()
    entry, _, key = path.rpartition(".")
    if "." in entry:
        table, _, sub = entry.partition(".")
        header = f"[{table}.{sub}]" if sub else f"[{table}]"
    else:
        header = f"[{entry}]"
    start = text.index(header + "\n")
    end = text.find("\n[", start + 1)
    block = text[start : end if end > 0 else len(text)]
    key_re = re.escape(f'"{key}"') if not re.fullmatch(r"\w+", key) else re.escape(key)
    new_block, n = re.subn(rf"(?m)^({key_re} = \{{ value = )[0-9.eE+-]+", rf"\g<1>{new_value!r}", block)
    assert n == 1, (where, header)
    # the moved value no longer follows its published figures: drop its derivation (the loader checks it)
    new_block = re.sub(rf"(?m)^({key_re} = \{{.*?)derive = \{{[^}}]*\}}, ", r"\g<1>", new_block)
    (folder / fname).write_text(text[:start] + new_block + text[start + len(block) :])


@pytest.fixture(scope="module")
def sweep_cases():
    return twitchnet.load_model().simulate(600, seed=5)


@pytest.mark.parametrize("where", ["findings.toml: twitching.causes.benign_twitching", "causes.toml: stress.baseline",
                                   "causes.toml: neuropathy.effects.diabetes"])
def test_a_number_at_its_low_end_ranks_as_a_hand_edited_knowledge_base(model, tmp_path, sweep_cases, where):
    src = Path(twitchnet.__file__).parent / "data" / "default"
    folder = tmp_path / "kb"
    shutil.copytree(src, folder)
    st_ = U._structure(model)
    i = st_.where.index(where)
    _edit_toml(folder, where, float(st_.low[i]))
    edited = twitchnet.load_model(folder)
    assert dict(edited.kb.numbers())[where].value == st_.low[i]
    hand = twitchnet.diagnose_frame(sweep_cases, model=edited)[list(model.cause_ids)].to_numpy()
    ours = U.moved_posterior(model, i, st_.low[i], sweep_cases)
    assert np.array_equal(np.argsort(-hand, axis=1, kind="stable"), np.argsort(-ours, axis=1, kind="stable"))
    assert np.max(np.abs(hand - ours)) <= 1e-12
    base = twitchnet.diagnose_frame(sweep_cases)["top_cause"].to_numpy()
    changed = np.mean(np.asarray(edited.cause_ids, dtype=object)[np.argmax(hand, axis=1)] != base)
    row = next(r for r in twitchnet.sensitivity(model, sweep_cases).rows if r.where == where)
    assert row.changed_low == changed


def test_a_category_prior_moves_with_the_others_scaled(model, tmp_path, sweep_cases):
    where = "risk_factors.toml: sex.prior[0]"
    src = Path(twitchnet.__file__).parent / "data" / "default"
    folder = tmp_path / "kb"
    shutil.copytree(src, folder)
    st_ = U._structure(model)
    i = st_.where.index(where)
    text = (folder / "risk_factors.toml").read_text()
    low = float(st_.low[i])
    text = text.replace("{ value = 0.51, low = 0.49", f"{{ value = {low!r}, low = 0.49", 1)
    text = text.replace("{ value = 0.49, low = 0.47", f"{{ value = {1 - low!r}, low = 0.47", 1)
    (folder / "risk_factors.toml").write_text(text)
    edited = twitchnet.load_model(folder)
    cases = sweep_cases.drop(columns=["sex"])
    hand = twitchnet.diagnose_frame(cases, model=edited)[list(model.cause_ids)].to_numpy()
    assert np.max(np.abs(hand - U.moved_posterior(model, i, low, cases))) <= 1e-12


def test_sensitivity_rows_and_inputs(model, sweep_cases):
    s = twitchnet.sensitivity(model, sweep_cases.head(200))
    st_ = U._structure(model)
    assert s.cases == 200 and len(s.rows) == int((~st_.fixed).sum())
    assert all(a.changed >= b.changed for a, b in zip(s.rows, s.rows[1:]))
    for r in s.rows:
        assert max(r.changed_low, r.changed_high) <= r.changed <= r.changed_low + r.changed_high + 1e-12
    assert next(r for r in s.rows if r.where == "model.toml: triage.routine_threshold").changed == 0.0
    df = s.to_frame()
    assert list(df.index[:3]) == [r.where for r in s.rows[:3]]
    vig = [{"tingling": True, "numbness": True}, {"twitching": True, "age": 30}]
    assert twitchnet.sensitivity(model, vig).cases == 2
    assert twitchnet.sensitivity(model, 50, seed=1).cases == 50
    with pytest.raises(EvidenceError, match="cases"):
        twitchnet.sensitivity(model, 0)


def test_sensitivity_refuses_a_frame_with_bad_cells_instead_of_dropping_them(model):
    """Hostile L12: a DataFrame of cases with a bad cell raises the frame's one error shape (every
    bad cell by row and column, the readable rows' red flags attached); before, the cell was
    silently read as unknown. An unknown column too."""
    import pandas as pd

    from twitchnet.errors import FrameEvidenceError, UnknownEvidenceError

    df = pd.DataFrame({"saddle_numbness": [True, False], "tingling": [True, "maybe"]}, index=["p", "q"])
    with pytest.raises(FrameEvidenceError, match=r"row 'q', column 'tingling'") as info:
        twitchnet.sensitivity(model, df)
    assert [(r, c) for r, c, _, _ in info.value.cells] == [("q", "tingling")]
    assert "cauda_equina" in [r.id for r in info.value.red_flags]
    with pytest.raises(UnknownEvidenceError) as info:
        twitchnet.sensitivity(model, df.assign(tingling=[True, False], patient_id=[1, 2]))
    assert info.value.urgent
    assert twitchnet.sensitivity(model, df.assign(tingling=[True, False])).cases == 2


# ---------------------------------------------------------------------- ranges that touch 0 or 1
EMERGENCY = {"age": 30, "sex": "female", "twitching": True, "high_caffeine": True, "cramps": False, "saddle_numbness": True}
# (file, table, text, replacement): a baseline whose draws round to exactly 1 (logit above 36.7),
# a link whose draws do (with its finding absent, P(e | cause present) is then exactly 0), and
# ranges whose ends are 0 and 1 (the sweep moves each number to exactly its ends)
EDGE_BASELINE = ("causes.toml", "[stress]", "baseline = { value = 0.08, low = 0.05, high = 0.15,", "baseline = { value = 0.999999999999, low = 0.5, high = 1.0,")
EDGE_LINK = ("findings.toml", "[cramps.causes]", "electrolytes = { value = 0.4, low = 0.3, high = 0.5,", "electrolytes = { value = 0.9999999999999, low = 0.5, high = 1.0,")
ENDS_BASELINE = ("causes.toml", "[stress]", "baseline = { value = 0.08, low = 0.05, high = 0.15,", "baseline = { value = 0.08, low = 0.0, high = 0.15,")
ENDS_LINK = ("findings.toml", "[cramps.causes]", "electrolytes = { value = 0.4, low = 0.3, high = 0.5,", "electrolytes = { value = 0.4, low = 0.3, high = 1.0,")


def _edge_model(tmp_path, *edits):
    folder = tmp_path / "kb"
    shutil.copytree(Path(twitchnet.__file__).parent / "data" / "default", folder)
    for fname, table, old, new in edits:
        p = folder / fname
        text = p.read_text()
        j = text.index(old, text.index(table))
        p.write_text(text[:j] + new + text[j + len(old) :])
    return twitchnet.load_model(folder)


@pytest.mark.parametrize("edit", [EDGE_BASELINE, EDGE_LINK], ids=["baseline", "link"])
def test_draws_never_round_to_0_or_1_and_intervals_stay_finite(tmp_path, edit):
    # hostile C5 (math domain error, no red flags) and H2 (31.5% NaN draws, nan-nan intervals)
    m = _edge_model(tmp_path, edit)
    st_ = U._structure(m)
    theta = U.draw_numbers(m, 2000, seed=1)[:, st_.drawn_p]
    assert (theta > 0).all() and (theta < 1).all()
    for seed in range(4):
        d = m.diagnose(EMERGENCY, uncertainty=200, seed=seed)
        assert d.urgent and np.isfinite(d.intervals.samples).all()
        for c in d.intervals.causes:
            assert 0 <= c.low <= c.median <= c.high <= 1
        assert "nan" not in str(d.intervals)
        assert np.isfinite([r.effect for r in d.rests_on(None)]).all()


def test_sensitivity_sweeps_ranges_that_end_at_0_or_1(tmp_path):
    # hostile M6: each number moved to exactly 0 or 1 gave "math domain error"
    for n, edits in enumerate([(ENDS_BASELINE, ENDS_LINK), (EDGE_BASELINE, EDGE_LINK)]):
        m = _edge_model(tmp_path / str(n), *edits)
        with np.errstate(divide="raise", invalid="raise"):
            s = twitchnet.sensitivity(m, 200, seed=2)
        rows = {r.where: r for r in s.rows}
        assert rows["findings.toml: cramps.causes.electrolytes"].high == 1.0
        assert rows["causes.toml: stress.baseline"].low == (0.0 if n == 0 else 0.5)
        for r in s.rows:
            assert 0 <= r.changed <= 1
    st_ = U._structure(m)
    i = st_.where.index("causes.toml: stress.baseline")
    post = U.moved_posterior(m, i, 0.0, m.simulate(50, seed=3))
    assert np.isfinite(post).all() and (post[:, m.cause_ids.index("stress")] < 1e-290).all()


def test_an_error_on_the_uncertainty_path_carries_the_red_flags(monkeypatch):
    # hostile C5: anything but a TwitchnetError escaped diagnose() bare, without the red flags
    def broken(*args):
        raise ValueError("math domain error")

    monkeypatch.setattr(U.draws, "_posterior_block", broken)
    with pytest.raises(twitchnet.errors.EngineLimitError, match="^EMERGENCY.*uncertainty.*math domain error") as info:
        twitchnet.diagnose(EMERGENCY, uncertainty=10)
    assert info.value.urgent and info.value.red_flags
    d = twitchnet.diagnose(EMERGENCY)
    with pytest.raises(twitchnet.errors.EngineLimitError) as info:
        d.uncertainty(10)
    assert info.value.red_flags == d.red_flags
    with pytest.raises(EvidenceError, match="^EMERGENCY.*draws") as info:  # a bad setting, too
        d.uncertainty(0)
    assert info.value.urgent


def test_a_draw_without_a_finite_posterior_is_refused_not_nan(monkeypatch):
    def nan_block(model, enc, theta, groups):
        return np.full((theta.shape[0], len(model.cause_ids)), np.nan), np.full((theta.shape[0], len(groups)), np.nan)

    monkeypatch.setattr(U.draws, "_posterior_block", nan_block)
    with pytest.raises(twitchnet.errors.EngineLimitError, match="finite posterior in every draw") as info:
        twitchnet.diagnose(EMERGENCY, uncertainty=10)
    assert info.value.urgent


@pytest.mark.parametrize(("call", "key"), [
    # hostile L3: bare ValueError (seed -1), TypeError (threads "x", k 2.5); k=-1 returned all but the last
    (lambda m, d: twitchnet.sensitivity(m, 20, seed=-1), "seed"),
    (lambda m, d: twitchnet.sensitivity(m, 20, threads="x"), "threads"),
    (lambda m, d: d.rests_on(k=2.5), "k"),
    (lambda m, d: d.rests_on(k=-1), "k"),
])
def test_hostile_settings_of_sensitivity_and_rests_on_name_the_setting(model, call, key):
    d = model.diagnose(EMERGENCY)
    with pytest.raises(EvidenceError, match=f"{key}: expected a whole number") as info:
        call(model, d)
    assert info.value.key == key
    if key == "k":  # an error about a diagnosis carries its red flags
        assert info.value.red_flags == d.red_flags and info.value.urgent


# ---------------------------------------------------------------------- cause groups
def _pgmpy_groups(model, ev):
    from pgmpy.inference import VariableElimination

    ve = VariableElimination(model.to_pgmpy())
    pe = model.to_pgmpy_evidence(ev)
    out = []
    for g in model.kb.groups:
        res = ve.query(list(g.members), evidence=pe, joint=True, show_progress=False)
        out.append(1.0 - res.get_value(**{m: "False" for m in g.members}))
    return np.array(out)


GROUP_CASE = {"twitching": True, "muscle_weakness": True, "muscle_wasting": True, "brisk_reflexes": True, "widespread_fasciculations": True}


@pytest.mark.parametrize("ev", CASES[:2] + [GROUP_CASE])
def test_a_group_in_every_draw_equals_pgmpy_on_a_kb_edited_to_the_drawn_numbers(model, ev):
    theta = U.draw_numbers(model, 3, seed=11)
    u = twitchnet.diagnose(ev).uncertainty(draws=3, seed=11)
    assert [g.cause for g in u.groups] == [g.id for g in model.kb.groups]
    for i in range(3):
        edited = DiagnosticModel(U.with_numbers(model.kb, theta[i]))
        assert np.max(np.abs(u.group_samples[i] - _pgmpy_groups(edited, ev))) <= TOL
    g = u["neurological_disease"]
    members = [model.cause_ids.index(m) for m in model.kb.groups[0].members]
    # the group is placed where its best member ranks: P(first) is the share of draws some member leads
    first = np.argmax(u.samples, axis=1)
    assert g.p_first == np.isin(first, members).mean()
    if ev is GROUP_CASE:  # motor neurone disease leads: the group is first though its other members are not
        assert g.p_first > 0
    assert g.probability == twitchnet.diagnose(ev).groups["neurological_disease"]


@given(data=st.data())
@settings(max_examples=20)
def test_random_networks_group_draws_equal_pgmpy(data):
    m = DiagnosticModel(_widen(data.draw(small_models(groups=True)).kb))
    ev = data.draw(evidence(m))
    if ev.get("expecting") is True and ev.get("gender") == "m":
        ev["expecting"] = False
    try:
        u = twitchnet.diagnose(ev, model=m).uncertainty(draws=2, seed=data.draw(st.integers(0, 1000)))
    except twitchnet.errors.ZeroProbabilityError:
        return
    theta = U.draw_numbers(m, 2, seed=u.seed)
    for i in range(2):
        if m.kb.groups:
            assert np.max(np.abs(u.group_samples[i] - _pgmpy_groups(DiagnosticModel(U.with_numbers(m.kb, theta[i])), ev))) <= TOL


def test_rests_on_a_group_differentiates_its_log_odds(model):
    ev = {"twitching": True, "muscle_weakness": True, "brisk_reflexes": True}
    d = twitchnet.diagnose(ev)
    top = d.rests_on(k=3, cause="neurological_disease")
    assert all(r.cause == "neurological_disease" for r in top)
    st_ = U._structure(model)
    for r in top:
        i = st_.where.index(r.where)
        h = 1e-6 * min(st_.value[i], 1 - st_.value[i]) if not st_.odds_ratio[i] else 1e-6 * st_.value[i]

        def lo(x):
            p = twitchnet.diagnose(ev, model=DiagnosticModel(U.with_numbers(model.kb, st_.moved(i, x)))).groups["neurological_disease"]
            return math.log(p) - math.log1p(-p)

        fd = (lo(st_.value[i] + h) - lo(st_.value[i] - h)) / (2 * h)
        assert abs(fd - r.derivative) <= 1e-6 * max(1.0, abs(fd)), r.where
    with pytest.raises(EvidenceError, match="cause: expected a cause or cause-group id"):
        d.rests_on(cause="neurological_diseas")


# ---------------------------------------------------------------- issue 24: the draws for ArviZ and xarray
def test_the_draws_go_to_xarray_with_a_draw_dimension():
    pytest.importorskip("xarray")
    model = twitchnet.load_model()
    d = model.diagnose({"age": 68, "sex": "male", "tingling": True, "diabetes": True}, uncertainty=200, seed=3)
    ds = d.intervals.to_xarray()
    assert set(ds.data_vars) == set(model.cause_ids)
    assert dict(ds.sizes) == {"chain": 1, "draw": 200}
    for j, c in enumerate(model.cause_ids):
        np.testing.assert_array_equal(ds[c].values[0], d.intervals.samples[:, j])
        assert float(ds[c].median()) == pytest.approx(d.intervals[c].median)
    assert ds.attrs["seed"] == 3 and ds.attrs["draws"] == 200


def test_to_arviz_without_arviz_says_pip_install(monkeypatch):
    import sys

    from twitchnet.errors import MissingExtraError

    d = twitchnet.diagnose({"tingling": True}, uncertainty=10, seed=0)
    monkeypatch.setitem(sys.modules, "arviz", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'twitchnet\[arviz\]'"):
        d.intervals.to_arviz()


# ---------------------------------------------------------------------- beyond enumeration (Quickscore)

@pytest.fixture(scope="module")
def net40():
    from twitchnet import synthetic

    return synthetic.with_ranges(synthetic.network(causes=40, findings=80, seed=2))


def _ev40(model, k=0):
    f = model.finding_ids
    ev = {"age": 55 + k, f[k]: True, f[k + 3]: True, f[k + 7]: True, f[k + 5]: False, f[k + 9]: False}
    ev[[r for r in model.risk_factor_ids if r not in ("age", "sex")][k]] = True
    return ev


def test_uncertainty_on_a_40_cause_network_equals_diagnose_of_each_drawn_model(net40):
    """d.uncertainty() on a model only Quickscore runs: each draw's posteriors equal diagnose on a model
    built with that draw's numbers (the same generator stream as draw_numbers)."""
    assert not net40.enumerable
    ev = _ev40(net40)
    d = twitchnet.diagnose(ev, model=net40)
    assert d.engine == "quickscore"
    u = d.uncertainty(draws=8, seed=5)
    theta = U.draw_numbers(net40, 8, seed=5)
    for i in range(8):
        di = twitchnet.diagnose(ev, model=DiagnosticModel(U.with_numbers(net40.kb, theta[i])))
        assert di.engine == "quickscore"
        assert np.abs(u.samples[i] - [di[c].probability for c in net40.cause_ids]).max() <= TOL
    assert np.ptp(u.samples, axis=0).max() > 1e-3
    top = u[d.ranking[0].cause]
    assert top.low <= top.median <= top.high and 0 < top.p_first <= 1


def test_rests_on_a_40_cause_network_refuses_up_front_naming_the_limit(net40, monkeypatch):
    d = twitchnet.diagnose(_ev40(net40), model=net40)

    def no_work(*a, **k):
        raise AssertionError("work started")

    monkeypatch.setattr(U.rests, "_Case", no_work)
    with pytest.raises(twitchnet.errors.EngineLimitError, match="rests_on's exact derivatives.*at most 16 causes") as info:
        d.rests_on()
    assert info.value.red_flags == d.red_flags
    with pytest.raises(twitchnet.errors.EngineLimitError, match="rests_on"):
        U.derivatives(net40, _ev40(net40))


def test_sensitivity_on_a_40_cause_network_equals_rebuilt_models(net40):
    """sensitivity and moved_posterior beyond enumeration (Quickscore under every moved set) against
    diagnose on a model rebuilt with each moved number."""
    cases = [_ev40(net40, k) for k in range(3)]
    st_ = U._structure(net40)
    s = twitchnet.sensitivity(net40, cases)
    rows = {r.where: r for r in s.rows}
    assert len(rows) == int((~st_.fixed).sum()) and s.cases == 3
    base = [twitchnet.diagnose(ev, model=net40).ranking[0].cause for ev in cases]
    moved_rows = [r for r in s.rows if r.changed > 0][:2] + [r for r in s.rows if r.changed == 0][:2]
    assert any(r.changed > 0 for r in moved_rows)  # the sweep moves some top cause
    for r in moved_rows:
        i = st_.where.index(r.where)
        for end, share in ((st_.low[i], r.changed_low), (st_.high[i], r.changed_high)):
            m = DiagnosticModel(U.with_numbers(net40.kb, st_.moved(i, end)))
            ds = [twitchnet.diagnose(ev, model=m) for ev in cases]
            assert {d.engine for d in ds} == {"quickscore"}
            assert share == np.mean([d.ranking[0].cause != b for d, b in zip(ds, base)])
            hand = np.array([[d[c].probability for c in net40.cause_ids] for d in ds])
            assert np.abs(U.moved_posterior(net40, i, end, cases) - hand).max() <= TOL


# ---------------------------------------------------------------------- unchanged numbers
STORED = Path(__file__).resolve().parents[1] / "data" / "uncertainty_before.json"


def _stored():
    import json

    return json.loads(STORED.read_text())


@pytest.mark.parametrize("i", range(7))
def test_intervals_and_draws_equal_the_numbers_stored_before_the_speed_work(i):
    """1,000 draws (seed 0) give the intervals, P(first), P(top 3) and posteriors stored at commit
    1e55842 (before issue 23's speed work, tests/data/uncertainty_before.json) to 1e-12."""
    case = _stored()["cases"][i]
    u = twitchnet.diagnose(case["evidence"]).uncertainty(draws=1000, seed=0)
    got = [[c.cause, c.median, c.low, c.high, c.p_first, c.p_top3] for c in u.causes + u.groups]
    assert [g[0] for g in got] == [s[0] for s in case["summary"]]
    assert np.max(np.abs(np.array([g[1:] for g in got]) - np.array([s[1:] for s in case["summary"]]))) <= 1e-12
    assert np.max(np.abs(np.asarray(u.samples)[::50] - np.array(case["samples"]))) <= 1e-12
    if case["group_samples"] is not None:
        assert np.max(np.abs(np.asarray(u.group_samples)[::50] - np.array(case["group_samples"]))) <= 1e-12


def test_draw_numbers_and_posterior_draws_equal_the_stored_numbers(model):
    stored = _stored()["draw_numbers"]
    theta = U.draw_numbers(model, 3, seed=stored["seed"])
    assert np.max(np.abs(theta - np.array(stored["rows"]))) <= 1e-12
    assert np.max(np.abs(U.posterior_draws(model, CASES[0], theta) - np.array(stored["posterior_draws"]))) <= 1e-12


def test_quickscore_draws_equal_the_stored_numbers(net40):
    stored = _stored()["net40"]
    d = twitchnet.diagnose(stored["evidence"], model=net40)
    assert d.engine == "quickscore"
    u = d.uncertainty(draws=40, seed=0)
    got = [[c.median, c.low, c.high, c.p_first, c.p_top3] for c in u.causes + u.groups]
    assert [c.cause for c in u.causes + u.groups] == [s[0] for s in stored["summary"]]
    assert np.max(np.abs(np.array(got) - np.array([s[1:] for s in stored["summary"]]))) <= 1e-12
    assert np.max(np.abs(np.asarray(u.samples)[::8] - np.array(stored["samples"]))) <= 1e-12
