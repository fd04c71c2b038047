"""A frame's red flags (frame/flags.py): its errors carry the red flags of the readable rows, coerce
never clears one, and impossible rows name the cells behind them."""

import warnings

import numpy as np
import pandas as pd
import pytest

import twitchnet
from twitchnet.errors import FrameEvidenceError, UnknownEvidenceError
from twitchnet.frame import diagnose_frame


def test_impossible_rows(model):
    df = pd.DataFrame({"sex": ["male", "female"], "pregnancy": [True, True]})
    with pytest.raises(FrameEvidenceError, match="row 0, column 'pregnancy'"):
        diagnose_frame(df, model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = diagnose_frame(df, model, errors="coerce")
    assert abs(out.iloc[0]["rls"] - twitchnet.diagnose({"sex": "male"})["rls"].probability) <= 1e-12
    assert np.isfinite(out[list(model.cause_ids)].to_numpy()).all()


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
