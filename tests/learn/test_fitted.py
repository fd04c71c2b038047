"""The fitted model (twitchnet/learn/fitted.py): provenance, changes, warnings, settings."""

from __future__ import annotations

import warnings
from dataclasses import replace

import pandas as pd
import pytest

import twitchnet
from learn.helpers import _observed, _saturated_model, _sim
from twitchnet import learn
from twitchnet.errors import EvidenceError
from twitchnet.model import DiagnosticModel

# The random networks' ranges are narrow and their fits leave them: the FitWarning that says so is
# tested on its own (test_fit_warns_when_numbers_leave_their_ranges), and ignored elsewhere here.
pytestmark = pytest.mark.filterwarnings("ignore::twitchnet.errors.FitWarning")


# ---------------------------------------------------------------------------------------------- provenance
def test_to_knowledge_base_round_trip(tmp_path):
    model = twitchnet.load_model()
    df = _sim(model, 2000, 7)
    fitted = learn.fit(df, model, prior_strength=0.05, max_iter=5)
    folder = fitted.to_knowledge_base(tmp_path / "kb")
    loaded = twitchnet.load_model(folder)
    assert loaded.content_hash == fitted.content_hash
    cases = _sim(model, 300, 8)
    a = twitchnet.diagnose_frame(cases, fitted)
    b = twitchnet.diagnose_frame(cases, loaded)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    numbers = dict(loaded.kb.numbers())
    learned = [n for n in fitted.numbers.values() if n.learned]
    assert learned
    for n in learned:
        written = numbers[n.where]
        assert written.source == "fit" and fitted.data_hash in written.note
        assert written.value == n.new
        assert written.low <= n.new <= written.high
        assert ("widened" in written.note) == n.left_range
    assert "fit" in loaded.kb.sources


def test_changes_flags_numbers_that_left_their_range():
    model = _saturated_model()
    df = _observed(model, 3000, 31)
    narrow = DiagnosticModel(replace(model.kb, findings=tuple(
        replace(f, leak=replace(f.leak, low=f.leak.value * 0.99, high=f.leak.value * 1.01)) if f.id == "f2" else f for f in model.kb.findings)))
    # data from a model whose f2 leak is much larger
    truth = DiagnosticModel(replace(model.kb, findings=tuple(replace(f, leak=replace(f.leak, value=0.5)) if f.id == "f2" else f for f in model.kb.findings)))
    df = _observed(truth, 3000, 31)
    with pytest.warns(twitchnet.errors.FitWarning, match=r"fit: 1 of \d+ learned numbers left .* findings.toml: f2.leak"):
        fitted = learn.fit(df, narrow, prior_strength=0.0, max_iter=50)
    ch = fitted.changes()
    assert list(ch.columns) == ["old", "new", "low", "high", "change", "range_moved", "left_range", "n_eff", "data_hash"]
    row = ch.loc["findings.toml: f2.leak"]
    assert row["left_range"] and row["range_moved"] > 1 and row["new"] > 0.4
    assert ch.index[0] == "findings.toml: f2.leak"  # largest move first
    assert row["n_eff"] == 3000


def test_fit_warns_when_numbers_leave_their_ranges(model):
    # hostile M1: 200 copies of the design example labelled phantom vibration make it self-care,
    # and only changes().left_range told
    case = dict(age=68, sex="male", tingling=True, burning_pain=True, stocking_distribution=True, diabetes=True)
    rec = pd.DataFrame([{**case, **{c: c == "phantom_vibration" for c in model.cause_ids}}] * 200)
    with pytest.warns(twitchnet.errors.FitWarning) as caught:
        fitted = twitchnet.fit(rec, model, max_iter=30)
    left = fitted.changes().query("left_range")
    msg = str(caught[0].message)
    assert f"fit: {len(left)} of " in msg and left.index[0] in msg and "FitWarning" in msg
    assert caught[0].filename == __file__  # points at the call of fit
    with pytest.warns(twitchnet.errors.FitWarning):
        twitchnet.partial_fit(fitted, rec.head(20), max_iter=2)
    with warnings.catch_warnings():  # the documented opt-out
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", twitchnet.errors.FitWarning)
        twitchnet.fit(rec, model, max_iter=2)
        # a fit that stays inside the ranges says nothing
        warnings.simplefilter("error", twitchnet.errors.FitWarning)
        quiet = twitchnet.fit(model.simulate(40, seed=1), model, prior_strength=50, max_iter=3)
    assert not quiet.changes()["left_range"].any()




def test_public_names():
    assert twitchnet.fit is learn.fit and twitchnet.partial_fit is learn.partial_fit


# ---------------------------------------------------------------------------------------------- hostile settings (L3, L4)
@pytest.mark.parametrize(("kwargs", "key"), [({"tol": "x"}, "tol"), ({"tol": float("nan")}, "tol"), ({"threads": "x"}, "threads"),
                                             ({"threads": 0}, "threads"), ({"model": "x"}, "model")])
def test_hostile_fit_settings_name_the_setting(model, kwargs, key):
    # hostile L3: TypeError / AttributeError from deep inside
    rec = _sim(model, 20, 0)
    with pytest.raises(EvidenceError, match=f"^{key}: expected") as info:
        twitchnet.fit(rec, **{"model": model, **kwargs}, max_iter=2)
    assert info.value.key == key
    if key != "model":
        fitted = twitchnet.fit(rec, model, max_iter=1)
        with pytest.raises(EvidenceError, match=f"^{key}: expected"):
            twitchnet.partial_fit(fitted, rec, **kwargs, max_iter=1)
