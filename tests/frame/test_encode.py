"""Reading a frame's cells (frame/encode.py): columns as vocabulary ids, every kind of cell read as
diagnose reads it, bad cells reported by row and column."""


import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import evidence

import twitchnet
from twitchnet.errors import FrameEvidenceError, UnknownEvidenceError
from twitchnet.frame import diagnose_frame


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


def test_text_forms_of_numbers_read_as_the_numbers(model):
    # issue 13.4: Dask turns an object column of 1.0 into the string "1.0"
    as_float = pd.DataFrame({"saddle_numbness": [1.0, 0.0, np.nan], "tingling": [0.0, 1.0, 1.0], "age": [70.0, 30.0, 45.0]})
    as_text = pd.DataFrame({"saddle_numbness": ["1.0", "0.0", None], "tingling": ["0.0", "1.0", "1.0"], "age": ["70.0", "30.0", "45.0"]})
    as_bool = pd.DataFrame({"saddle_numbness": [True, False, None], "tingling": [False, True, True], "age": [70, 30, 45]})
    want = diagnose_frame(as_bool, model)
    pd.testing.assert_frame_equal(diagnose_frame(as_float, model), want)
    pd.testing.assert_frame_equal(diagnose_frame(as_text, model), want)
    assert want["urgent"].tolist() == [True, False, False]


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
