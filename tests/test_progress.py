"""The ``progress=`` setting of the long-running functions: shown, hidden, and the default."""

import pandas as pd
import pytest

import twitchnet
from twitchnet import _progress
from twitchnet.errors import EvidenceError

pytestmark = pytest.mark.filterwarnings("ignore::twitchnet.errors.FitWarning")  # a small random network leaves its ranges


@pytest.fixture(scope="module")
def model():
    return twitchnet.load_model()


@pytest.fixture(scope="module")
def small():
    """A small random network with wide ranges (fit learns only numbers with a range)."""
    from learn.helpers import _widen

    return _widen(twitchnet.synthetic.network(causes=3, findings=4, parents_per_finding=(1, 2), seed=0))


@pytest.fixture(scope="module")
def records(small):
    return small.simulate(60, seed=1, causes=True)


def _calls(model, records, small):
    vig = twitchnet.load_vignettes()[:3]
    return {
        "fit": ("fit (EM)", lambda p: twitchnet.fit(records, small, max_iter=2, progress=p)),
        "partial_fit": ("fit (EM)", lambda p: twitchnet.partial_fit(twitchnet.fit(records, small, max_iter=1, progress=False),
                                                                   records, max_iter=2, progress=p)),
        "sensitivity": ("sensitivity", lambda p: twitchnet.sensitivity(small, records.drop(columns=[c for c in records if c.startswith("cause.")]).head(5),
                                                                       progress=p)),
        "evaluate": ("evaluate", lambda p: twitchnet.evaluate(vig, model, baselines=False, progress=p)),
        "simulate": ("simulate", lambda p: model.simulate(20, seed=0, progress=p)),
        "diagnose_frame": ("twitchnet", lambda p: twitchnet.diagnose_frame(pd.DataFrame({"tingling": [True, False]}), model, progress=p)),
    }


NAMES = ["fit", "partial_fit", "sensitivity", "evaluate", "simulate", "diagnose_frame"]


@pytest.mark.parametrize("name", NAMES)
def test_progress_true_shows_a_bar_false_shows_none(name, model, records, small, capsys):
    desc, call = _calls(model, records, small)[name]
    call(True)
    err = capsys.readouterr().err
    assert desc in err and "100%" in err
    call(False)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name", NAMES)
def test_the_default_is_silent_when_nobody_watches(name, model, records, small, capsys, monkeypatch):
    monkeypatch.setattr(_progress, "DELAY", 0.0)  # not the delay that hides it: the output is not a terminal
    desc, call = _calls(model, records, small)[name]
    call(None)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name", NAMES)
def test_the_default_shows_a_bar_in_a_terminal(name, model, records, small, capsys, monkeypatch):
    monkeypatch.setattr(_progress, "interactive", lambda: True)
    monkeypatch.setattr(_progress, "DELAY", 0.0)
    desc, call = _calls(model, records, small)[name]
    call(None)
    assert desc in capsys.readouterr().err


def test_the_default_waits_before_it_shows(model, capsys, monkeypatch):
    monkeypatch.setattr(_progress, "interactive", lambda: True)  # watched, but quick work: no bar
    model.simulate(20, seed=0)
    assert capsys.readouterr().err == ""


def test_interactive_is_false_when_stderr_is_not_a_terminal(capsys):
    assert _progress.interactive() is False


@pytest.mark.parametrize("bad", ["yes", 1, 0.5])
def test_a_bad_progress_setting_is_an_evidence_error_naming_it(bad, model, small, records):
    with pytest.raises(EvidenceError, match=r"progress: expected True, False or None, got"):
        twitchnet.fit(records, small, max_iter=1, progress=bad)
    with pytest.raises(EvidenceError, match=r"progress"):
        model.simulate(3, progress=bad)
