"""Records -> patterns (twitchnet/learn/patterns.py): the data hash, bad cells, diagnosis columns."""

from __future__ import annotations

import pandas as pd
import pytest

import twitchnet
from learn.helpers import _observed, _saturated_model, _sim
from twitchnet import learn
from twitchnet.errors import EvidenceError, FrameEvidenceError, UnknownEvidenceError

# The random networks' ranges are narrow and their fits leave them: the FitWarning that says so is
# tested on its own (test_fit_warns_when_numbers_leave_their_ranges), and ignored elsewhere here.
pytestmark = pytest.mark.filterwarnings("ignore::twitchnet.errors.FitWarning")


def test_data_hash_ignores_row_order_and_sees_content():
    model = _saturated_model()
    df = _observed(model, 200, 23)
    a = learn.fit(df, model, max_iter=1)
    b = learn.fit(df.iloc[::-1], model, max_iter=1)
    changed = df.copy()
    changed.loc[0, "f1"] = not changed.loc[0, "f1"]
    c = learn.fit(changed, model, max_iter=1)
    assert a.data_hash == b.data_hash != c.data_hash




# ---------------------------------------------------------------------------------------------- bad records
def test_bad_records_are_reported_by_row_and_column():
    model = twitchnet.load_model()
    df = pd.DataFrame({"tingling": [True, "maybe", False], "age": [30, 40, 500], "neuropathy": [True, False, "perhaps"]}, index=["a", "b", "c"])
    with pytest.raises(FrameEvidenceError) as info:
        learn.fit(df, model)
    cells = {(r, c) for r, c, _, _ in info.value.cells}
    assert cells == {("b", "tingling"), ("c", "age"), ("c", "neuropathy")}


def test_unknown_column():
    with pytest.raises(UnknownEvidenceError, match="tinglng"):
        learn.fit(pd.DataFrame({"tinglng": [True]}))


def test_impossible_record_names_the_cell():
    df = pd.DataFrame({"sex": ["female", "male"], "pregnancy": [True, True]}, index=[10, 11])
    with pytest.raises(FrameEvidenceError) as info:
        learn.fit(df)
    assert [(r, c) for r, c, _, _ in info.value.cells] == [(11, "pregnancy")]




def test_simulated_cause_columns_are_diagnosis_columns_and_two_of_one_cause_are_refused(model):
    # hostile L4: simulate(causes=True) names its columns cause.<id>, which fit refused; fit now
    # reads cause.<id> as the diagnosis column of <id> (the prefix never collides with a vocabulary
    # id or alias, and frames made by simulate keep working in diagnose_frame after dropping them)
    sim = _sim(model, 300, 7, causes=True)
    renamed = sim.rename(columns={f"cause.{c}": c for c in model.cause_ids})
    a = twitchnet.fit(sim, model, max_iter=3)
    b = twitchnet.fit(renamed, model, max_iter=3)
    assert a.history == b.history and {w: n.new for w, n in a.numbers.items()} == {w: n.new for w, n in b.numbers.items()}
    assert a.history != twitchnet.fit(sim.drop(columns=[f"cause.{c}" for c in model.cause_ids]), model, max_iter=3).history
    # hostile L3: two diagnosis columns of one cause gave "TypeError: factorize requires a Series"
    both = sim.assign(neuropathy=sim["cause.neuropathy"])
    with pytest.raises(EvidenceError, match="^neuropathy: expected one diagnosis column per cause .*'cause.neuropathy' and 'neuropathy'"):
        twitchnet.fit(both, model, max_iter=1)
    twice = pd.concat([renamed, renamed[["neuropathy"]]], axis=1)
    with pytest.raises(EvidenceError, match="^neuropathy: expected one diagnosis column per cause"):
        twitchnet.fit(twice, model, max_iter=1)
