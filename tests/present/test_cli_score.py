"""``twitchnet score INPUT OUTPUT``: a file of cases in, one row of results per case out."""

import numpy as np
import pandas as pd
import pytest

import twitchnet
from twitchnet.present.cli import SCORE_EXIT, SCORED_WITH_BAD_CELLS, main

N = 100_000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    """100,000 cases as text: a red-flag column (progressive_spread) and bad cells in known places."""
    rng = np.random.default_rng(24)
    age = rng.integers(18, 90, N).astype(str).astype(object)
    sex = rng.choice(["female", "male"], N).astype(object)
    tingling = rng.choice(["yes", "no", ""], N).astype(object)
    flag = np.where(rng.random(N) < 0.02, "yes", np.where(rng.random(N) < 0.5, "no", "")).astype(object)
    weak = rng.choice(["no", ""], N).astype(object)
    bad_age = rng.choice(N, 50, replace=False)
    bad_tingling = rng.choice(N, 50, replace=False)
    bad_flag = rng.choice(np.flatnonzero(flag == ""), 20, replace=False)
    age[bad_age] = "abc"
    tingling[bad_tingling] = "maybe"
    flag[bad_flag] = "perhaps"
    # a bad cell beside a red flag: the row stays urgent
    flagged = np.flatnonzero(flag == "yes")
    tingling[flagged[:10]] = "sometimes"
    df = pd.DataFrame({"record": [f"r{i}" for i in range(N)], "age": age, "sex": sex, "tingling": tingling,
                       "progressive_spread": flag, "muscle_weakness": weak})
    path = tmp_path_factory.mktemp("score") / "cases.csv"
    df.to_csv(path, index=False)
    bad = {}
    for rows, col in ((bad_age, "age"), (bad_tingling, "tingling"), (bad_flag, "progressive_spread"), (flagged[:10], "tingling")):
        for r in rows.tolist():
            bad.setdefault(f"r{r}", set()).add(col)
    return path, df, bad


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_score_round_trips_100000_rows_without_losing_a_red_flag(big_csv, tmp_path, capsys, suffix):
    path, df, bad = big_csv
    out_path = tmp_path / f"scored{suffix}"
    assert main(["score", str(path), str(out_path), "--id", "record", "--no-progress"]) == SCORED_WITH_BAD_CELLS
    out = pd.read_parquet(out_path) if suffix == ".parquet" else pd.read_csv(out_path, keep_default_na=False)
    assert len(out) == N and list(out["record"]) == list(df["record"])
    model = twitchnet.load_model()
    assert set(model.cause_ids) <= set(out.columns)
    assert {"top_cause", "triage", "urgent", "red_flags", "coerced", "error"} <= set(out.columns)
    # no red flag lost: every row whose red-flag cell reads yes is urgent and names the rule
    flagged = (df["progressive_spread"] == "yes").to_numpy()
    assert flagged.sum() > 1000
    urgent = out["urgent"].astype(str).eq("True").to_numpy()
    assert urgent[flagged].all()
    assert out["red_flags"][flagged].str.contains("progressive_spread").all()
    assert set(out["triage"][flagged]) <= {"urgent", "emergency"}
    # bad cells named, row by row, and nothing else
    named = {r: set(c.split(",")) for r, c in zip(out["record"], out["coerced"]) if c}
    assert named == bad
    assert (out["error"] == "").all()
    probs = out[list(model.cause_ids)].to_numpy(dtype=float)
    assert np.isfinite(probs).all() and ((probs >= 0) & (probs <= 1)).all()
    err = capsys.readouterr().err
    assert f"scored {N} rows" in err and f"{sum(len(c) for c in bad.values())} bad cell(s) in {len(bad)} row(s)" in err


def test_score_rows_equal_diagnose_frame(tmp_path):
    df = pd.DataFrame({"age": ["68", "40", "abc"], "sex": ["male", "female", "male"], "tingling": ["yes", "maybe", "no"],
                       "trouble_walking": ["", "yes", ""]})
    df.to_csv(tmp_path / "in.csv", index=False)
    assert main(["score", str(tmp_path / "in.csv"), str(tmp_path / "out.parquet")]) == SCORED_WITH_BAD_CELLS
    out = pd.read_parquet(tmp_path / "out.parquet")
    with pytest.warns(UserWarning, match="bad cell"):
        ref = twitchnet.diagnose_frame(df.replace("", None), errors="coerce", progress=False)
    model = twitchnet.load_model()
    np.testing.assert_allclose(out[list(model.cause_ids)].to_numpy(), ref[list(model.cause_ids)].to_numpy(), rtol=0, atol=1e-12)
    assert list(out["coerced"]) == ["", "tingling", "age"]
    assert list(out["urgent"]) == [False, True, False]


def test_clean_input_exits_0(tmp_path, capsys):
    pd.DataFrame({"age": [30, 70], "tingling": [True, False]}).to_parquet(tmp_path / "in.parquet")
    assert main(["score", str(tmp_path / "in.parquet"), str(tmp_path / "out.csv")]) == 0
    out = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)
    assert len(out) == 2 and (out["coerced"] == "").all()


def test_errors_raise_writes_nothing_and_prints_the_red_flags_first(tmp_path, capsys):
    pd.DataFrame({"tingling": ["maybe", "no"], "trouble_walking": ["no", "yes"]}).to_csv(tmp_path / "in.csv", index=False)
    assert main(["score", str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "--errors", "raise"]) == 2
    cap = capsys.readouterr()
    assert cap.out.startswith("!!!") and "tingling" in cap.err
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("args, message", [
    (["in.txt", "out.csv"], "INPUT: expected a file name ending in .csv or .parquet"),
    (["in.csv", "out.xlsx"], "OUTPUT: expected a file name ending in .csv or .parquet"),
    (["missing.csv", "out.csv"], "INPUT: could not read"),
    (["in.csv", "out.csv", "--id", "nope"], "--id: expected a column"),
    (["unknown.csv", "out.csv"], "unknown_column"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    pd.DataFrame({"tingling": ["yes"]}).to_csv("in.csv", index=False)
    pd.DataFrame({"unknown_column": ["yes"]}).to_csv("unknown.csv", index=False)
    assert main(["score", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


def test_unwritable_output_with_urgent_rows_exits_3(tmp_path, capsys):
    pd.DataFrame({"trouble_walking": ["yes"]}).to_csv(tmp_path / "in.csv", index=False)
    assert main(["score", str(tmp_path / "in.csv"), str(tmp_path / "no" / "such" / "dir" / "out.csv")]) == 3
    assert "could not write" in capsys.readouterr().err


def test_score_shows_a_bar_when_asked(tmp_path, capsys):
    pd.DataFrame({"tingling": ["yes", "no"]}).to_csv(tmp_path / "in.csv", index=False)
    assert main(["score", str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "--progress"]) == 0
    assert "rows" in capsys.readouterr().err.split("scored")[0]


def test_the_exit_statuses_are_documented(capsys):
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    text = capsys.readouterr().out
    for status in SCORE_EXIT:
        assert f"{status} " in text.split("exit status:")[1]
