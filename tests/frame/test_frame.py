"""diagnose_frame (frame/__init__.py): identical to diagnose row by row, in chunks, on every engine;
rows an engine cannot run fail alone, keeping their red flags."""


import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence

import twitchnet
from twitchnet.errors import FrameEvidenceError
from twitchnet.frame import diagnose_frame


def _frame_value(draw, value):
    """Write a valid evidence value the way a data table might hold it."""
    if isinstance(value, bool):
        return draw(st.sampled_from([value, int(value), float(value), "yes" if value else "no", np.bool_(value)]))
    return value


@given(data=st.data())
@settings(max_examples=40)
def test_frame_equals_diagnose_row_by_row(model, data):
    rows = [data.draw(evidence(model, max_size=12)) for _ in range(data.draw(st.integers(1, 6)))]
    table = [{k: _frame_value(data.draw, v) for k, v in row.items()} for row in rows]
    df = pd.DataFrame(table, index=[f"case{i}" for i in range(len(rows))])
    out = diagnose_frame(df, model)
    assert list(out.index) == list(df.index)
    for label, row in zip(df.index, rows):
        d = twitchnet.diagnose(row)
        got = out.loc[label]
        for r in d.ranking:
            assert abs(got[r.cause] - r.probability) <= 1e-9
        assert got["top_cause"] == d.ranking[0].cause or abs(got[got["top_cause"]] - d.ranking[0].probability) <= 1e-12
        assert bool(got["urgent"]) == d.urgent
        assert got["triage"] == d.triage
        assert got["red_flags"] == ",".join(r.id for r in d.red_flags)


def test_chunking_does_not_change_results(model):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({f: rng.choice([True, False, None], 50) for f in model.finding_ids[:10]})
    df["age"] = rng.integers(18, 90, 50)
    a = diagnose_frame(df, model, chunk_size=7)
    b = diagnose_frame(df, model)
    pd.testing.assert_frame_equal(a, b)


def test_settings_are_validated(model):
    df = pd.DataFrame({"tingling": [True]})
    with pytest.raises(twitchnet.EvidenceError, match="errors: expected 'raise' or 'coerce'"):
        diagnose_frame(df, model, errors="ignore")
    with pytest.raises(twitchnet.EvidenceError, match="chunk_size"):
        diagnose_frame(df, model, chunk_size=0)
    with pytest.raises(twitchnet.EvidenceError, match="df: expected a pandas or Dask DataFrame"):
        diagnose_frame([{"tingling": True}], model)


def test_progress_bar_runs(model, capsys):
    pytest.importorskip("tqdm")
    out = diagnose_frame(pd.DataFrame({"tingling": [True] * 10}), model, chunk_size=3, progress=True)
    assert len(out) == 10


@pytest.mark.parametrize("engine", ["enumeration", "reference", "quickscore"])
def test_each_engine_gives_the_frame_the_same_numbers(model, engine, monkeypatch):
    eng = twitchnet.engine.get(engine)
    calls = []
    real = type(eng).posterior
    monkeypatch.setattr(type(eng), "posterior", lambda self, *a, **k: calls.append(self.name) or real(self, *a, **k))
    rows = [{"age": 70, "tingling": True, "numbness": False}, {"sex": "female", "leg_cramps": True}, {}]
    out = diagnose_frame(pd.DataFrame(rows), model, engine=engine)
    assert calls and set(calls) == {eng.name}  # the engine named is the one that ran
    with pytest.raises(twitchnet.EvidenceError, match="engine: expected one of"):
        diagnose_frame(pd.DataFrame(rows), model, engine="fast")
    for i, ev in enumerate(rows):
        d = twitchnet.diagnose(ev, model=model)
        assert np.allclose([out[c].iloc[i] for c in model.cause_ids], [d[c].probability for c in model.cause_ids], rtol=0, atol=1e-9)


def test_a_frame_on_a_model_beyond_enumeration_runs_quickscore():
    """Issue 15: a model of 40 causes cannot be enumerated; its frame runs Quickscore row by row."""
    from twitchnet import synthetic

    big = synthetic.network(causes=40, findings=60, parents_per_finding=(1, 5), seed=1)
    assert not big.enumerable
    rows = [{"age": 40, big.finding_ids[0]: True, big.finding_ids[1]: False}, {"sex": "male", big.finding_ids[2]: True}]
    out = diagnose_frame(pd.DataFrame(rows), big)
    for i, ev in enumerate(rows):
        d = big.diagnose(ev)
        assert d.engine == "quickscore"
        assert np.allclose([out[c].iloc[i] for c in big.cause_ids], [d[c].probability for c in big.cause_ids], rtol=0, atol=1e-9)
    with pytest.raises(twitchnet.EngineLimitError):
        diagnose_frame(pd.DataFrame(rows), big, engine="enumeration")


def test_an_engine_limit_in_a_frame_names_the_frame_row():
    """Quickscore refuses a row beyond its limit: the error names that row of the frame (label and
    position), whatever the chunk it fell in."""
    from twitchnet import synthetic

    big = synthetic.network(causes=40, findings=60, parents_per_finding=(1, 5), seed=1)
    rows = [{"age": 40, big.finding_ids[0]: True} for _ in range(7)]
    rows[5] = {big.finding_ids[i]: True for i in range(17)}  # 17 present: beyond Quickscore's 16
    df = pd.DataFrame(rows, index=[f"case{i}" for i in range(7)])
    for chunk in (2, 65536):
        with pytest.raises(twitchnet.EngineLimitError, match=r"^row 'case5' \(position 5\): engine: .*at most 16 present") as info:
            diagnose_frame(df, big, chunk_size=chunk)
        assert info.value.key == "engine"


def test_an_emergency_row_of_a_mass_below_the_double_range_is_kept():
    """Hostile C3 in a frame: Quickscore's exact path in log space keeps the row (before: the whole
    frame raised "expected non-zero probability", red flags lost)."""
    from strategies import tiny_leak_model

    m = tiny_leak_model()
    rows = [{"brief_buzz": True, "where_phone_is_carried": True, "saddle_numbness": True}, {"tingling": True}]
    out = diagnose_frame(pd.DataFrame(rows), m, errors="coerce", engine="quickscore")
    assert out["triage"].tolist()[0] == "emergency" and out["coerced"].tolist() == ["", ""]
    for i, ev in enumerate(rows):
        ref = m.diagnose(ev, engine="reference")
        assert np.allclose([out[c].iloc[i] for c in m.cause_ids], [ref[c].probability for c in m.cause_ids], rtol=0, atol=1e-9)


def _ids(exc):
    return [r.id for r in exc.red_flags]


def test_a_row_beyond_the_engine_fails_that_row_not_the_frame(model):
    """Hostile C2: with errors="coerce", a row beyond Quickscore (36 present findings) gets no
    probabilities, its reason in ``error``, and its red flags and triage from the evidence; the
    other rows are diagnosed. With errors="raise" the error carries the red flags of every row."""
    rows = [{"saddle_numbness": True}, {f: True for f in model.finding_ids}, {"tingling": True, "age": 50}]
    df = pd.DataFrame(rows, index=["x", "y", "z"])
    with pytest.warns(UserWarning, match=r"1 row\(s\) left without probabilities.*row 'y' \(position 1\)"):
        out = diagnose_frame(df, model, errors="coerce", engine="quickscore")
    assert out[list(model.cause_ids)].loc["y"].isna().all() and pd.isna(out["top_cause"].loc["y"])
    assert out["error"].tolist()[0] == out["error"].tolist()[2] == "" and "at most 16 present findings" in out["error"].loc["y"]
    assert out["triage"].tolist() == ["emergency", "emergency", twitchnet.diagnose(rows[2]).triage]
    assert out["urgent"].loc["y"] and "cauda_equina" in out["red_flags"].loc["y"] and out["coerced"].loc["y"] == ""
    for label, ev in zip(["x", "z"], [rows[0], rows[2]]):
        d = twitchnet.diagnose(ev, model=model, engine="quickscore")
        assert np.allclose([out[c].loc[label] for c in model.cause_ids], [d[c].probability for c in model.cause_ids], rtol=0, atol=1e-9)
        assert out["top_cause"].loc[label] == d.ranking[0].cause
    with pytest.raises(twitchnet.EngineLimitError) as info:
        diagnose_frame(df, model, engine="quickscore")
    assert {"cauda_equina", "saddle_numbness"} <= set(_ids(info.value)) and "row 'y' (position 1)" in str(info.value)
    assert str(info.value).startswith("EMERGENCY")


def test_a_row_beyond_the_engine_without_red_flags_is_insufficient_not_reassured():
    """A failed row with no red flag: triage "insufficient" (as a case that cannot be ranked), never
    self-care or routine; chunks and positions as in the rest of the frame."""
    from twitchnet import synthetic

    big = synthetic.network(causes=40, findings=60, parents_per_finding=(1, 5), seed=1)
    rows = [{"age": 40, big.finding_ids[0]: True} for _ in range(7)]
    rows[5] = {big.finding_ids[i]: True for i in range(17)}  # 17 present: beyond Quickscore's 16
    df = pd.DataFrame(rows, index=[f"case{i}" for i in range(7)])
    for chunk in (2, 65536):
        with pytest.warns(UserWarning, match=r"row 'case5' \(position 5\)"):
            out = diagnose_frame(df, big, errors="coerce", chunk_size=chunk)
        assert (out["error"] != "").tolist() == [False] * 5 + [True, False]
        assert out["triage"].loc["case5"] == "insufficient" and not out["urgent"].loc["case5"]
        assert out[list(big.cause_ids)].drop(index="case5").notna().all().all()
        assert out["triage"].drop(index="case5").astype(str).tolist() == [big.diagnose(rows[0]).triage] * 6


def test_an_impossible_row_with_no_cell_to_blame_fails_that_row_under_coerce(model, monkeypatch):
    """A row the engine calls impossible (log P(e) = -inf) with no structural-zero cell to blame:
    with errors="coerce" that row fails, keeping its emergency, and the others are diagnosed; with
    errors="raise" the error carries the red flags (hostile C3, the frame's side)."""
    eng = twitchnet.engine.get("reference")
    real = type(eng).posterior

    def first_row_impossible(self, source, rf_state, finding_state, **kw):
        prob, log_ev = real(self, source, rf_state, finding_state, **kw)
        if finding_state.shape[0] and finding_state[0, model.finding_ids.index("saddle_numbness")] == 1:
            prob[0], log_ev[0] = 0.0, -np.inf
        return prob, log_ev

    monkeypatch.setattr(type(eng), "posterior", first_row_impossible)
    rows = [{"saddle_numbness": True}, {"tingling": True}]
    with pytest.warns(UserWarning, match="non-zero probability"):
        out = diagnose_frame(pd.DataFrame(rows), model, errors="coerce", engine="reference")
    assert out["triage"].tolist()[0] == "emergency" and "non-zero probability" in out["error"].iloc[0]
    assert out[list(model.cause_ids)].iloc[0].isna().all()
    assert out["error"].iloc[1] == "" and abs(out["neuropathy"].iloc[1] - twitchnet.diagnose(rows[1])["neuropathy"].probability) <= 1e-12
    with pytest.raises(FrameEvidenceError) as info:
        diagnose_frame(pd.DataFrame(rows), model, engine="reference")
    assert "cauda_equina" in _ids(info.value)
