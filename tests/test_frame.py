"""diagnose_frame: identical to diagnose row by row; bad cells reported by row and column."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence

import twitchnet
from twitchnet.errors import FrameEvidenceError, UnknownEvidenceError
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


def test_missing_values_mean_unknown(model):
    df = pd.DataFrame({"tingling": [None, np.nan, pd.NA], "age": [np.nan, None, 50]}, dtype=object)
    out = diagnose_frame(df, model)
    empty = twitchnet.diagnose({})
    assert abs(out.iloc[0]["neuropathy"] - empty["neuropathy"].probability) <= 1e-12
    assert abs(out.iloc[2]["neuropathy"] - twitchnet.diagnose({"age": 50})["neuropathy"].probability) <= 1e-12


def test_aliases_and_unknown_columns(model):
    out = diagnose_frame(pd.DataFrame({"pins_and_needles": [True]}), model)
    assert abs(out.iloc[0]["neuropathy"] - twitchnet.diagnose({"tingling": True})["neuropathy"].probability) <= 1e-12
    with pytest.raises(UnknownEvidenceError, match="Did you mean 'tingling'"):
        diagnose_frame(pd.DataFrame({"tingle": [True]}), model)
    with pytest.raises(twitchnet.EvidenceError, match="one column per id"):
        diagnose_frame(pd.DataFrame({"tingling": [True], "pins_and_needles": [True]}), model)


def test_bad_cells_are_listed_by_row_and_column(model):
    df = pd.DataFrame({"age": [300, 40, 50], "tingling": ["maybe", True, [1]], "sex": ["femal", "male", "female"]}, index=["x", "y", "z"])
    with pytest.raises(FrameEvidenceError) as info:
        diagnose_frame(df, model)
    cells = {(r, c) for r, c, _, _ in info.value.cells}
    assert cells == {("x", "age"), ("x", "tingling"), ("z", "tingling"), ("x", "sex")}
    assert "row 'x', column 'age'" in str(info.value) and "Did you mean 'female'" in str(info.value)


def test_coerce_turns_bad_cells_into_unknown_with_a_warning(model):
    df = pd.DataFrame({"age": [300, 40], "tingling": ["maybe", True], "saddle_numbness": ["perhaps", False]})
    with pytest.warns(UserWarning, match="3 bad cell"):
        out = diagnose_frame(df, model, errors="coerce")
    assert abs(out.iloc[0]["neuropathy"] - twitchnet.diagnose({})["neuropathy"].probability) <= 1e-12
    assert not out.iloc[0]["urgent"]


def test_impossible_rows(model):
    df = pd.DataFrame({"sex": ["male", "female"], "pregnancy": [True, True]})
    with pytest.raises(FrameEvidenceError, match="row 0, column 'pregnancy'"):
        diagnose_frame(df, model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = diagnose_frame(df, model, errors="coerce")
    assert abs(out.iloc[0]["rls"] - twitchnet.diagnose({"sex": "male"})["rls"].probability) <= 1e-12
    assert np.isfinite(out[list(model.cause_ids)].to_numpy()).all()


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


def test_empty_frame(model):
    out = diagnose_frame(pd.DataFrame({"tingling": pd.Series([], dtype=object)}), model)
    assert len(out) == 0 and list(out.columns[: len(model.cause_ids)]) == list(model.cause_ids)


def test_progress_bar_runs(model, capsys):
    pytest.importorskip("tqdm")
    out = diagnose_frame(pd.DataFrame({"tingling": [True] * 10}), model, chunk_size=3, progress=True)
    assert len(out) == 10


def test_nullable_boolean_and_categorical_columns(model):
    plain = pd.DataFrame({"tingling": [True, False, None], "sex": ["male", None, "female"], "age": [70, None, 30]})
    typed = plain.copy()
    typed["tingling"] = typed["tingling"].astype("boolean")
    typed["sex"] = typed["sex"].astype("category")
    typed["age"] = typed["age"].astype("Int64")
    pd.testing.assert_frame_equal(diagnose_frame(typed, model), diagnose_frame(plain, model))


@given(data=st.data())
@settings(max_examples=30)
def test_typed_yes_no_columns_give_the_same_result_as_object_columns(model, data):
    """numpy bool and pandas boolean columns take a direct path past pd.factorize: same answers."""
    ids = [f for f in model.finding_ids] + [r for r in model.risk_factor_ids if model.spec(r).kind == "risk_factor"]
    cols = data.draw(st.lists(st.sampled_from(ids), unique=True, min_size=1, max_size=8))
    n = data.draw(st.integers(1, 8))
    cells = {c: data.draw(st.lists(st.sampled_from([True, False, None]), min_size=n, max_size=n)) for c in cols}
    if "pregnancy" in cells:
        cells["pregnancy"] = [False if x else x for x in cells["pregnancy"]]
    plain = pd.DataFrame(cells, dtype=object)
    typed = plain.copy()
    for c in cols:
        typed[c] = typed[c].astype(bool) if plain[c].notna().all() else typed[c].astype("boolean")
    pd.testing.assert_frame_equal(diagnose_frame(typed, model), diagnose_frame(plain, model))


def test_a_bool_column_for_a_number_id_is_still_refused(model):
    with pytest.raises(FrameEvidenceError, match="age"):
        diagnose_frame(pd.DataFrame({"age": [True, False]}), model)


@given(data=st.data())
@settings(max_examples=30)
def test_object_yes_no_columns_read_in_c_equal_the_factorized_path(model, data):
    """Columns of Python True/False/None/NaN are read by the C kernel; anything else in a column
    (0/1, "yes", a typo) sends that column through pd.factorize. Both give the same frame."""
    from twitchnet.frame import encode as frame  # where the reading of yes/no cells lives

    ids = [f for f in model.finding_ids] + [r for r in model.risk_factor_ids if model.spec(r).kind == "risk_factor"]
    cols = data.draw(st.lists(st.sampled_from(ids), unique=True, min_size=1, max_size=6))
    n = data.draw(st.integers(1, 8))
    cells = {c: data.draw(st.lists(st.sampled_from([True, False, None, np.nan, 1, "no"]), min_size=n, max_size=n)) for c in cols}
    if "pregnancy" in cells:
        cells["pregnancy"] = [x if x is None or x != x else False for x in cells["pregnancy"]]
    df = pd.DataFrame(cells, dtype=object)
    out = diagnose_frame(df, model)
    kernel, frame._kernel = frame._kernel, None
    try:
        pd.testing.assert_frame_equal(diagnose_frame(df, model), out)
    finally:
        frame._kernel = kernel


def test_label_columns_are_categorical_and_triage_is_ordered(model):
    df = pd.DataFrame({"tingling": [True, None], "saddle_numbness": [False, True]}, index=["a", "b"])
    out = diagnose_frame(df, model)
    assert list(out["top_cause"].cat.categories) == list(model.cause_ids)
    assert list(out["triage"].cat.categories) == ["self_care", "insufficient", "routine", "urgent", "emergency"]
    assert out["triage"].cat.ordered
    assert list(out["triage"] >= "urgent") == [False, True]
    assert out.loc["b", "triage"] == twitchnet.diagnose({"saddle_numbness": True}).triage
    assert out.loc["a", "top_cause"] == twitchnet.diagnose({"tingling": True}).ranking[0].cause


def test_combination_rules_fire_in_frames_as_in_diagnose(model):
    """A rule naming non-flag ids (cancer history with back pain) fires per row exactly as diagnose."""
    rows = [{"cancer_history": True, "back_pain": True}, {"cancer_history": True, "back_pain": False},
            {"back_pain": True}, {"fever": True, "radiating_back_pain": True}]
    out = diagnose_frame(pd.DataFrame(rows), model)
    for i, ev in enumerate(rows):
        d = model.diagnose({k: v for k, v in ev.items() if v is not None})
        assert out["urgent"].iloc[i] == d.urgent and out["red_flags"].iloc[i] == ",".join(r.id for r in d.red_flags)
    assert out["urgent"].tolist() == [True, False, False, True]


# ---------------------------------------------------------------- issue 13: hostile frames


def test_coerce_never_clears_a_red_flag_of_a_row_sharing_its_label(model):
    # issue 13.1: pd.concat of a valid red flag and a bad cell, both index 0
    df = pd.concat([pd.DataFrame({"saddle_numbness": [True]}), pd.DataFrame({"saddle_numbness": ["unsure"]})])
    with pytest.warns(UserWarning, match="1 bad cell"):
        out = diagnose_frame(df, model, errors="coerce")
    assert out["urgent"].tolist() == [True, False]
    assert out["triage"].tolist()[0] == "emergency"
    assert out["coerced"].tolist() == ["", "saddle_numbness"]  # the lost red-flag cell, in the result


def test_coerce_with_a_duplicated_index_equals_a_unique_index(model):
    # issue 13.1 at scale: many bad cells, every label repeated; results by position, not by label
    rng = np.random.default_rng(13)
    n = 3000
    cols = ["saddle_numbness", "muscle_weakness", "trouble_walking", "tingling", "back_pain", "cancer_history"]
    df = pd.DataFrame({c: rng.choice(np.array([True, False, None, "unsure"], dtype=object), n, p=[0.2, 0.3, 0.3, 0.2]) for c in cols})
    df["sex"] = rng.choice(["male", "female"], n)
    df["pregnancy"] = rng.choice(np.array([True, False, None], dtype=object), n)  # male and pregnant: impossible cells
    df.index = rng.integers(0, 50, n)
    with pytest.warns(UserWarning):
        dup = diagnose_frame(df, model, errors="coerce")
    with pytest.warns(UserWarning):
        uniq = diagnose_frame(df.reset_index(drop=True), model, errors="coerce")
    pd.testing.assert_frame_equal(dup.reset_index(drop=True), uniq)
    fired = np.zeros(n, dtype=bool)
    for c in ("saddle_numbness", "muscle_weakness", "trouble_walking"):
        fired |= df[c].map(lambda x: x is True).to_numpy(dtype=bool)  # the cell is the Python True
    assert (dup["urgent"].to_numpy() >= fired).all()
    for i in np.flatnonzero(fired)[:50]:  # and row by row as a single case
        row = {c: (None if df[c].iloc[i] == "unsure" else df[c].iloc[i]) for c in cols + ["sex"]}
        assert twitchnet.diagnose(row).urgent == bool(dup["urgent"].iloc[i])


def test_text_forms_of_numbers_read_as_the_numbers(model):
    # issue 13.4: Dask turns an object column of 1.0 into the string "1.0"
    as_float = pd.DataFrame({"saddle_numbness": [1.0, 0.0, np.nan], "tingling": [0.0, 1.0, 1.0], "age": [70.0, 30.0, 45.0]})
    as_text = pd.DataFrame({"saddle_numbness": ["1.0", "0.0", None], "tingling": ["0.0", "1.0", "1.0"], "age": ["70.0", "30.0", "45.0"]})
    as_bool = pd.DataFrame({"saddle_numbness": [True, False, None], "tingling": [False, True, True], "age": [70, 30, 45]})
    want = diagnose_frame(as_bool, model)
    pd.testing.assert_frame_equal(diagnose_frame(as_float, model), want)
    pd.testing.assert_frame_equal(diagnose_frame(as_text, model), want)
    assert want["urgent"].tolist() == [True, False, False]


def test_coerced_column_lists_every_bad_cell_of_its_row(model):
    df = pd.DataFrame({"saddle_numbness": ["maybe", True, None], "age": [300, 40, "old"], "tingling": [True, "x", True]}, index=["a", "a", "b"])
    with pytest.warns(UserWarning):
        out = diagnose_frame(df, model, errors="coerce")
    assert out["coerced"].tolist() == ["saddle_numbness,age", "tingling", "age"]
    assert out["urgent"].tolist() == [False, True, False]
    assert "coerced" not in diagnose_frame(df.iloc[[2]].assign(age=40), model).columns  # errors="raise": no column


def test_triage_insufficient_in_frames(model):
    # issue 13.8: nothing present that a self-care cause explains is "insufficient", as in diagnose
    df = pd.DataFrame({"twitching": [None, True, False], "fatigue": [None, None, False]})
    out = diagnose_frame(df, model)
    assert out["triage"].tolist() == [twitchnet.diagnose(r).triage for r in ({}, {"twitching": True}, {"twitching": False, "fatigue": False})]
    assert out["triage"].tolist()[0] == "insufficient" and out["triage"].tolist()[1] == "self_care"
    assert (out["triage"] < "routine").all() and (out["triage"] > "self_care").tolist() == [True, False, True]


_MISSING = [None, np.nan, pd.NA, float("nan"), np.float64("nan")]


@given(data=st.data())
@settings(max_examples=40)
def test_diagnose_of_a_row_dict_equals_the_frame_row(model, data):
    # issue 13.9: None, NaN and pd.NA are unknown in diagnose as in frames
    rows = [data.draw(evidence(model, max_size=10)) for _ in range(data.draw(st.integers(1, 5)))]
    ids = sorted({k for r in rows for k in r}) or ["tingling"]
    table = [{k: r[k] if k in r else data.draw(st.sampled_from(_MISSING)) for k in ids} for r in rows]
    df = pd.DataFrame(table, columns=ids, dtype=object)
    out = diagnose_frame(df, model)
    for i, (_, row) in enumerate(df.iterrows()):
        d = twitchnet.diagnose(row.to_dict())
        assert d.evidence == rows[i]
        got = out.iloc[i]
        for r in d.ranking:
            assert abs(got[r.cause] - r.probability) <= 1e-9
        assert bool(got["urgent"]) == d.urgent and got["triage"] == d.triage
        assert got["red_flags"] == ",".join(r.id for r in d.red_flags)


def test_a_huge_column_name_gives_a_short_message(model):
    # issue 13.11
    with pytest.raises(UnknownEvidenceError) as info:
        diagnose_frame(pd.DataFrame({"x" * 1_000_000: [True]}), model)
    assert len(str(info.value)) < 600
    df = pd.DataFrame({"tingling": ["y" * 1_000_000]}, index=["r" * 1_000_000])
    with pytest.raises(FrameEvidenceError) as info:
        diagnose_frame(df, model)
    assert len(str(info.value)) < 800


def test_pregnancy_at_an_implausible_age_is_a_bad_cell(model):
    # issue 13.12, in frames as in diagnose
    df = pd.DataFrame({"pregnancy": [True, True, False], "age": [70, 30, 70], "sex": ["female"] * 3})
    with pytest.raises(FrameEvidenceError, match="pregnancy.*12 to 55") as info:
        diagnose_frame(df, model)
    assert [(r, c) for r, c, _, _ in info.value.cells] == [(0, "pregnancy")]
    with pytest.warns(UserWarning):
        out = diagnose_frame(df, model, errors="coerce")
    assert out["coerced"].tolist() == ["pregnancy", "", ""]
    expect = diagnose_frame(df.assign(pregnancy=[None, True, False]), model)
    pd.testing.assert_frame_equal(out.drop(columns=["coerced", "error"]), expect)


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


@pytest.mark.parametrize("other", [pytest.param("decimal", id="Decimal(1)"), pytest.param(complex(1, 0), id="complex(1,0)")])
@pytest.mark.parametrize("other_first", [True, False])
def test_a_valid_red_flag_cell_is_read_whatever_equal_value_came_first(model, other, other_first):
    """Hostile C4: pd.factorize merges Decimal("1") == True == complex(1, 0); each cell is read as
    what it is (a plain True fires its red flag; the other is a bad cell), in either order."""
    from decimal import Decimal

    other = Decimal("1") if other == "decimal" else other
    cells = [other, True] if other_first else [True, other]
    good, bad = (1, 0) if other_first else (0, 1)
    df = pd.DataFrame({"saddle_numbness": pd.Series(cells, dtype=object, index=["a", "b"])})
    with pytest.warns(UserWarning, match="1 bad cell"):
        out = diagnose_frame(df, model, errors="coerce")
    assert out["urgent"].tolist()[good] and out["triage"].iloc[good] == "emergency"
    assert out["coerced"].tolist()[good] == "" and out["coerced"].tolist()[bad] == "saddle_numbness"
    assert not out["urgent"].tolist()[bad]
    with pytest.raises(FrameEvidenceError) as info:
        diagnose_frame(df, model)
    assert [(r, c) for r, c, _, _ in info.value.cells] == [(df.index[bad], "saddle_numbness")]
    assert type(info.value.cells[0][2]) is type(other)


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


def test_frame_level_errors_carry_the_red_flags_of_the_readable_rows(model):
    """Hostile H5: an unknown column, a column given as alias and id, a bad cell elsewhere under
    errors="raise", a bad setting: the error carries the red flags of every row that can be read
    (each row on its own: a combination rule never fires across rows) and leads with the advice."""
    df = pd.DataFrame({"sudden_onset": [True, None, False], "weakness": [None, True, None], "tingling": [True, False, True]},
                      index=["a", "b", "c"])
    urgent_rows = ["sudden_onset", "muscle_weakness"]  # stroke_pathway needs both in one row
    cases = [
        (UnknownEvidenceError, df.assign(patient_id=[7, 8, 9]), {"errors": "coerce"}),
        (twitchnet.EvidenceError, df.assign(muscle_weakness=[None, None, True]), {}),  # alias and id; row c reads True
        (FrameEvidenceError, df.assign(numbness=[True, "maybe", None]), {}),
        (twitchnet.EvidenceError, df, {"errors": "ignore"}),
        (twitchnet.EvidenceError, df, {"engine": "fast"}),
        (twitchnet.EvidenceError, df, {"chunk_size": 0}),
    ]
    for kind, frame, kw in cases:
        with pytest.raises(kind) as info:
            diagnose_frame(frame, model, **kw)
        assert info.value.urgent and sorted(_ids(info.value)) == sorted(urgent_rows), (frame.columns.tolist(), kw)
        assert "stroke_pathway" not in _ids(info.value)
        assert str(info.value).startswith("URGENT: see a doctor promptly") and "row(s): 'a', 'b'" in str(info.value)
    with pytest.raises(UnknownEvidenceError) as info:  # no red flag anywhere: nothing attached
        diagnose_frame(pd.DataFrame({"tingling": [True], "patient_id": [1]}), model)
    assert not info.value.urgent and str(info.value).startswith("patient_id:")
    with pytest.raises(UnknownEvidenceError) as info:  # the combination, in one row: the emergency
        diagnose_frame(pd.DataFrame({"sudden_onset": [True], "trouble_walking": [True], "patient_id": [1]}), model)
    assert "stroke_pathway" in _ids(info.value) and str(info.value).startswith("EMERGENCY")


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


@pytest.mark.parametrize("state", ["days", "weeks", "months", "years", None])
def test_a_category_finding_in_a_frame_equals_diagnose(model, state):
    """Found by tests/test_hostile.py: the frame put a category finding's levels the wrong way
    round (levels below the state absent, above it unknown), so every ``duration`` cell gave other
    numbers than diagnose (up to 0.24; 'days' read as unknown)."""
    ev = {"duration": state, "twitching": True, "age": 40}
    got = twitchnet.diagnose_frame(pd.DataFrame([ev], dtype=object), model)
    d = model.diagnose({k: x for k, x in ev.items() if x is not None})
    for r in d.ranking:
        assert abs(got[r.cause].iloc[0] - r.probability) < 1e-9, (state, r.cause)


def test_red_flag_names_of_rows_with_several_rules_are_in_rule_order(model):
    """Each row's red_flags names every rule that fired, in the rules' order, as diagnose does (the
    names are built once per combination of fired rules, from its set bits)."""
    flags = [f for f in ("saddle_numbness", "trouble_walking", "face_or_vision_change", "muscle_wasting", "progressive_spread") if f in model.finding_ids]
    rows = [dict.fromkeys(flags[: k + 1], True) for k in range(len(flags))] + [dict.fromkeys(flags[::-1][:2], True), {}]
    out = twitchnet.diagnose_frame(pd.DataFrame(rows), model=model, progress=False)
    assert out["red_flags"].iloc[-1] == ""
    assert max(len(x.split(",")) for x in out["red_flags"]) >= 3
    for i, ev in enumerate(rows):
        assert out["red_flags"].iloc[i] == ",".join(r.id for r in twitchnet.diagnose(ev, model=model).red_flags), ev
