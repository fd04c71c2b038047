"""The same function on a Dask DataFrame, on a LocalCluster with two worker processes."""

import numpy as np
import pandas as pd
import pytest

import twitchnet
from twitchnet.frame import diagnose_frame

# dask.distributed warns when a loaded machine is slow (scratch space, event loop, ports); these tests
# check results, not dask's own timing, so its warnings are not turned into errors here.
pytestmark = [
    pytest.mark.filterwarnings("ignore::UserWarning:distributed.*"),
    pytest.mark.filterwarnings("ignore::RuntimeWarning:distributed.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:distributed.*"),
]

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")


def _cases(model, n=400):
    rng = np.random.default_rng(7)
    df = pd.DataFrame({f: rng.choice([True, False, None], n) for f in model.finding_ids})
    df["age"] = rng.integers(18, 95, n)
    df["sex"] = rng.choice(["female", "male"], n)
    df["diabetes"] = rng.choice([1, 0, np.nan], n)
    df["sudden_onset"] = rng.choice([True, False, None], n, p=[0.05, 0.5, 0.45])
    return df


def test_dask_input_gives_a_lazy_frame_equal_to_pandas(model):
    df = _cases(model)
    ddf = dd.from_pandas(df, npartitions=4)
    lazy = diagnose_frame(ddf, model)
    assert type(lazy).__module__.split(".")[0] in ("dask", "dask_expr")
    assert list(lazy.columns) == list(diagnose_frame(df.head(2), model).columns)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster):
            result = lazy.compute()
    pd.testing.assert_frame_equal(result, diagnose_frame(df, model))


def test_dask_unknown_column_fails_before_any_task(model):
    ddf = dd.from_pandas(pd.DataFrame({"tingle": [True]}), npartitions=1)
    with pytest.raises(twitchnet.UnknownEvidenceError):
        diagnose_frame(ddf, model)


def test_dask_keeps_red_flags_of_rows_sharing_a_label_and_reads_text_numbers(model):
    # issue 13.1 and 13.4 through Dask: a repeated label, a bad cell, and an object column of
    # floats that Dask may turn into the strings "1.0" / "0.0"
    df = pd.concat([
        pd.DataFrame({"saddle_numbness": [True, 1.0], "muscle_weakness": [None, 0.0]}, dtype=object),
        pd.DataFrame({"saddle_numbness": ["unsure", 0.0], "muscle_weakness": [1.0, None]}, dtype=object),
    ])
    ddf = dd.from_pandas(df, npartitions=1, sort=False)
    with pytest.warns(UserWarning, match="1 bad cell"):
        out = diagnose_frame(ddf, model, errors="coerce").compute(scheduler="sync")
    assert out["urgent"].tolist() == [True, True, True, False]
    assert out["coerced"].tolist() == ["", "", "saddle_numbness", ""]
    with pytest.warns(UserWarning):
        pandas_out = diagnose_frame(df, model, errors="coerce")
    assert out["urgent"].tolist() == pandas_out["urgent"].tolist()
    assert out["triage"].astype(str).tolist() == pandas_out["triage"].astype(str).tolist()

# dask's parquet writer calls set_index(inplace=True), which pandas 3.1 deprecates (dask's to fix)
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.set_index")
def test_the_readme_example_writes_parquet_that_reads_back_equal(model, tmp_path):
    """README: ``diagnose_frame(ddf).to_parquet(...)``; the declared meta matches the partitions'
    dtypes (a mismatch raised ArrowInvalid for red_flags)."""
    pytest.importorskip("pyarrow")
    df = _cases(model, n=120)
    df.loc[df.index[:7], "trouble_walking"] = True  # some rows with fired red-flag rules
    lazy = diagnose_frame(dd.from_pandas(df, npartitions=3), model)
    expected = diagnose_frame(df, model)
    pd.testing.assert_series_equal(lazy.dtypes, expected.dtypes)
    lazy.to_parquet(tmp_path / "scored", compute_kwargs={"scheduler": "sync"})
    back = pd.read_parquet(tmp_path / "scored").sort_index().rename_axis(None)
    assert (back["red_flags"] != "").sum() >= 7
    pd.testing.assert_frame_equal(back, expected, check_categorical=False, check_index_type=False)


def test_dask_frame_level_errors_carry_the_red_flags_of_the_readable_rows(model):
    """Hostile H5 through Dask: the early column error reads the red-flag columns (only those) of
    every partition; a bad cell under errors="raise" carries its partition's red flags."""
    df = pd.DataFrame({"saddle_numbness": [None, None, True, None], "tingling": [True, False, True, "maybe"]})
    ddf = dd.from_pandas(df.assign(patient_id=[1, 2, 3, 4]), npartitions=2, sort=False)
    with pytest.raises(twitchnet.UnknownEvidenceError) as info:
        diagnose_frame(ddf, model, errors="coerce")
    assert "cauda_equina" in [r.id for r in info.value.red_flags] and str(info.value).startswith("EMERGENCY")
    with pytest.raises(twitchnet.FrameEvidenceError) as info:
        diagnose_frame(dd.from_pandas(df, npartitions=1, sort=False), model).compute(scheduler="sync")
    assert "cauda_equina" in [r.id for r in info.value.red_flags]


def test_dask_a_row_beyond_the_engine_fails_that_row_as_in_pandas(model):
    """Hostile C2 through Dask: under errors="coerce" the row beyond Quickscore has no
    probabilities and its reason in ``error``; the lazy frame equals pandas, meta included."""
    import warnings

    rows = [{"saddle_numbness": True}, {f: True for f in model.finding_ids}, {"tingling": True}, {"age": 40}]
    df = pd.DataFrame(rows)
    lazy = diagnose_frame(dd.from_pandas(df, npartitions=2, sort=False), model, errors="coerce", engine="quickscore")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        out = lazy.compute(scheduler="sync")
        expected = diagnose_frame(df, model, errors="coerce", engine="quickscore")
    pd.testing.assert_frame_equal(out, expected)
    pd.testing.assert_series_equal(lazy.dtypes, expected.dtypes)
    assert (out["error"] != "").tolist() == [False, True, False, False] and out["triage"].iloc[1] == "emergency"
