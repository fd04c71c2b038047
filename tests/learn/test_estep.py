"""The E-step's expected counts (twitchnet/learn/estep.py)."""

from __future__ import annotations

import numpy as np
import pytest

import twitchnet
from learn.helpers import _sim
from twitchnet.learn import estep, patterns, priors

# The random networks' ranges are narrow and their fits leave them: the FitWarning that says so is
# tested on its own (test_fit_warns_when_numbers_leave_their_ranges), and ignored elsewhere here.
pytestmark = pytest.mark.filterwarnings("ignore::twitchnet.errors.FitWarning")


def test_engine_and_joint_state_paths_agree():
    """Records with every risk factor known go through the engine; the others through the joint
    states in log space. Forcing every record through the second gives the same counts."""
    model = twitchnet.load_model()
    df = _sim(model, 300, 5)
    pats = patterns._encode_checked(df, model)
    tb = estep.Tables(model.arrays, priors.Structure(model))
    a = estep.suff_stats(tb, pats)
    b = estep.suff_stats(tb, pats, use_engine=False)
    for key in a:
        x = np.concatenate([np.ravel(q) for q in a[key]]) if isinstance(a[key], list) else np.ravel(a[key])
        y = np.concatenate([np.ravel(q) for q in b[key]]) if isinstance(b[key], list) else np.ravel(b[key])
        np.testing.assert_allclose(x, y, rtol=1e-9, atol=1e-9, err_msg=key)
