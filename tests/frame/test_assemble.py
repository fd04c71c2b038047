"""The result frame (frame/assemble.py): label columns, the one red-flag and triage rule on columns,
the coerced column."""


import pandas as pd
import pytest

import twitchnet
from twitchnet.frame import diagnose_frame


def test_empty_frame(model):
    out = diagnose_frame(pd.DataFrame({"tingling": pd.Series([], dtype=object)}), model)
    assert len(out) == 0 and list(out.columns[: len(model.cause_ids)]) == list(model.cause_ids)


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
